"""The Celery app of a fault test's worker that renders slowly: `celery -A tests.faults.slow_worker
worker` with FAULTS_RENDER_DELAY_SECONDS in its environment. Each pool process sleeps that long
before building a report's PDF, that is after the run was claimed and while its heartbeat beats:
a window in which the test kills the worker mid-report. Production code has no such hook."""

import os
import time

from celery.signals import worker_process_init

from config.celery import app

__all__ = ["app"]


@worker_process_init.connect
def _render_slowly(**_kwargs):
    from reporting.services import reports  # Django's apps are ready only once the worker runs

    delay = float(os.environ.get("FAULTS_RENDER_DELAY_SECONDS", "0"))
    real = reports.report_pdf_bytes

    def slow_pdf_bytes(**kwargs):
        time.sleep(delay)
        return real(**kwargs)

    reports.report_pdf_bytes = slow_pdf_bytes
