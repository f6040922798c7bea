"""Report runs: request (deduplicated), render (idempotent claim), retry, re-queue stuck runs.

The PDF is rendered by `report_pdf_bytes`, the one builder used by the Celery task and by the
`render_report` command; the file name is deterministic per run, so a rerun overwrites it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.errors import DomainError
from core.pdf import render_pdf
from reporting.access import can_manage_project
from reporting.models import ReportKind, ReportRun, ReportStatus
from reporting.models.reports import ACTIVE_STATUSES, report_file_name
from reporting.selectors.budget import budget_summary
from reporting.selectors.charts import effectiveness_chart, indicator_progress_chart
from reporting.selectors.indicators import project_indicators

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


def report_send(run_id: int, *, countdown: float | None = None) -> bool:
    """Hand the run to the broker. A broker outage is logged (ids and the error class only) and
    leaves enqueued_at empty: the periodic sweep (report_requeue_stuck) sends the run again."""
    from reporting.tasks_reports import render_report

    queue = getattr(settings, "REPORTING_TASK_QUEUE", None)
    options = {"queue": queue} if queue else {}
    if countdown:
        options["countdown"] = countdown
    try:
        render_report.apply_async(args=[run_id], **options)
    except Exception as exc:  # kombu/redis errors of every kind: the request itself is stored
        logger.warning("report run %s not sent to the queue (%s); the sweep sends it again", run_id,
                       type(exc).__name__)  # fmt: skip
        ReportRun.objects.filter(pk=run_id, status=ReportStatus.QUEUED).update(enqueued_at=None)
        return False
    ReportRun.objects.filter(pk=run_id).update(enqueued_at=timezone.now())
    return True


def enqueue_after_commit(run_id: int) -> None:
    # robust: a broker outage must not turn a committed request into an error page (report_send
    # logs it itself; robust is the second net); the periodic sweep sends queued runs again.
    transaction.on_commit(lambda: report_send(run_id), robust=True)


def _check_period(date_from, date_to):
    if date_from > date_to:
        raise DomainError("Początek okresu jest późniejszy niż koniec.")


@transaction.atomic
def report_request(
    *, project, date_from: dt.date, date_to: dt.date, kind: str = ReportKind.INDICATOR_PROGRESS, by, enqueue=True
) -> tuple[ReportRun, bool]:
    """Queue a report; while the same report (project, kind, period) is queued or running the
    existing run is returned instead of a second one: (run, created)."""
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
    if enqueue:
        enqueue_after_commit(run.pk)
    return run, True


@transaction.atomic
def report_retry(*, run: ReportRun, by) -> ReportRun:
    """A failed run goes back to the queue (a conditional UPDATE: a double click retries once)."""
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
    enqueue_after_commit(run.pk)
    run.refresh_from_db()
    return run


class ReportBusy(Exception):
    """The run is being rendered by a live worker (fresh heartbeat): check again after `retry_in`."""

    def __init__(self, retry_in: float):
        super().__init__(retry_in)
        self.retry_in = retry_in


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.REPORT_LEASE_SECONDS)


def _dead_running(now) -> Q:
    """A run "running" whose worker stopped beating for longer than the lease: it died (SIGKILL,
    OOM, machine lost). Runs from before heartbeats count from started_at."""
    return Q(status=ReportStatus.RUNNING) & (
        Q(heartbeat_at__lt=now - _lease()) | Q(heartbeat_at__isnull=True, started_at__lt=now - _lease())
    )


def _claim(run_id: int) -> str | None:
    """queued -> running, or a takeover of a run whose worker died, in one conditional UPDATE.
    Returns this attempt's token (every later write of the attempt is conditional on it)."""
    now = timezone.now()
    token = uuid.uuid4().hex
    claimable = Q(status=ReportStatus.QUEUED) | (_dead_running(now) & Q(attempts__lt=settings.REPORT_MAX_ATTEMPTS))
    claimed = ReportRun.objects.filter(claimable, pk=run_id).update(
        status=ReportStatus.RUNNING, started_at=now, heartbeat_at=now, claim_token=token, finished_at=None,
        error="", attempts=F("attempts") + 1,
    )  # fmt: skip
    return token if claimed else None


class _Heartbeat(threading.Thread):
    """Refreshes heartbeat_at of the claimed run while it renders (its own DB connection)."""

    def __init__(self, run_id: int, token: str):
        super().__init__(name=f"report-heartbeat-{run_id}", daemon=True)
        self.run_id, self.token = run_id, token
        self.interval = settings.REPORT_HEARTBEAT_SECONDS
        self.finished = threading.Event()

    def run(self):
        try:
            while not self.finished.wait(self.interval):
                try:
                    ReportRun.objects.filter(
                        pk=self.run_id, status=ReportStatus.RUNNING, claim_token=self.token
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError as exc:
                    logger.warning("report run %s: heartbeat failed (%s)", self.run_id, type(exc).__name__)
                    connection.close()
        finally:
            connection.close()

    def stop(self):
        self.finished.set()
        self.join(timeout=10)


def _write_atomically(storage, name: str, data: bytes) -> str:
    """The run's deterministic file appears whole or not at all: written to a temporary file
    beside it and renamed over it, so a worker killed mid-write leaves no partial or second file."""
    if not hasattr(storage, "path"):  # remote storage: overwrite the one deterministic name
        if storage.exists(name):
            storage.delete(name)
        return storage.save(name, ContentFile(data))
    target = Path(storage.path(name))
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp",
                                     delete=False) as handle:  # fmt: skip
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.chmod(handle.name, 0o640)
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return name


