"""Pages of the family programme and the coordinator's queue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from contracts.access import (
    can_decide_programme,
    can_edit_programme,
    can_run_programme,
    can_write_programme,
    can_write_programmes_for,
    is_programme_coordinator,
    programmes_visible_to,
)
from contracts.forms.common import rows_of
from contracts.forms.programmes import (
    CompleteForm,
    DecisionForm,
    ProgrammeActionFormSet,
    ProgrammeForm,
    ProgrammeGoalFormSet,
    QueueFilterForm,
)
from contracts.forms.social_contracts import DoneForm
from contracts.models import FamilyProgramme, ProgrammeAction, ProgrammeEventKind, ProgrammeStatus
from contracts.selectors.pages import counted_page
from contracts.selectors.programmes import (
    OVERDUE_FIELDS,
    Counted,
    programme_actions_by_module,
    programme_detail_qs,
    programme_list,
    programme_queue,
    programme_referrals,
    queue_pages,
    referrals_on_approval,
    version_diff,
    with_age,
)
from contracts.selectors.queue_page import queue_pages_counted
from contracts.services import programmes as services
from contracts.views.common import family_url, save_document
from core.access_log import shown
from core.confirm import confirm_page, is_confirmed
from core.errors import DomainError
from core.links import url_of
from core.once import idempotent_create
from core.pagination import PAGE_SIZE, page_number, paginate
from core.params import is_id
from core.sorting import sort_rows
from families.access import families_visible_to
from support_network.access import (
    CASEWORK_ROLES,
    PROJECT_ROLES,
    projects_of,
    projects_visible_to,
    role_of,
    role_required,
)
from support_network.models import Role

READ_ROLES = (*CASEWORK_ROLES, *PROJECT_ROLES)


PROGRAMME_SORT = {
    "program": "title",
    "rodzina": "family__case_number",
    "status": "status",
    "autor": ("created_by__last_name", "created_by__first_name"),
    "wersje": "version_count",
    "zmieniono": "updated_at",
}


@role_required(*READ_ROLES)
def programme_list_view(request):
    rows, sorting = sort_rows(request, programme_list(request.user), PROGRAMME_SORT)
    page = paginate(request, rows, PAGE_SIZE)
    shown(request, *page.object_list)
    return render(request, "contracts/programme_list.html", {"page": page, "sorting": sorting})


def _formsets(data, instance, family):
    kwargs = {"form_kwargs": {"family": family}, "instance": instance}
    return (
        ProgrammeGoalFormSet(data, prefix="goals", **kwargs),
        ProgrammeActionFormSet(data, prefix="actions", **kwargs),
    )


def _payload(form, goals, actions):
    return {
        "fields": {name: form.cleaned_data.get(name) for name in services.PROGRAMME_FIELDS},
        "goals": rows_of(goals, services.GOAL_FIELDS),
        "actions": rows_of(actions, services.ACTION_FIELDS),
    }


@idempotent_create
def programme_create(request):
    if not is_id(request.GET.get("family", "")):
        raise Http404
    family = get_object_or_404(families_visible_to(request.user), pk=request.GET["family"])
    if not can_write_programmes_for(request.user, family):
        raise Http404
    shown(request, family)
    data = request.POST if request.method == "POST" else None
    role_prepared = "mgi" if role_of(request.user) == Role.MGI_MEMBER else "social_worker"
    form = ProgrammeForm(
        data,
        family=family,
        initial={
            "prepared_by": role_prepared,
            "team": family.team_id,
            "period_start": timezone.localdate(),
            "diagnosis": family.diagnoses.values_list("pk", flat=True).first(),
        },
    )
    goals, actions = _formsets(data, FamilyProgramme(), family)
    context = {"form": form, "goals": goals, "actions": actions, "family": family}
    return save_document(
        request, forms=(form, goals, actions), template="contracts/programme_form.html", context=context,
        save=lambda: services.programme_create(family=family, by=request.user, **_payload(form, goals, actions)),
        success=_("Zapisano projekt programu rodzinnego."), detail="contracts:programme_detail",
    )  # fmt: skip


def programme_edit(request, pk):
    programme = get_object_or_404(programmes_visible_to(request.user).select_related("family"), pk=pk)
    if not can_write_programmes_for(request.user, programme.family):
        raise Http404
    shown(request, programme)
    if not programme.is_editable:
        messages.error(request, _("Programu w tym stanie nie można edytować."))
        return redirect("contracts:programme_detail", pk=programme.pk)
    data = request.POST if request.method == "POST" else None
    form = ProgrammeForm(data, instance=programme, family=programme.family)
    goals, actions = _formsets(data, programme, programme.family)
    context = {"form": form, "goals": goals, "actions": actions, "family": programme.family, "programme": programme}
    return save_document(
        request, forms=(form, goals, actions), template="contracts/programme_form.html", context=context,
        save=lambda: services.programme_update(
            programme=programme, lock_version=form.read_version, by=request.user, **_payload(form, goals, actions)
        ),
        success=_("Zapisano zmiany w programie."), detail="contracts:programme_detail",
    )  # fmt: skip


def programme_detail(request, pk):
    programme = get_object_or_404(programme_detail_qs(request.user), pk=pk)
    shown(request, programme)
    versions = list(programme.versions.all())
    version = versions[-1] if versions else None
    wanted = request.GET.get("wersja", "")
    if is_id(wanted):
        version = next((v for v in versions if v.number == int(wanted)), version)
    diff = None
    if version is not None:
        previous = next((v for v in versions if v.number == version.number - 1), None)
        diff = version_diff(previous.snapshot if previous else None, version.snapshot)
    events = list(programme.events.all())
    can_decide = programme.status == ProgrammeStatus.SUBMITTED and can_decide_programme(request.user, programme)
    return render(
        request,
        "contracts/programme_detail.html",
        {
            "programme": programme,
            "family": programme.family,
            "family_url": family_url(programme.family),
            "modules": programme_actions_by_module(programme),
            "versions": versions,
            "shown_version": version,
            "latest_version": versions[-1] if versions else None,
            "diff": diff,
            "events": events,
            "comments": [e for e in events if e.comment],
            "referrals": programme_referrals(programme),
            "can_edit": can_edit_programme(request.user, programme),
            "can_decide": can_decide,
            "can_run": can_run_programme(request.user, programme),
            "complete_form": CompleteForm(),
            "done_form": DoneForm(initial={"done_on": timezone.localdate()}),
            "today": timezone.localdate(),
            "kinds": ProgrammeEventKind,
        },
    )


def _visible(request, pk):
    programme = get_object_or_404(programmes_visible_to(request.user).select_related("family"), pk=pk)
    shown(request, programme)  # logged if the answer shows it (a refusal page), not for a redirect
    return programme


def _writable(request, pk):
    """A programme the user may change (submit, mark actions done): its caseworkers; readers of the
    family (coordinator, manager, auditor) get 403, everybody else 404."""
    programme = _visible(request, pk)
    if not can_write_programme(request.user, programme):
        raise PermissionDenied
    return programme


def _runnable(request, pk):
    """A programme the user may start or complete: its caseworkers and the project's coordinator."""
    programme = _visible(request, pk)
    if not can_run_programme(request.user, programme):
        raise PermissionDenied
    return programme


