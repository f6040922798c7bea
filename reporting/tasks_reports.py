"""Celery tasks of the reports (registered from ReportingConfig.ready(); the participants part
of this room has reporting/tasks.py). Tasks take ids and call services."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from reporting.services import reports as report_services
from reporting.services.reports import (
    REPORT_TIME_LIMIT,
    ReportBusy,
    TransientReportError,
    report_fail,
    report_render,
    report_requeue_stuck,
)

logger = logging.getLogger(__name__)


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
            report_services.report_send(run_id, countdown=busy.retry_in)
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
    return report_requeue_stuck()