def report_fail(*, run_id: int, reason: str, token: str | None = None) -> None:
    runs = ReportRun.objects.filter(pk=run_id, status__in=ACTIVE_STATUSES)
    if token is not None:
        runs = runs.filter(claim_token=token)
    runs.update(status=ReportStatus.FAILED, error=reason[:1000], finished_at=timezone.now())
    logger.warning("report run %s failed: %s", run_id, reason[:200])


def report_render(*, run_id: int) -> bool:
    """Render a queued run (or take over one whose worker died). Claims it with a conditional
    UPDATE: a duplicate or re-delivered task finds nothing to claim and does nothing; while a
    live worker renders it, ReportBusy says when to look again. Returns True when this call
    rendered the file."""
    token = _claim(run_id)
    if token is None:
        run = ReportRun.objects.filter(pk=run_id).values("status", "heartbeat_at").first()
        if run and run["status"] == ReportStatus.RUNNING and run["heartbeat_at"]:
            next_check = (run["heartbeat_at"] + _lease() - timezone.now()).total_seconds()
            if next_check >= 0:  # alive; a dead run past its attempts is left to the sweep to fail
                raise ReportBusy(retry_in=next_check + 1)
        logger.info("report run %s not claimable (done, failed or taken); nothing to do", run_id)
        return False
    heartbeat = _Heartbeat(run_id, token)
    heartbeat.start()
    try:
        return _render_claimed(run_id, token)
    finally:
        heartbeat.stop()


def _render_claimed(run_id: int, token: str) -> bool:
    try:
        run = ReportRun.objects.select_related("project").get(pk=run_id)
        if settings.REPORT_RENDER_DELAY_SECONDS:
            time.sleep(settings.REPORT_RENDER_DELAY_SECONDS)
        data = report_pdf_bytes(project=run.project, date_from=run.period_from, date_to=run.period_to)
        saved = _write_atomically(run.file.storage, report_file_name(run), data)
    except TRANSIENT_ERRORS as exc:
        try:
            ReportRun.objects.filter(pk=run_id, status=ReportStatus.RUNNING, claim_token=token).update(
                status=ReportStatus.QUEUED
            )
        except TRANSIENT_ERRORS:
            connection.close()  # the database is away: the sweep takes the run over after the lease
        logger.warning("report run %s: transient error %s, back to the queue", run_id, type(exc).__name__)
        raise TransientReportError(str(exc)) from exc
    except Exception as exc:
        logger.exception("report run %s failed", run_id)
        report_fail(run_id=run_id, token=token,
                    reason=f"Nie udało się wygenerować raportu ({type(exc).__name__}: {exc}).")  # fmt: skip
        return False
    done = ReportRun.objects.filter(pk=run_id, status=ReportStatus.RUNNING, claim_token=token).update(
        status=ReportStatus.DONE, file=saved, finished_at=timezone.now()
    )
    logger.info("report run %s done (%s bytes)", run_id, len(data))
    return bool(done)


def report_requeue_stuck(*, now=None) -> list[int]:
    """The periodic sweep (every minute). Runs "running" whose worker stopped beating for longer
    than the lease lost it: back to the queue and sent again, or failed with a reason after
    REPORT_MAX_ATTEMPTS attempts (a report that kills its worker every time). Runs queued but
    never handed to the broker (it was down), or handed over long ago and still waiting (a broker
    restarted without persistence lost its queue) are sent again. The claim in report_render
    keeps a second message from rendering twice."""
    now = now or timezone.now()
    requeued = []
    dead = ReportRun.objects.filter(_dead_running(now))
    for run_id, attempts in dead.values_list("pk", "attempts"):
        with transaction.atomic():
            if attempts >= settings.REPORT_MAX_ATTEMPTS:
                if dead.filter(pk=run_id).update(
                    status=ReportStatus.FAILED, finished_at=now,
                    error=f"Generowanie raportu przerwało się {attempts} razy (proces roboczy zakończył się "
                          "nieoczekiwanie). Spróbuj ponownie lub zgłoś to administratorowi.",
                ):  # fmt: skip
                    logger.warning("report run %s failed after %s lost attempts", run_id, attempts)
                continue
            if dead.filter(pk=run_id).update(status=ReportStatus.QUEUED, enqueued_at=None, claim_token=""):
                requeued.append(run_id)
                enqueue_after_commit(run_id)
    resend_before = now - dt.timedelta(seconds=settings.REPORT_RESEND_AFTER_SECONDS)
    undelivered = (
        ReportRun.objects.filter(status=ReportStatus.QUEUED)
        .filter(Q(enqueued_at__isnull=True, created_at__lt=now - NEVER_SENT_GRACE) | Q(enqueued_at__lt=resend_before))
        .exclude(pk__in=requeued)
    )
    for run_id in undelivered.values_list("pk", flat=True):
        if report_send(run_id):
            requeued.append(run_id)
    if requeued:
        logger.warning("report runs re-queued: %s", requeued)
    return requeued
