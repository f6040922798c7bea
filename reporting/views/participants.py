"""Participant pages: the project's list, enrolment, the participation page with exit data,
outcome events and logged corrections, import and the follow-up list ("Monitoring"). The export
is reporting/views/exports.py, the support forms reporting/views/supports.py."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core import search
from core.access_log import shown
from core.confirm import confirm_page, is_confirmed
from core.errors import DomainError
from core.forms import submit
from core.once import idempotent_create
from core.pagination import PAGE_SIZE, paginate
from core.params import is_id
from core.sorting import sort_rows
from reporting.access import (
    MANAGE_ROLES,
    READ_ROLES,
    can_manage_project,
    list_rights,
    participations_visible_to,
    record_rights,
    reporting_projects_visible_to,
)
from reporting.forms.participants import AmendForm, EnrolForm, ExitForm, FollowUpDoneForm, OutcomeForm, exit_initial
from reporting.models import FollowUp, OutcomeEvent, Participation
from reporting.selectors import participants as selectors
from reporting.selectors.paging import asked_number
from reporting.selectors.participants import PARTICIPANT_SORT
from reporting.selectors.submissions import claims_counting
from reporting.services import followups as followup_services
from reporting.services import participation as services
from support_network.access import role_required


def _project_for_reading(request, project_pk):
    return get_object_or_404(reporting_projects_visible_to(request.user), pk=project_pk)


def _participation_to_manage(request, pk):
    """The participation of a form page (correction, exit, outcome): declared for the access log."""
    participation = get_object_or_404(participations_visible_to(request.user).select_related("project"), pk=pk)
    shown(request, participation)
    return participation


@role_required(*READ_ROLES)
def participant_projects(request):
    projects = selectors.projects_with_participants(request.user)
    return render(request, "reporting/participants/projects.html", {"projects": projects})


@role_required(*READ_ROLES)
def participant_list(request, project_pk):
    project = selectors.project_for_list(request.user, project_pk)
    if to_token := search.redirect_to_token(request):  # the text may be a PESEL: never in the URL
        return to_token
    q, state = search.search_text(request), request.GET.get("stan", "")
    if q.strip():  # a search: the ORM's query
        rows, sorting = sort_rows(request, selectors.participant_list(request.user, project, q=q, state=state),
                                  PARTICIPANT_SORT)  # fmt: skip
    else:  # the same rows from the queries compiled once (`none()` only carries the order's links)
        sorting = sort_rows(request, Participation.objects.none(), PARTICIPANT_SORT)[1]
        rows = selectors.participant_page(project, state=state, sorting=sorting, number=asked_number(request))
    page = paginate(request, rows, PAGE_SIZE)
    shown(request, *page.object_list)  # the list (or a search by name, PESEL or number)
    can_manage, can_export = list_rights(request.user, project)  # the project is one the user sees
    return render(request, "reporting/participants/list.html", {
        "project": project, "page": page, **search.search_context(request, q), "state": state, "sorting": sorting,
        "can_manage": can_manage, "can_export": can_export,
    })  # fmt: skip


@role_required(*READ_ROLES)
def participant_detail(request, pk):
    try:
        participation = selectors.participation_for_page(request.user, pk)
    except Participation.DoesNotExist:
        raise Http404 from None
    shown(request, participation)
    can_manage, show_special = record_rights(request.user, participation)
    return render(request, "reporting/participants/detail.html", {
        "p": participation, "project": participation.project, "can_manage": can_manage,
        "show_special": show_special,
        "missing": [Participation._meta.get_field(f).verbose_name for f in participation.missing_core_data()],
        **selectors.page_lists(participation), "today": timezone.localdate(),
        "claims": selectors.claims_of(participation),
    })  # fmt: skip


@role_required(*MANAGE_ROLES)
@require_http_methods(["GET", "POST"])
@idempotent_create
def participant_enrol(request, project_pk):
    project = _project_for_reading(request, project_pk)
    person_param = request.GET.get("osoba") or request.POST.get("osoba")
    if not person_param:
        if to_token := search.redirect_to_token(request):  # the text may be a PESEL: never in the URL
            return to_token
        q = search.search_text(request)
        persons = paginate(request, selectors.persons_for_enrolment(request.user, project, q=q), PAGE_SIZE)
        shown(request, *persons.object_list)  # the list (or a search by name or PESEL)
        return render(request, "reporting/participants/enrol_choose.html",
                      {"project": project, "persons": persons, **search.search_context(request, q)})  # fmt: skip
    person = None
    if person_param != "brak":
        if not is_id(person_param):
            return redirect("reporting:participant_enrol", project_pk=project.pk)
        person = get_object_or_404(selectors.persons_for_enrolment(request.user, project), pk=int(person_param))
        shown(request, person)
        if existing := services.find_duplicate(project=project, person=person, pesel=person.pesel):
            messages.info(request, _("Ta osoba jest już uczestnikiem projektu."))
            return redirect("reporting:participant_detail", pk=existing.pk)
    status = 200
    if request.method == "POST":
        form = EnrolForm(request.POST, project=project, instance=Participation(project=project))
        if form.is_valid():
            participation, status = submit(form, lambda: services.participation_enrol(
                project=project, person=person, data=form.values, by=request.user))  # fmt: skip
            if status is None:
                messages.success(request, _("Zapisano uczestnika; dane wejściowe są potwierdzone."))
                if missing := participation.missing_core_data():
                    messages.warning(
                        request,
                        _(
                            "Brakuje danych podstawowych (%(fields)s): uczestnictwo nie będzie "
                            "liczone we wskaźnikach, dopóki ich nie uzupełnisz korektą."
                        )
                        % {"fields": ", ".join(str(Participation._meta.get_field(f).verbose_name) for f in missing)},
                    )
                return redirect("reporting:participant_detail", pk=participation.pk)
    else:
        initial = services.initial_from_person(person, project=project) if person else {
            "start_date": min(timezone.localdate(), project.end_date)}  # fmt: skip
        form = EnrolForm(project=project, initial=initial, instance=Participation(project=project))
    return render(request, "reporting/participants/enrol_form.html",
                  {"project": project, "person": person, "person_param": person_param, "form": form},
                  status=status)  # fmt: skip


@role_required(*MANAGE_ROLES)
@require_http_methods(["GET", "POST"])
def participant_amend(request, pk):
    participation = _participation_to_manage(request, pk)
    status = 200
    if request.method == "POST":
        form = AmendForm(request.POST, project=participation.project, instance=copy.copy(participation))
        if form.is_valid():
            amendments, status = submit(form, lambda: services.participation_amend(
                participation=participation, changes=form.values, reason=form.cleaned_data["reason"],
                by=request.user, lock_version=form.read_version))  # fmt: skip
            if status is None:
                messages.success(request, _("Zapisano korektę (%(n)d pól).") % {"n": len(amendments)})
                return redirect("reporting:participant_detail", pk=participation.pk)
    else:
        form = AmendForm(project=participation.project, instance=copy.copy(participation))
    return render(
        request,
        "reporting/participants/amend.html",
        {
            "p": participation,
            "form": form,
            "heading": _("Korekta danych wejściowych"),
            "claims": claims_counting([participation.pk]).get(participation.pk, []),
        },  # fmt: skip
        status=status,
    )


@role_required(*MANAGE_ROLES)
@require_http_methods(["GET", "POST"])
def participant_exit(request, pk):
    participation = _participation_to_manage(request, pk)
    status = 200
    form = ExitForm(request.POST or None, participation=participation, initial=exit_initial(participation))
    if request.method == "POST" and form.is_valid():
        _saved, status = submit(
            form,
            lambda: services.participation_record_exit(
                participation=participation,
                by=request.user,
                lock_version=form.read_version,
                **{k: form.cleaned_data[k] for k in ("end_date", "completed_as_planned", "early_exit_reason")},
            ),
        )
        if status is None:
            messages.success(
                request, _("Zapisano zakończenie udziału i zaplanowano monitoring (4 tygodnie, 3 miesiące).")
            )
            return redirect("reporting:participant_detail", pk=participation.pk)
    return render(
        request,
        "reporting/participants/exit.html",
        {"p": participation, "form": form, "heading": _("Zakończenie udziału")},
        status=status,
    )


@role_required(*MANAGE_ROLES)
@require_http_methods(["GET", "POST"])
@idempotent_create
def participant_outcome(request, pk):
    participation = _participation_to_manage(request, pk)
    status = 200
    form = OutcomeForm(request.POST or None, participation=participation,
                       initial={"kind": request.GET.get("rodzaj", "")})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        _saved, status = submit(
            form, lambda: services.outcome_record(participation=participation, values=form.values, by=request.user)
        )
        if status is None:
            messages.success(request, _("Zapisano rezultat."))
            return redirect("reporting:participant_detail", pk=participation.pk)
    return render(
        request,
        "reporting/participants/outcome.html",
        {"p": participation, "form": form, "heading": _("Nowy rezultat")},
        status=status,
    )


@role_required(*MANAGE_ROLES)
@require_POST
def outcome_delete(request, pk, outcome_pk):
    participation = _participation_to_manage(request, pk)
    outcome = get_object_or_404(OutcomeEvent.objects.filter(participation=participation), pk=outcome_pk)
    if not is_confirmed(request):
        return _confirm_outcome_delete(request, participation, outcome)
    try:
        services.outcome_delete(outcome=outcome, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Usunięto rezultat."))
    return redirect("reporting:participant_detail", pk=participation.pk)


def _confirm_outcome_delete(request, participation, outcome):
    consequences = [
        _("Rezultat „%(kind)s” z dnia %(day)s zostanie usunięty z danych uczestnika.")
        % {"kind": outcome.get_kind_display(), "day": outcome.occurred_on.strftime("%d.%m.%Y")},
        _("Wskaźniki projektu zostaną przeliczone bez tego rezultatu; dziennik zmian zachowa usunięty wpis."),
    ]
    followups = outcome.followups.count()
    if followups:
        consequences.append(
            ngettext(
                "Usunięta zostanie też %(count)d zaplanowana rozmowa z pracodawcą.",
                "Usunięte zostaną też %(count)d zaplanowane rozmowy z pracodawcą.",
                followups,
            )
            % {"count": followups}
        )
    return confirm_page(
        request,
        title=_("Usunąć rezultat?"),
        consequences=consequences,
        button=_("Tak, usuń rezultat"),
        back_url=reverse("reporting:participant_detail", args=[participation.pk]),
    )


@role_required(*READ_ROLES)
def followups(request):
    today = timezone.localdate()
    project_pk = request.GET.get("projekt")
    project = None
    if project_pk and is_id(project_pk):
        project = get_object_or_404(reporting_projects_visible_to(request.user), pk=int(project_pk))
    items = list(selectors.followups_to_do(request.user, today=today, project=project))
    shown(request, *(item.participation for item in items))
    managed = {p.pk for p in reporting_projects_visible_to(request.user) if can_manage_project(request.user, p)}
    return render(request, "reporting/participants/followups.html", {
        "overdue": [f for f in items if f.due_on < today], "due": [f for f in items if f.due_on >= today],
        "today": today, "project": project, "managed": managed, "done_form": FollowUpDoneForm(),
        "projects": reporting_projects_visible_to(request.user),
    })  # fmt: skip


@role_required(*MANAGE_ROLES)
@require_POST
def followup_done(request, pk):
    followup = get_object_or_404(
        FollowUp.objects.filter(participation__in=participations_visible_to(request.user).values("pk"))
        .select_related("participation"), pk=pk)  # fmt: skip
    form = FollowUpDoneForm(request.POST)
    next_url = request.POST.get("next") or ""
    if form.is_valid():
        try:
            followup_services.followup_complete(followup=followup, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Oznaczono monitoring jako wykonany."))
    else:
        messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
    if next_url == "detail":
        return redirect("reporting:participant_detail", pk=followup.participation_id)
    return redirect("reporting:followups")
