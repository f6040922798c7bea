"""Pages of the partnership: the service catalogue, cooperation agreements, teams and meetings."""

import mimetypes
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from core.forms import submit
from core.once import idempotent_create
from core.pagination import PAGE_SIZE, page_number, paginate
from core.sorting import SORT_PARAM, sort_rows
from support_network import access
from support_network.filters import ServiceFilter
from support_network.forms import AgreementForm, MeetingForm
from support_network.models import Meeting
from support_network.selectors import CATALOGUE_ORDER, catalogue_page, counted_services
from support_network.selectors import catalogue as catalogue_query
from support_network.services import agreement_save, meeting_save
from support_network.territory import gmina_address, search_gminas


def _staff_only(request):
    if not access.can_view_catalogue(request.user):
        raise PermissionDenied


# The catalogue is a list of cards: its order is chosen from a list instead of column headers.
CATALOGUE_SORT = {
    "nazwa": "name",
    "realizator": ("provider__name", "name"),
    "wolne": "free_places",
}
SORT_CHOICES = [
    ("", gettext_lazy("moduł i nazwa")),
    ("nazwa", gettext_lazy("nazwa")),
    ("realizator", gettext_lazy("realizator")),
    ("-wolne", gettext_lazy("najwięcej wolnych miejsc")),
]


def catalogue(request):
    """The catalogue of services ("sieć wsparcia"): words, module, institution, form; free places."""
    _staff_only(request)
    archived = request.GET.get("archiwalne") == "1"
    filterset = ServiceFilter(request.GET or None)  # its queryset is set below when it is read
    bound = filterset.is_bound and filterset.is_valid()
    plain = not (archived or request.GET.get(SORT_PARAM) or (bound and any(_searched(filterset))))
    counted = catalogue_page(page_number(request), PAGE_SIZE) if plain else None
    if counted is not None:  # its page and length from a query compiled once
        _rows, sorting = sort_rows(request, filterset.queryset, CATALOGUE_SORT)  # no `sortuj`: not ordered
        page = paginate(request, counted, PAGE_SIZE)
    else:
        filterset.queryset = catalogue_query(include_inactive=archived)
        services = filterset.qs if bound else filterset.queryset
        services, sorting = sort_rows(request, services.order_by(*CATALOGUE_ORDER), CATALOGUE_SORT)
        counted = counted_services(services, page_number(request), PAGE_SIZE)
        page = paginate(request, services if counted is None else counted, PAGE_SIZE)
    return render(
        request,
        "support_network/catalogue.html",
        {"filter": filterset, "page": page, "archived": archived, "sorting": sorting, "sort_choices": SORT_CHOICES},
    )


def _searched(filterset: ServiceFilter):
    """Whether each of the filter's fields narrows the catalogue (its value is not one the filter skips;
    an unticked "free places" box filters nothing)."""
    for value in filterset.form.cleaned_data.values():
        yield value not in (None, "", False)


# --- agreements ------------------------------------------------------------------------------


AGREEMENT_SORT = {
    "tytul": ("title", "number"),
    "status": ("status", "deadline"),
    "zawarte": "signed_on",
    "do": "valid_until",
}


def agreement_list(request):
    _staff_only(request)
    agreements = (
        access.agreements_visible_to(request.user)
        .select_related("project")
        .prefetch_related("parties")
        .order_by("status", "deadline", "-signed_on", "title", "pk")
    )
    agreements, sorting = sort_rows(request, agreements, AGREEMENT_SORT)
    return render(
        request,
        "support_network/agreement_list.html",
        {
            "page": paginate(request, agreements, PAGE_SIZE),
            "sorting": sorting,
            "today": timezone.localdate(),
            "can_manage": access.can_manage_agreements(request.user),
        },
    )


