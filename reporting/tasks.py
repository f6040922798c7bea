"""Celery tasks of the reporting room and the only place it enqueues: tasks take ids and call
services; the helpers here hand work to the broker after the commit (render_after_commit)."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reporting.services.followups import followup_reminders_send
from reporting.services.participant_uploads import uploads_purge_expired
from reporting.services.reports import (
    REPORT_TIME_LIMIT,
    ReportBusy,
    TransientReportError,
    report_fail,
    report_mark_sent,
    report_mark_unsent,
    report_render,
    report_requeue_dead,
    reports_undelivered,
)

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=10 * 60, soft_time_limit=9 * 60)
def send_followup_reminders() -> int:
    """Daily: e-mail each project manager what is due and overdue. Idempotent per user and day
    (FollowUpReminder claim), so a re-delivered or repeated run sends nothing twice."""
    sent = followup_reminders_send()
    logger.info("follow-up reminders: %s e-mails", sent)
    return sent


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=60)
def purge_participant_uploads() -> int:
    """Hourly: delete participant files left on their preview past their hour (never committed)."""
    deleted = uploads_purge_expired()
    logger.info("participant uploads purged: %s", deleted)
    return deleted


# --- report runs ----------------------------------------------------------------------------


@shared_task(
    bind=True,
    name="reporting.render_report",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=REPORT_TIME_LIMIT,
    soft_time_limit=REPORT_TIME_LIMIT - 30,
    max_retries=3,
    ignore_result=True,
)
def render_report(self, run_id: int) -> bool:
    try:
        return report_render(run_id=run_id)
    except ReportBusy as busy:
        # A re-delivered message (reject_on_worker_lost, visibility timeout) or a second one from
        # the sweep while the run's heartbeat is still fresh: look again once the lease could have
        # run out; if its worker died meanwhile, that look takes the run over. (In-process tasks,
        # the embedded default, have no worker to wait for: the sweep is their only path.)
        if not self.app.conf.task_always_eager:
            report_send(run_id, countdown=busy.retry_in)
        return False
    except TransientReportError as exc:
        if self.request.retries >= self.max_retries:
            report_fail(run_id=run_id, reason=f"Błąd przejściowy powtarzał się {self.max_retries} razy: {exc}")
            return False
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
    except SoftTimeLimitExceeded:
        report_fail(run_id=run_id, reason="Przekroczono limit czasu generowania raportu.")
        return False


@shared_task(name="reporting.requeue_stuck_reports", acks_late=True, ignore_result=True)
def requeue_stuck_reports() -> list[int]:
    """The periodic sweep (beat, every minute): runs whose worker died go back to the queue and
    are sent after that commit; runs the broker never got (it was down) or lost (restarted without
    persistence) are sent again. The claim in report_render keeps a second message from rendering
    twice."""
    now = timezone.now()
    requeued = report_requeue_dead(now=now)
    for run_id in requeued:
        render_after_commit(run_id)
    requeued += [run_id for run_id in reports_undelivered(now=now, exclude=requeued) if report_send(run_id)]
    if requeued:
        logger.warning("report runs re-queued: %s", requeued)
    return requeued


def report_send(run_id: int, *, countdown: float | None = None) -> bool:
    """Hand the run to the broker now. A broker outage is logged (ids and the error class only) and
    leaves enqueued_at empty: the periodic sweep sends the run again."""
    options: dict = {"queue": settings.REPORTING_TASK_QUEUE} if settings.REPORTING_TASK_QUEUE else {}
    if countdown:
        options["countdown"] = countdown
    try:
        render_report.apply_async(args=[run_id], **options)
    except Exception as exc:  # kombu/redis errors of every kind: the request itself is stored
        logger.warning("report run %s not sent to the queue (%s); the sweep sends it again", run_id,
                       type(exc).__name__)  # fmt: skip
        report_mark_unsent(run_id=run_id)
        return False
    report_mark_sent(run_id=run_id)
    return True


def render_after_commit(run_id: int) -> None:
    """Send a queued run once the transaction that queued it commits (at once outside one)."""
    # robust: a broker outage must not turn a committed request into an error page (report_send
    # logs it itself; robust is the second net); the periodic sweep sends queued runs again.
    transaction.on_commit(lambda: report_send(run_id), robust=True)
