"""Group-session pages: thin views (scoped fetch -> form -> service -> redirect)."""

import mimetypes
from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contracts import access
from contracts.forms.sessions import EnrolForm, GroupForm, RatingForm, SessionForm, SignedListForm
from contracts.models import GroupEnrolment, GroupSession, Referral, SessionGroup
from contracts.selectors.sessions import (
    OFFERED,
    enrolment_offer,
    group_for_detail,
    group_of_institution,
    group_rows,
    participant_rows,
    session_for_detail,
    session_of_institution,
    specialist_hours,
)
from contracts.services import sessions as services
from core.access_log import shown
from core.errors import DomainError
from core.links import url_of
from core.once import idempotent_create
from core.pdf import render_pdf
from families.models import Person
from support_network.access import PROJECT_ROLES, role_required
from support_network.models import Role

READERS = (Role.PARTNER_STAFF, *PROJECT_ROLES)


@role_required(*READERS)
def group_list(request):
    groups = access.groups_visible_to(request.user)
    return render(
        request,
        "contracts/sessions/group_list.html",
        {
            "groups": list(group_rows(groups)),
            "specialists": list(specialist_hours(groups.values("pk"))),
            "can_run": access.can_run_groups(request.user),
        },
    )


@role_required(Role.PARTNER_STAFF)
@idempotent_create
def group_create(request):
    form = GroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Utworzono grupę."))
            return redirect("contracts:group_detail", pk=group.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "contracts/sessions/group_form.html", {"form": form}, status=status)


def _group(request, pk) -> SessionGroup:
    institution_id = access.groups_institution_of(request.user)
    try:
        if institution_id is not None:
            return group_of_institution(institution_id, pk)
        return group_for_detail(access.groups_visible_to(request.user), pk)
    except SessionGroup.DoesNotExist:
        raise Http404 from None


def _group_context(request, group, **forms):
    can_run = access.can_run_group(request.user, group)
    context = {"group": group, "rows": _with_links(participant_rows(group)), "can_run": can_run}
    if can_run:
        form = forms.get("enrol_form")
        cleaned = form.cleaned_data if form is not None and hasattr(form, "cleaned_data") else {}
        form = form or EnrolForm(referrals=Referral.objects.none(), persons=Person.objects.none())
        # what is shown, not what is checked: a post is validated against every enrollable one
        search = request.GET.get("osoba") or request.POST.get("osoba")
        offered = enrolment_offer(
            group,
            request.user,
            search=search,
            referrals=cleaned.get("referrals", ()),
            persons=cleaned.get("persons", ()),
        )
        _offer_referrals(form, offered.referrals)
        form.fields["persons"].queryset = offered.persons
        # choices already read (or known to be none) are not read again by the page's partial
        form.shown.update(
            (name, rows)
            for name, rows in (("referrals", offered.referral_rows), ("persons", offered.person_rows))
            if rows is not None
        )
        context["referral_count"] = offered.referral_count
        context.update(
            enrol_form=form,
            person_search=search or "",
            person_limit=OFFERED,
        )
    return context


def _offer_referrals(form, build) -> None:
    """The referrals field's choices: a bound form's widget (rendered by crispy) takes them when they
    are set; an unbound one's are written from `EnrolForm.offered`, which builds them only if the
    rows were not already read."""
    field = form.fields["referrals"]
    if form.is_bound:
        field.queryset = build()
    else:
        field.offer(build)


def _with_links(rows):
    """The rows' links (the participant's referral, the rating form), each route reversed once for
    the table rather than per row."""
    referral, rating = url_of("contracts:referral_detail"), url_of("contracts:enrolment_rating")
    return [
        replace(
            row,
            referral_url=referral(row.enrolment.referral_id) if row.enrolment.referral_id else "",
            rating_url=rating(row.enrolment.pk),
        )
        for row in rows
    ]


def group_detail(request, pk):
    group = _group(request, pk)
    shown(request, *(e.person for e in group.enrolment_list))
    return render(request, "contracts/sessions/group_detail.html", _group_context(request, group))


def _runner(request, group):
    if not access.can_run_group(request.user, group):
        raise PermissionDenied


