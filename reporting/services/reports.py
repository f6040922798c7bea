"""Report runs: request (deduplicated), render (idempotent claim), retry, re-queue stuck runs.

The PDF is rendered by `report_pdf_bytes`, the one builder used by the Celery task and by the
`render_report` command; the file name is deterministic per run, so a rerun overwrites it. The
job mechanics (claim, lease and heartbeat, atomic write) are core.jobs; handing runs to the
broker is reporting/tasks.py (this module never imports it).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.errors import DomainError
from core.jobs import JobTable, write_atomically
from core.pdf import render_pdf
from reporting.access import can_manage_project
from reporting.models import ReportKind, ReportRun, ReportStatus
from reporting.models.reports import ACTIVE_STATUSES, report_file_name
from reporting.rulesets import engine_for
from reporting.selectors.budget import budget_summary
from reporting.services.submissions import report_snapshot

logger = logging.getLogger(__name__)

# Hard time limit of the render task (a worker that dies is noticed by its missing heartbeat,
# settings.REPORT_LEASE_SECONDS, long before this).
REPORT_TIME_LIMIT = 10 * 60
# A run created this long ago and never handed to the broker is sent by the sweep (the request's
# own on_commit send gets this much time first).
NEVER_SENT_GRACE = dt.timedelta(seconds=5)
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class TransientReportError(Exception):
    """Rendering hit a transient error (database connection): the run went back to the queue."""


def report_pdf_bytes(*, project, date_from: dt.date, date_to: dt.date, generated_at=None, table=None,
                     meanwhile=None) -> bytes:  # fmt: skip
    """The indicator progress report of EFS_RULES.md §6 as PDF bytes (no names, no PESELs), under
    the project's rule set (reporting.rulesets); `table` when the caller has computed it;
    `meanwhile`: the caller's work done while WeasyPrint lays the PDF out (core.pdf.render_pdf)."""
    engine = engine_for(project)
    if table is None:
        table = engine.table(project, date_from=date_from, date_to=date_to)
    context = {
        "project": project,
        "partners": list(project.partners.all()),
        "report": table,
        "rules": engine,
        "budget": budget_summary(project),
        "generated_at": generated_at or timezone.now(),
        **engine.dashboard_context(table),
    }
    return render_pdf("reporting/pdf/indicator_report.html", context, meanwhile=meanwhile)


def report_mark_sent(*, run_id: int) -> None:
    """The run's message went to the broker (reporting.tasks.report_send)."""
    ReportRun.objects.filter(pk=run_id).update(enqueued_at=timezone.now())


def report_mark_unsent(*, run_id: int) -> None:
    """The broker did not take the run's message: enqueued_at stays empty, so the periodic sweep
    (reporting.tasks.requeue_stuck_reports) sends the run again."""
    ReportRun.objects.filter(pk=run_id, status=ReportStatus.QUEUED).update(enqueued_at=None)


def _check_period(date_from, date_to):
    if date_from > date_to:
        raise DomainError("Początek okresu jest późniejszy niż koniec.")


@transaction.atomic
def report_request(
    *, project, date_from: dt.date, date_to: dt.date, kind: str = ReportKind.INDICATOR_PROGRESS, by
) -> tuple[ReportRun, bool]:
    """Queue a report; while the same report (project, kind, period) is queued or running the
    existing run is returned instead of a second one: (run, created). A created run is handed to
    the broker by the caller (reporting.tasks.render_after_commit)."""
    if by is not None and not can_manage_project(by, project):
        raise DomainError("Raporty zleca kierownik projektu.")
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
    return run, True


@transaction.atomic
def report_retry(*, run: ReportRun, by) -> ReportRun:
    """A failed run goes back to the queue (a conditional UPDATE: a double click retries once); the
    caller hands it to the broker (reporting.tasks.render_after_commit)."""
    if not can_manage_project(by, run.project):
        raise DomainError("Raporty zleca kierownik projektu.")
    try:
        with transaction.atomic():
            updated = ReportRun.objects.filter(pk=run.pk, status=ReportStatus.FAILED).update(
                status=ReportStatus.QUEUED, error="", started_at=None, finished_at=None
            )
    except IntegrityError as exc:
        raise DomainError("Ten sam raport jest już w kolejce.", conflict=True) from exc
    if not updated:
        raise DomainError("Ponowić można tylko raport zakończony błędem.", conflict=True)
    logger.info("report run %s retried by user %s", run.pk, by.pk)
    run.refresh_from_db()
    return run


class ReportBusy(Exception):
    """The run is being rendered by a live worker (fresh heartbeat): check again after `retry_in`."""

    def __init__(self, retry_in: float):
        super().__init__(retry_in)
        self.retry_in = retry_in


# The job state of a run (core.jobs): claim, lease and heartbeat, takeover of a dead worker's run.
RUNS = JobTable(ReportRun, queued=ReportStatus.QUEUED, running=ReportStatus.RUNNING)
# The snapshot is stored while WeasyPrint lays the PDF out (_render_claimed), so before the run is
# done: every write that leaves the run not done (failed, back in the queue, a new attempt) empties
# it (snapshot={}), and a run has a snapshot only once done, that of its PDF.


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.REPORT_LEASE_SECONDS)


