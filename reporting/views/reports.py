"""Report pages: request a report, follow its progress (htmx polling), download, retry."""

import logging

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.access_log import shown
from core.errors import DomainError
from core.forms import submit
from core.liveness import MISSING, worker_state
from core.pagination import PAGE_SIZE, paginate
from core.sorting import sort_rows
from reporting.access import can_manage_project, reporting_projects_visible_to
from reporting.forms.reports import ReportRequestForm, ReportSubmitForm
from reporting.models import ReportRun, ReportStatus
from reporting.selectors.indicators import default_period
from reporting.services.reports import report_request, report_retry
from reporting.services.submissions import report_submit
from reporting.tasks import render_after_commit
from reporting.views.common import project_for
from support_network.access import PROJECT_ROLES, role_required

logger = logging.getLogger(__name__)


def runs_visible_to(user):
    return ReportRun.objects.filter(project__in=reporting_projects_visible_to(user).values("pk")).select_related(
        "project", "requested_by", "submission", "submission__submitted_by"
    )


def _conflict(exc: DomainError) -> HttpResponse:
    return HttpResponse(exc.message, status=409 if exc.conflict else 403)


REPORT_RUN_SORT = {
    "numer": "pk",
    "okres": ("period_from", "period_to"),
    "zlecono": "created_at",
    "status": "status",
}


@role_required(*PROJECT_ROLES)
def report_list(request, pk):
    project = project_for(request, pk)
    can_manage = can_manage_project(request.user, project)
    if request.method == "POST":
        if not can_manage:
            return HttpResponse(_("Raporty zleca kierownik projektu."), status=403)
        form = ReportRequestForm(request.POST)
        if form.is_valid():
            try:
                run, created = report_request(
                    project=project, date_from=form.cleaned_data["date_from"], date_to=form.cleaned_data["date_to"],
                    by=request.user,
                )  # fmt: skip
            except DomainError as exc:
                return _conflict(exc)
            if created:
                render_after_commit(run.pk)
            else:
                messages.info(request, _("Ten raport jest już przygotowywany — pokazujemy trwające zlecenie."))
            return redirect("reporting:report_detail", pk=run.pk)
    else:
        date_from, date_to = default_period(project)
        form = ReportRequestForm(initial={"date_from": date_from, "date_to": date_to})
    runs, sorting = sort_rows(request, runs_visible_to(request.user).filter(project=project), REPORT_RUN_SORT)
    return render(request, "reporting/reports/list.html", {
        "project": project, "form": form if can_manage else None, "runs": paginate(request, runs, PAGE_SIZE),
        "sorting": sorting, "can_manage": can_manage,
    })  # fmt: skip


@role_required(*PROJECT_ROLES)
@require_GET
def report_detail(request, pk):
    return _run_page(request, pk, "reporting/reports/detail.html")


@role_required(*PROJECT_ROLES)
@require_GET
def report_status(request, pk):
    """The htmx partial polled every 2 s while the run is queued or running."""
    return _run_page(request, pk, "reporting/reports/partials/status.html")


def _run_page(request, pk, template, *, submit_form=None, status=200):
    """A run visible to the user, shown by `template` (the page or its polled status part)."""
    run = get_object_or_404(runs_visible_to(request.user), pk=pk)
    can_manage = can_manage_project(request.user, run.project)
    submitted = getattr(run, "submission", None)
    if submit_form is None and can_manage and submitted is None and run.status == ReportStatus.DONE:
        submit_form = ReportSubmitForm()
    return render(request, template, {
        "run": run, "project": run.project, "can_manage": can_manage, "submission": submitted,
        "submit_form": submit_form if submitted is None else None,
        "no_worker": run.status == ReportStatus.QUEUED and worker_state() == MISSING,
    }, status=status)  # fmt: skip


@role_required(*PROJECT_ROLES)
@require_POST
def report_submit_view(request, pk):
    """Mark a rendered report as submitted with a payment claim (the project manager)."""
    run = get_object_or_404(runs_visible_to(request.user), pk=pk)
    if not can_manage_project(request.user, run.project):
        return HttpResponse(_("Raport jako złożony oznacza kierownik projektu."), status=403)
    form = ReportSubmitForm(request.POST)
    status = 200
    if form.is_valid():
        _saved, status = submit(form, lambda: report_submit(run=run, by=request.user, **form.cleaned_data))
        if status is None:
            messages.success(request, _("Oznaczono raport jako złożony: jego liczby, braki danych i PDF są zamrożone."))
            return redirect("reporting:report_detail", pk=run.pk)
    return _run_page(request, pk, "reporting/reports/detail.html", submit_form=form, status=status or 200)


@role_required(*PROJECT_ROLES)
@require_GET
def report_download(request, pk):
    run = get_object_or_404(runs_visible_to(request.user), pk=pk)
    if run.status != ReportStatus.DONE or not run.file:
        raise Http404
    try:
        handle = run.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    shown(request, run)
    logger.info("report run %s downloaded by user %s", run.pk, request.user.pk)
    return FileResponse(handle, as_attachment=True, filename=run.download_name(), content_type="application/pdf")


@role_required(*PROJECT_ROLES)
@require_POST
def report_retry_view(request, pk):
    run = get_object_or_404(runs_visible_to(request.user), pk=pk)
    try:
        report_retry(run=run, by=request.user)
    except DomainError as exc:
        return _conflict(exc)
    render_after_commit(run.pk)
    messages.success(request, _("Raport ponownie w kolejce."))
    return redirect("reporting:report_detail", pk=run.pk)