def _refused(request, programme, error):
    messages.error(request, error.message)
    response = redirect("contracts:programme_detail", pk=programme.pk)
    if error.conflict:
        response = render(
            request, "contracts/programme_conflict.html", {"programme": programme, "message": error.message}, status=409
        )
    return response


def _act(request, programme, *, apply, success, form=None, invalid=""):
    """A button on the programme's page: a form that does not validate or a refusal comes back as a
    message on the page; done, the success message."""
    if form is not None and not form.is_valid():
        messages.error(request, invalid)
        return redirect("contracts:programme_detail", pk=programme.pk)
    try:
        apply()
    except DomainError as error:
        return _refused(request, programme, error)
    messages.success(request, success)
    return redirect("contracts:programme_detail", pk=programme.pk)


@require_POST
def programme_submit(request, pk):
    programme = _writable(request, pk)
    lock_version = request.POST.get("lock_version", "")
    return _act(
        request, programme,
        apply=lambda: services.programme_submit(
            programme=programme, lock_version=int(lock_version) if is_id(lock_version) else None, by=request.user),
        success=_("Program przekazano koordynatorowi do zatwierdzenia."),
    )  # fmt: skip


@require_POST
def programme_decide(request, pk):
    programme = _visible(request, pk)
    if not is_programme_coordinator(request.user, programme):
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("contracts:programme_detail", pk=programme.pk)
    data = form.cleaned_data
    if data["decision"] == "approve" and not is_confirmed(request):
        return _confirm_approval(request, programme)
    try:
        if data["decision"] == "approve":
            services.programme_approve(
                programme=programme, version_number=data["version"], comment=data["comment"], by=request.user
            )
            messages.success(request, _("Program zatwierdzony; skierowania do usług z katalogu zostały utworzone."))
        else:
            services.programme_return(
                programme=programme, version_number=data["version"], comment=data["comment"], by=request.user
            )
            messages.success(request, _("Program zwrócono do poprawy z komentarzem."))
    except DomainError as error:
        return _refused(request, programme, error)
    return redirect("contracts:programme_queue")