def report_fail(*, run_id: int, reason: str, token: str | None = None) -> None:
    runs = ReportRun.objects.filter(pk=run_id, status__in=ACTIVE_STATUSES)
    if token is not None:
        runs = runs.filter(claim_token=token)
    runs.update(status=ReportStatus.FAILED, error=reason[:1000], finished_at=timezone.now(), snapshot={})
    logger.warning("report run %s failed: %s", run_id, reason[:200])


def report_render(*, run_id: int) -> bool:
    """Render a queued run (or take over one whose worker died). Claims it with a conditional
    UPDATE: a duplicate or re-delivered task finds nothing to claim and does nothing; while a
    live worker renders it, ReportBusy says when to look again. Returns True when this call
    rendered the file."""
    token = RUNS.claim(run_id, lease=_lease(), max_attempts=settings.REPORT_MAX_ATTEMPTS, finished_at=None, error="",
                       snapshot={})  # fmt: skip
    if token is None:
        # alive: look again once the lease could have run out; a dead run past its attempts is
        # left to the sweep to fail
        busy_for = RUNS.busy_for(run_id, lease=_lease())
        if busy_for is not None:
            raise ReportBusy(retry_in=busy_for + 1)
        logger.info("report run %s not claimable (done, failed or taken); nothing to do", run_id)
        return False
    with RUNS.heartbeat(run_id, token, interval=settings.REPORT_HEARTBEAT_SECONDS, name=f"report-heartbeat-{run_id}"):
        return _render_claimed(run_id, token)


def _render_claimed(run_id: int, token: str) -> bool:
    try:
        run = ReportRun.objects.select_related("project").get(pk=run_id)
        engine = engine_for(run.project)
        table = engine.table(run.project, date_from=run.period_from, date_to=run.period_to)
        stored = []

        def store_snapshot():
            # the snapshot's queries and its UPDATE (megabytes of JSON at city scale) while
            # WeasyPrint lays the PDF out; a run that fails then loses it again (see RUNS)
            snapshot = report_snapshot(engine=engine, project=run.project, table=table)
            stored.append(RUNS.owned(run_id, token).update(snapshot=snapshot))

        data = report_pdf_bytes(project=run.project, date_from=run.period_from, date_to=run.period_to, table=table,
                                meanwhile=store_snapshot)  # fmt: skip
        if not stored:  # a report_pdf_bytes without `meanwhile` (the tests' stand-ins)
            store_snapshot()
        saved = write_atomically(run.file.storage, report_file_name(run), data)
    except TRANSIENT_ERRORS as exc:
        try:
            RUNS.owned(run_id, token).update(status=ReportStatus.QUEUED, snapshot={})
        except TRANSIENT_ERRORS:
            connection.close()  # the database is away: the sweep takes the run over after the lease
        logger.warning("report run %s: transient error %s, back to the queue", run_id, type(exc).__name__)
        raise TransientReportError(str(exc)) from exc
    except Exception as exc:
        logger.exception("report run %s failed", run_id)
        report_fail(run_id=run_id, token=token,
                    reason=f"Nie udało się wygenerować raportu ({type(exc).__name__}: {exc}).")  # fmt: skip
        return False
    done = RUNS.owned(run_id, token).update(status=ReportStatus.DONE, file=saved, finished_at=timezone.now())
    logger.info("report run %s done (%s bytes)", run_id, len(data))
    return bool(done)


def report_requeue_dead(*, now: dt.datetime) -> list[int]:
    """Runs "running" whose worker stopped beating for longer than the lease lost it: back to the
    queue, or failed with a reason after REPORT_MAX_ATTEMPTS attempts (a report that kills its
    worker every time). Returns the runs put back in the queue: the caller sends them
    (reporting.tasks.requeue_stuck_reports); the claim in report_render renders each once."""
    requeued = []
    dead = ReportRun.objects.filter(RUNS.dead_running(now=now, lease=_lease()))
    for run_id, attempts in dead.values_list("pk", "attempts"):
        with transaction.atomic():
            if attempts >= settings.REPORT_MAX_ATTEMPTS:
                if dead.filter(pk=run_id).update(
                    status=ReportStatus.FAILED, finished_at=now, snapshot={},
                    error=f"Generowanie raportu przerwało się {attempts} razy (proces roboczy zakończył się "
                          "nieoczekiwanie). Spróbuj ponownie lub zgłoś to administratorowi.",
                ):  # fmt: skip
                    logger.warning("report run %s failed after %s lost attempts", run_id, attempts)
                continue
            if dead.filter(pk=run_id).update(status=ReportStatus.QUEUED, enqueued_at=None, claim_token="", snapshot={}):
                requeued.append(run_id)
    return requeued


def reports_undelivered(*, now: dt.datetime, exclude: Iterable[int] = ()) -> list[int]:
    """Runs queued but never handed to the broker (it was down), or handed over long ago and still
    waiting (a broker restarted without persistence lost its queue): the sweep sends them again."""
    resend_before = now - dt.timedelta(seconds=settings.REPORT_RESEND_AFTER_SECONDS)
    undelivered = (
        ReportRun.objects.filter(status=ReportStatus.QUEUED)
        .filter(Q(enqueued_at__isnull=True, created_at__lt=now - NEVER_SENT_GRACE) | Q(enqueued_at__lt=resend_before))
        .exclude(pk__in=exclude)
    )
    return list(undelivered.values_list("pk", flat=True))
