"""A real Celery worker renders a report: the request goes through Redis to a separate worker
process that reads the same (committed) PostgreSQL test database and writes the PDF."""

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app as celery_app
from reporting.models import ReportRun, ReportStatus
from reporting.services.reports import report_request
from reporting.tasks import render_after_commit
from tests.reporting import fixtures_indicators as fx

ROOT = Path(__file__).resolve().parents[2]
populated_project = fx.populated_project


@pytest.fixture
def report_worker(redis_url, settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.fail("the worker test needs PostgreSQL (DATABASE_URL)")
    queue = f"reports-{uuid.uuid4().hex[:8]}"
    media_root = tmp_path / "media"
    settings.MEDIA_ROOT = media_root
    settings.REPORTING_TASK_QUEUE = queue
    db = connection.settings_dict
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "MEDIA_ROOT": str(media_root),
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "-Q", queue,
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    celery_app.conf.task_always_eager = False
    yield media_root
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_requested_report(populated_project, manager, report_worker):
    run, created = report_request(project=populated_project, date_from=dt.date(2018, 1, 1),
                                  date_to=dt.date(2018, 12, 31), by=manager)  # fmt: skip
    assert created
    render_after_commit(run.pk)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in (ReportStatus.DONE, ReportStatus.FAILED):
            break
        time.sleep(0.5)
    assert run.status == ReportStatus.DONE, run.error
    path = Path(report_worker) / run.file.name
    text = fx.pdf_text(path)
    assert populated_project.agreement_number in text and "OUT_AROPE" in text
    assert "Tajemnicza" not in text
    assert ReportRun.objects.get(pk=run.pk).attempts == 1
