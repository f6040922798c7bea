"""Report runs: request (deduplicated), render (idempotent claim), retry, re-queue stuck runs.

The PDF is rendered by `report_pdf_bytes`, the one builder used by the Celery task and by the
`render_report` command; the file name is deterministic per run, so a rerun overwrites it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from contracts.exceptions import TransitionError
from reporting.access import can_manage_project
from reporting.models import ReportKind, ReportRun, ReportStatus
from reporting.models.reports import ACTIVE_STATUSES, report_file_name
from reporting.selectors.budget import budget_summary
from reporting.selectors.charts import effectiveness_chart, indicator_progress_chart
from reporting.selectors.indicators import project_indicators
from support_network.pdf import render_pdf

logger = logging.getLogger(__name__)

# Hard time limit of the render task; a run "running" for longer than this lost its worker.
REPORT_TIME_LIMIT = 10 * 60
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class TransientReportError(Exception):
    """Rendering hit a transient error (database connection): the run went back to the queue."""


def report_pdf_bytes(*, project, date_from: dt.date, date_to: dt.date, generated_at=None) -> bytes:
    """The indicator progress report of EFS_RULES.md §6 as PDF bytes (no names, no PESELs)."""
    indicators = project_indicators(project, date_from=date_from, date_to=date_to)
    budget = budget_summary(project)
    context = {
        "project": project,
        "partners": list(project.partners.all()),
        "report": indicators,
        "budget": budget,
        "progress_chart": indicator_progress_chart(indicators),
        "effectiveness_chart": effectiveness_chart(indicators),
        "generated_at": generated_at or timezone.now(),
    }
    return render_pdf("reporting/pdf/indicator_report.html", context)


def _enqueue(run_id: int) -> None:
    from django.conf import settings

    from reporting.tasks_reports import render_report

    queue = getattr(settings, "REPORTING_TASK_QUEUE", None)
    render_report.apply_async(args=[run_id], **({"queue": queue} if queue else {}))


def enqueue_after_commit(run_id: int) -> None:
    # robust: a broker outage must not turn a committed request into an error page; the
    # periodic sweep (report_requeue_stuck) sends queued runs again.
    transaction.on_commit(lambda: _enqueue(run_id), robust=True)


def _check_period(date_from, date_to):
    if date_from > date_to:
        raise TransitionError("Początek okresu jest późniejszy niż koniec.")


@transaction.atomic
def report_request(
    *, project, date_from: dt.date, date_to: dt.date, kind: str = ReportKind.INDICATOR_PROGRESS, by, enqueue=True
) -> tuple[ReportRun, bool]:
    """Queue a report; while the same report (project, kind, period) is queued or running the
    existing run is returned instead of a second one: (run, created)."""
    if by is not None and not can_manage_project(by, project):
        raise TransitionError("Raporty zleca kierownik projektu.")
    _check_period(date_from, date_to)
    params = {"project": project, "kind": kind, "period_from": date_from, "period_to": date_to}
    existing = ReportRun.objects.filter(**params, status__in=ACTIVE_STATUSES).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            run = ReportRun.objects.create(**params, requested_by=by)
    except IntegrityError:
        # a concurrent request won the partial unique constraint
        return ReportRun.objects.get(**params, status__in=ACTIVE_STATUSES), False
    logger.info("report run %s queued for project %s by user %s", run.pk, project.pk, getattr(by, "pk", None))
    if enqueue:
        enqueue_after_commit(run.pk)
    return run, True


@transaction.atomic
def report_retry(*, run: ReportRun, by) -> ReportRun:
    """A failed run goes back to the queue (a conditional UPDATE: a double click retries once)."""
    if not can_manage_project(by, run.project):
        raise TransitionError("Raporty zleca kierownik projektu.")
    try:
        with transaction.atomic():
            updated = ReportRun.objects.filter(pk=run.pk, status=ReportStatus.FAILED).update(
                status=ReportStatus.QUEUED, error="", started_at=None, finished_at=None
            )
    except IntegrityError as exc:
        raise TransitionError("Ten sam raport jest już w kolejce.", conflict=True) from exc
    if not updated:
        raise TransitionError("Ponowić można tylko raport zakończony błędem.", conflict=True)
    logger.info("report run %s retried by user %s", run.pk, by.pk)
    enqueue_after_commit(run.pk)
    run.refresh_from_db()
    return run


def _claim(run_id: int) -> bool:
    return bool(
        ReportRun.objects.filter(pk=run_id, status=ReportStatus.QUEUED).update(
            status=ReportStatus.RUNNING, started_at=timezone.now(), finished_at=None, error="",
            attempts=F("attempts") + 1,
        )  # fmt: skip
    )


def report_fail(*, run_id: int, reason: str) -> None:
    ReportRun.objects.filter(pk=run_id, status__in=ACTIVE_STATUSES).update(
        status=ReportStatus.FAILED, error=reason[:1000], finished_at=timezone.now()
    )
    logger.warning("report run %s failed: %s", run_id, reason[:200])


def report_render(*, run_id: int) -> bool:
    """Render a queued run. Claims it with a conditional UPDATE (queued -> running): a
    re-delivered or duplicate task finds nothing to claim and does nothing. Returns True when
    this call rendered the file."""
    if not _claim(run_id):
        logger.info("report run %s not queued any more; nothing to do", run_id)
        return False
    run = ReportRun.objects.select_related("project").get(pk=run_id)
    try:
        data = report_pdf_bytes(project=run.project, date_from=run.period_from, date_to=run.period_to)
        name = report_file_name(run)
        storage = run.file.storage
        if storage.exists(name):
            storage.delete(name)  # a rerun overwrites, never leaves a second file
        saved = storage.save(name, ContentFile(data))
    except TRANSIENT_ERRORS as exc:
        ReportRun.objects.filter(pk=run_id, status=ReportStatus.RUNNING).update(status=ReportStatus.QUEUED)
        logger.warning("report run %s: transient error %s, back to the queue", run_id, type(exc).__name__)
        raise TransientReportError(str(exc)) from exc
    except Exception as exc:
        logger.exception("report run %s failed", run_id)
        report_fail(run_id=run_id, reason=f"Nie udało się wygenerować raportu ({type(exc).__name__}: {exc}).")
        return False
    done = ReportRun.objects.filter(pk=run_id, status=ReportStatus.RUNNING).update(
        status=ReportStatus.DONE, file=saved, finished_at=timezone.now()
    )
    logger.info("report run %s done (%s bytes)", run_id, len(data))
    return bool(done)


def report_requeue_stuck(*, now=None, older_than: dt.timedelta | None = None) -> list[int]:
    """Runs "running" for longer than the task time limit lost their worker: back to the queue
    and sent again. Runs still "queued" after that long lost their message (broker outage): sent
    again. The claim in report_render keeps either from rendering twice."""
    now = now or timezone.now()
    limit = now - (older_than or dt.timedelta(seconds=REPORT_TIME_LIMIT + 60))
    requeued = []
    for run_id in ReportRun.objects.filter(status=ReportStatus.RUNNING, started_at__lt=limit).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            if ReportRun.objects.filter(pk=run_id, status=ReportStatus.RUNNING, started_at__lt=limit).update(
                status=ReportStatus.QUEUED
            ):
                requeued.append(run_id)
                enqueue_after_commit(run_id)
    for run_id in ReportRun.objects.filter(status=ReportStatus.QUEUED, created_at__lt=limit).exclude(
        pk__in=requeued
    ).values_list("pk", flat=True):
        requeued.append(run_id)
        _enqueue(run_id)
    if requeued:
        logger.warning("report runs re-queued: %s", requeued)
    return requeued