@require_POST
def group_enrol(request, pk):
    group = _group(request, pk)
    _runner(request, group)
    form = EnrolForm(
        request.POST,
        referrals=services.enrollable_referrals(group),
        persons=services.enrollable_persons(group, request.user),
    )
    if form.is_valid():
        try:
            services.group_enrol(group=group, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Zapisano uczestników."))
            return redirect("contracts:group_detail", pk=group.pk)
    shown(request, *(e.person for e in group.enrolment_list))
    messages.error(request, _("Popraw zaznaczone pola."))
    context = _group_context(request, group, enrol_form=form)
    return render(request, "contracts/sessions/group_detail.html", context, status=400)


@idempotent_create
def session_create(request, pk):
    group = get_object_or_404(access.groups_visible_to(request.user), pk=pk)
    _runner(request, group)
    form = SessionForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(group=group, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Dodano zajęcia."))
            return redirect("contracts:session_detail", pk=session.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "contracts/sessions/session_form.html", {"form": form, "group": group}, status=status)


def _session(request, pk) -> GroupSession:
    institution_id = access.groups_institution_of(request.user)
    try:
        if institution_id is not None:
            return session_of_institution(institution_id, pk)
        return session_for_detail(access.groups_visible_to(request.user), pk)
    except GroupSession.DoesNotExist:
        raise Http404 from None


def _session_page(request, session, *, status=200, form=None):
    shown(request, *(e.person for e in session.group.enrolment_list))
    context = {
        "session": session,
        "group": session.group,
        "enrolments": session.group.enrolment_list,
        "can_run": access.can_run_group(request.user, session.group),
        "scan_form": form or SignedListForm(),
        "today": timezone.localdate(),
    }
    return render(request, "contracts/sessions/session_detail.html", context, status=status)


def session_detail(request, pk):
    """The one-page attendance form (a checkbox per participant) for the partner; read for others."""
    return _session_page(request, _session(request, pk))


@require_POST
def session_attendance(request, pk):
    session = _session(request, pk)
    _runner(request, session.group)
    present = {int(v) for v in request.POST.getlist("present") if v.isascii() and v.isdigit() and len(v) < 10}
    try:
        services.attendance_save(session=session, by=request.user, present=present)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _session_page(request, session, status=409 if exc.conflict else 400)
    messages.success(request, _("Zapisano obecność."))
    return redirect("contracts:session_detail", pk=session.pk)


@require_POST
def session_signed_list(request, pk):
    session = _session(request, pk)
    _runner(request, session.group)
    form = SignedListForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Popraw zaznaczone pola."))
        return _session_page(request, session, status=400, form=form)
    services.signed_list_attach(session=session, by=request.user, upload=form.cleaned_data["scan"])
    messages.success(request, _("Dołączono podpisaną listę obecności."))
    return redirect("contracts:session_detail", pk=session.pk)


def session_signed_list_file(request, pk):
    """The scan, only through this access-checked view (MEDIA_URL is never served)."""
    session = _session(request, pk)
    if not session.signed_list:
        raise Http404
    try:
        handle = session.signed_list.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    shown(request, *(e.person for e in session.group.enrolment_list))
    extension = session.signed_list.name.rsplit(".", 1)[-1].lower()
    content_type = mimetypes.types_map.get(f".{extension}", "application/octet-stream")
    response = FileResponse(
        handle, as_attachment=True, filename=f"lista-obecnosci-{session.pk}.{extension}", content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def session_pdf(request, pk):
    """Lista obecności to sign: the session's facts and one row per participant (names only)."""
    session = _session(request, pk)
    shown(request, *(e.person for e in session.group.enrolment_list))
    context = {"session": session, "group": session.group, "enrolments": session.group.enrolment_list}
    return _pdf(render_pdf("contracts/pdf/attendance_list.html", context), f"lista-obecnosci-{session.pk}.pdf")


def group_pdf(request, pk):
    """The cycle's summary: hours per participant against the required attendance."""
    group = _group(request, pk)
    shown(request, *(e.person for e in group.enrolment_list))
    context = {"group": group, "rows": participant_rows(group), "printed_on": timezone.localdate()}
    return _pdf(render_pdf("contracts/pdf/attendance_summary.html", context), f"podsumowanie-grupy-{group.pk}.pdf")


@require_POST
def enrolment_rating(request, pk):
    enrolment = get_object_or_404(
        GroupEnrolment.objects.filter(group__in=access.groups_visible_to(request.user)).select_related("group"), pk=pk
    )
    _runner(request, enrolment.group)
    form = RatingForm(request.POST)
    if form.is_valid():
        services.enrolment_rate(enrolment=enrolment, by=request.user, rating=form.cleaned_data["rating"])
        messages.success(request, _("Zapisano ocenę."))
    else:
        messages.error(request, _("Ocena to liczba od 1 do 5."))
    return redirect("contracts:group_detail", pk=enrolment.group_id)
