"""Fault: Redis (the broker) is stopped while people request reports.

Real processes: a private Redis without persistence (stopping it loses its queue, as a crash
would) and a Celery worker. The web answers every request while Redis is down — the run is
stored and its page shows it queued, /healthz says the queue is in error — and once Redis is
back the periodic sweep (sent here as beat sends it) delivers every run, including one whose
message Redis lost; the web process sends new reports again without being restarted."""

import datetime as dt
import logging

import pytest
from django.urls import reverse

from reporting.models import ReportRun, ReportStatus
from reporting.services.reports import report_request
from reporting.tasks import render_after_commit, requeue_stuck_reports
from tests.faults.services import CeleryWorker, app_env, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def ask_on_the_page(client, project, date_from, date_to):
    return client.post(f"/raporty/projekty/{project.pk}/raporty/",
                       {"date_from": f"{date_from:%d.%m.%Y}", "date_to": f"{date_to:%d.%m.%Y}"})  # fmt: skip


def test_reports_requested_while_redis_is_down_are_answered_and_run_once_it_is_back(
    project, manager, login, private_redis, media, test_database_url, tmp_path, caplog
):
    client = login(manager)
    # sent before the outage, never picked up (no worker yet): Redis loses it when it stops
    lost, _ = report_request(project=project, date_from=dt.date(2018, 1, 1), date_to=dt.date(2018, 3, 31), by=manager)
    render_after_commit(lost.pk)
    assert ReportRun.objects.get(pk=lost.pk).enqueued_at is not None
    private_redis.stop()

    assert client.get("/healthz").json() == {"database": "ok", "queue": "error", "worker": "error"}
    with caplog.at_level(logging.WARNING, logger="reporting.tasks"):
        response = ask_on_the_page(client, project, dt.date(2018, 4, 1), dt.date(2018, 6, 30))
    during = ReportRun.objects.get(period_from=dt.date(2018, 4, 1))
    assert response.status_code == 302 and response["Location"] == reverse("reporting:report_detail", args=[during.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'data-status="queued"' in page.content.decode()
    assert during.status == ReportStatus.QUEUED and during.enqueued_at is None
    assert f"report run {during.pk} not sent to the queue (OperationalError)" in caplog.text
    assert manager.first_name not in caplog.text and manager.username not in caplog.text

    private_redis.start()  # empty, on the same address
    assert client.get("/healthz").json() == {"database": "ok", "queue": "ok", "worker": "missing"}  # not started yet
    worker = CeleryWorker(app_env(REDIS_URL=private_redis.url, DATABASE_URL=test_database_url, MEDIA_ROOT=media,
                                  REPORT_RESEND_AFTER_SECONDS=3, CONN_MAX_AGE=0),
                          tmp_path / "worker.log", name="after-outage").start()  # fmt: skip
    try:
        # the web process sends again without a restart
        after = ask_on_the_page(client, project, dt.date(2018, 7, 1), dt.date(2018, 9, 30))
        assert after.status_code == 302
        assert ReportRun.objects.get(period_from=dt.date(2018, 7, 1)).enqueued_at is not None

        def all_done():
            requeue_stuck_reports.apply_async()  # what beat sends every minute
            return not ReportRun.objects.exclude(status__in=[ReportStatus.DONE, ReportStatus.FAILED]).exists()

        wait_for(all_done, timeout=120, interval=2, what="the reports to run once Redis is back")
        runs = list(ReportRun.objects.order_by("period_from"))
        assert [(run.status, run.attempts) for run in runs] == [(ReportStatus.DONE, 1)] * 3, [r.error for r in runs]
        assert sorted(p.name for p in media.rglob("*.pdf")) == sorted(f"report-{run.pk}.pdf" for run in runs)
        log = worker.log_text()
        assert "report runs re-queued: " in log and str(during.pk) in log and str(lost.pk) in log
    finally:
        worker.stop()