def _agreement_form(request, agreement=None):
    if not access.can_manage_agreements(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = AgreementForm(request.POST, request.FILES, instance=agreement, user=request.user)
        status = 400
        if form.is_valid():
            saved, status = submit(form, lambda: agreement_save(
                data=form.cleaned_data, agreement=agreement, by=request.user, lock_version=form.read_version
            ))  # fmt: skip
            if status is None:
                messages.success(request, _("Zapisano porozumienie."))
                return redirect("support_network:agreement_list")
        return render(
            request, "support_network/agreement_form.html", {"form": form, "agreement": agreement},
            status=409 if status == 409 else 400,
        )  # fmt: skip
    form = AgreementForm(instance=agreement, user=request.user)
    return render(request, "support_network/agreement_form.html", {"form": form, "agreement": agreement})


@idempotent_create
def agreement_create(request):
    return _agreement_form(request)


def agreement_update(request, pk):
    agreement = get_object_or_404(access.agreements_visible_to(request.user), pk=pk)
    return _agreement_form(request, agreement)


def agreement_scan(request, pk):
    """The scan, only through this access-checked view (MEDIA_URL is never served)."""
    agreement = get_object_or_404(access.agreements_visible_to(request.user), pk=pk)
    if not agreement.scan:
        raise Http404
    try:
        handle = agreement.scan.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = agreement.scan.name.rsplit(".", 1)[-1].lower()
    content_type = mimetypes.types_map.get(f".{extension}", "application/octet-stream")
    response = FileResponse(
        handle, as_attachment=True, filename=f"porozumienie-{agreement.pk}.{extension}", content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- teams and meetings ----------------------------------------------------------------------


TEAM_SORT = {
    "nazwa": "name",
    "rodzaj": ("kind", "name"),
    "projekt": ("project__title", "name"),
    "instytucja": ("institution__name", "name"),
}


def team_list(request):
    _staff_only(request)
    now = timezone.now()
    teams = (
        access.teams_visible_to(request.user)
        .select_related("project", "institution")
        .prefetch_related(
            Prefetch(
                "meetings",
                queryset=Meeting.objects.filter(starts_at__gte=now).order_by("starts_at"),
                to_attr="upcoming",
            )
        )
        .order_by("project__title", "name", "pk")
    )
    teams, sorting = sort_rows(request, teams, TEAM_SORT)
    return render(
        request, "support_network/team_list.html", {"page": paginate(request, teams, PAGE_SIZE), "sorting": sorting}
    )


# Past meetings are cards, not a table: their order is chosen by links above the cards.
MEETING_SORT = {"data": "starts_at", "miejsce": ("place", "starts_at")}


def team_detail(request, pk):
    """The team: members, upcoming meetings first, then past meetings with their decisions."""
    team = get_object_or_404(access.teams_visible_to(request.user).select_related("project", "institution"), pk=pk)
    now = timezone.now()
    meetings = team.meetings.prefetch_related("attendees")
    upcoming = list(meetings.filter(starts_at__gte=now).order_by("starts_at", "pk"))
    past, sorting = sort_rows(request, meetings.filter(starts_at__lt=now).order_by("-starts_at", "-pk"), MEETING_SORT)
    members = team.members.select_related("membership__institution").order_by("last_name", "first_name")
    return render(
        request,
        "support_network/team_detail.html",
        {
            "team": team,
            "members": members,
            "upcoming": upcoming,
            "past": paginate(request, past, PAGE_SIZE),
            "sorting": sorting,
            "can_record": access.can_record_meeting(request.user, team),
        },
    )


def _meeting_form(request, team, meeting=None):
    if not access.can_record_meeting(request.user, team):
        raise PermissionDenied
    if request.method == "POST":
        form = MeetingForm(request.POST, instance=meeting, team=team)
        status = 400
        if form.is_valid():
            saved, status = submit(form, lambda: meeting_save(
                team=team, data=form.cleaned_data, meeting=meeting, by=request.user, lock_version=form.read_version
            ))  # fmt: skip
            if status is None:
                messages.success(request, _("Zapisano spotkanie."))
                return redirect("support_network:team_detail", pk=team.pk)
            status = 409 if status == 409 else 400
    else:
        form = MeetingForm(instance=meeting, team=team)
        status = 200
    return render(
        request, "support_network/meeting_form.html", {"form": form, "team": team, "meeting": meeting}, status=status
    )


@idempotent_create
def meeting_create(request, pk):
    team = get_object_or_404(access.teams_visible_to(request.user), pk=pk)
    return _meeting_form(request, team)


def meeting_update(request, pk, meeting_pk):
    team = get_object_or_404(access.teams_visible_to(request.user), pk=pk)
    meeting = get_object_or_404(Meeting, team=team, pk=meeting_pk)
    return _meeting_form(request, team, meeting)


# --- the TERYT gmina picker ------------------------------------------------------------------

PICKER_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


@require_GET
def gmina_search(request):
    """The htmx part of the gmina picker (support_network/widgets.py): the <option>s of gminas
    matching what was typed, and the description of the chosen one swapped in out of band."""
    field = request.GET.get("pole", "")
    widget_id = request.GET.get("for", "")
    if not PICKER_ID.match(field) or not PICKER_ID.match(widget_id):
        return HttpResponseBadRequest()
    typed = request.GET.get(field, "").strip()[:100]
    chosen = gmina_address(typed) if typed.isdigit() else None
    return render(request, "support_network/partials/gmina_options.html", {
        "gminas": [] if chosen else search_gminas(typed), "chosen": chosen, "widget_id": widget_id,
    })  # fmt: skip