def _confirm_approval(request, programme):
    consequences = [
        ngettext(
            "%(count)d skierowanie zostanie wysłane do %(institution)s.",
            "%(count)d skierowania zostaną wysłane do %(institution)s.",
            row["count"],
        )
        % row
        for row in referrals_on_approval(programme)
    ] or [_("Program nie ma działań z katalogu usług: żadne skierowanie nie zostanie wysłane.")]
    consequences.append(_("Zatwierdzonego programu nie można już zmienić ani zwrócić do poprawy."))
    return confirm_page(
        request,
        title=_("Zatwierdzić program „%(title)s”?") % {"title": programme.title},
        consequences=consequences,
        button=_("Tak, zatwierdź i wyślij skierowania"),
        back_url=reverse("contracts:programme_detail", args=[programme.pk]),
        danger=False,
    )


@require_POST
def programme_start(request, pk):
    programme = _runnable(request, pk)
    return _act(
        request, programme,
        apply=lambda: services.programme_start(programme=programme, by=request.user),
        success=_("Rozpoczęto realizację programu."),
    )  # fmt: skip


@require_POST
def programme_complete(request, pk):
    programme = _runnable(request, pk)
    form = CompleteForm(request.POST)
    return _act(
        request, programme, form=form, invalid=_("Podsumuj realizację programu."),
        apply=lambda: services.programme_complete(
            programme=programme, comment=form.cleaned_data["comment"], by=request.user),
        success=_("Zakończono realizację programu."),
    )  # fmt: skip


@require_POST
def programme_action_done(request, pk, action_pk):
    programme = _writable(request, pk)
    action = get_object_or_404(ProgrammeAction, pk=action_pk, programme=programme)
    form = DoneForm(request.POST)
    return _act(
        request, programme, form=form, invalid=_("Podaj poprawną datę wykonania."),
        apply=lambda: services.programme_action_mark_done(
            action=action, done_on=form.cleaned_data["done_on"], by=request.user),
        success=_("Działanie oznaczone jako wykonane."),
    )  # fmt: skip


OVERDUE_PAGE = "strona_realizacja"  # the page number of the queue's second list


def _queue_paged(request, queue):
    """The queue's two pages (the pager's pages, their rows ready to show): both with their lists'
    lengths and rows in one query (PostgreSQL, two pages within their lists); else each page with
    its length, a COUNT of both when a page asked for is past the end, then the rows of both."""
    numbers = page_number(request), page_number(request, OVERDUE_PAGE)
    pages = queue_pages_counted(queue, *numbers, PAGE_SIZE)
    if pages is not None:
        return paginate(request, pages[0], PAGE_SIZE), paginate(request, pages[1], PAGE_SIZE, param=OVERDUE_PAGE)
    awaiting = counted_page(queue.awaiting, numbers[0], PAGE_SIZE)
    overdue = counted_page(queue.overdue, numbers[1], PAGE_SIZE, fields=OVERDUE_FIELDS)
    if awaiting is None or overdue is None:  # a page past the end: the pager counts (both lists, one query)
        counts = queue.counts()
        awaiting = awaiting if awaiting is not None else Counted(queue.awaiting, counts["awaiting"])
        overdue = overdue if overdue is not None else Counted(queue.overdue, counts["overdue"])
    awaiting_page = paginate(request, awaiting, PAGE_SIZE)
    overdue_page = paginate(request, overdue, PAGE_SIZE, param=OVERDUE_PAGE)
    awaiting_page.object_list, overdue_page.object_list = queue_pages(
        awaiting_page.object_list, overdue_page.object_list
    )
    return awaiting_page, overdue_page


@role_required(Role.COORDINATOR)
def programme_queue_view(request):
    today = timezone.localdate()
    projects = projects_visible_to(request.user).order_by("title", "pk")  # a coordinator's: projects_of(user)
    filters = QueueFilterForm(request.GET, projects=projects, listed=projects_of(request.user))
    queue = programme_queue(request.user, today=today, **filters.filters())
    awaiting_page, overdue_page = _queue_paged(request, queue)
    detail = url_of("contracts:programme_detail")
    for row in (*awaiting_page.object_list, *overdue_page.object_list):
        row.detail_url = detail(row.pk)
    shown(request, *awaiting_page.object_list, *overdue_page.object_list)
    return render(
        request,
        "contracts/programme_queue.html",
        {
            "awaiting": with_age(awaiting_page, today=today),
            "awaiting_page": awaiting_page,
            "overdue": overdue_page.object_list,
            "overdue_page": overdue_page,
            "filters": filters,
        },
    )
