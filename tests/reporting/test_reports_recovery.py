"""Report runs survive their worker and their broker: leases with heartbeats, takeover of a run
whose worker died, the sweep, a broker outage while a report is requested."""

import datetime as dt
import logging
import threading
import time
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from config.celery import app as celery_app
from core import jobs
from reporting.models import ReportRun, ReportStatus
from reporting.services import reports as report_services
from reporting.services.reports import ReportBusy, report_render, report_request
from reporting.tasks import render_report, requeue_stuck_reports
from tests.faults.services import switch_broker
from tests.reporting import fixtures_indicators as fx

FROM, TO = dt.date(2018, 1, 1), dt.date(2018, 12, 31)
NOW = dt.datetime(2024, 3, 4, 10, 0, tzinfo=dt.UTC)
media = fx.media
pytestmark = pytest.mark.django_db


def queued_run(project, manager, **kwargs):
    run, _ = report_request(project=project, date_from=FROM, date_to=TO, by=manager, **kwargs)
    return run


def mark_running(run, *, heartbeat_at, attempts=1, token="dead-worker"):  # noqa: S107 - a claim token
    ReportRun.objects.filter(pk=run.pk).update(status=ReportStatus.RUNNING, started_at=heartbeat_at,
                                                heartbeat_at=heartbeat_at, attempts=attempts,
                                                claim_token=token)  # fmt: skip


# --- the lease ------------------------------------------------------------------------------


def test_a_run_whose_worker_stopped_beating_is_taken_over_by_a_redelivered_task(project, manager, media, settings):
    settings.REPORT_LEASE_SECONDS = 60
    run = queued_run(project, manager)
    with time_machine.travel(NOW, tick=False):
        mark_running(run, heartbeat_at=NOW - dt.timedelta(seconds=61))
        assert report_render(run_id=run.pk) is True
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE and run.attempts == 2 and run.claim_token != "dead-worker"
    assert [p.name for p in Path(media).rglob("*.pdf")] == [f"report-{run.pk}.pdf"]


def test_a_run_with_a_fresh_heartbeat_is_not_taken_over_and_is_looked_at_after_the_lease(project, manager,
                                                                                          settings):  # fmt: skip
    settings.REPORT_LEASE_SECONDS = 60
    run = queued_run(project, manager)
    with time_machine.travel(NOW, tick=False):
        mark_running(run, heartbeat_at=NOW - dt.timedelta(seconds=60))  # exactly the lease: still alive
        with pytest.raises(ReportBusy) as busy:
            report_render(run_id=run.pk)
    assert busy.value.retry_in == pytest.approx(1)
    run.refresh_from_db()
    assert run.status == ReportStatus.RUNNING and run.attempts == 1 and run.claim_token == "dead-worker"


def test_the_task_answers_a_busy_run_by_looking_again_later(project, manager, sent, settings):
    settings.REPORT_LEASE_SECONDS = 60
    celery_app.conf.task_always_eager = False  # a real worker (the autouse fixture restores it)
    run = queued_run(project, manager)
    mark_running(run, heartbeat_at=timezone.now(), token="alive")
    assert render_report.run(run.pk) is False
    assert len(sent) == 1 and sent[0][0] == run.pk and 55 < sent[0][1] <= 61
    assert ReportRun.objects.get(pk=run.pk).claim_token == "alive"


def test_in_process_tasks_never_loop_on_a_busy_run(project, manager, sent):
    run = queued_run(project, manager)
    mark_running(run, heartbeat_at=timezone.now(), token="alive")
    assert render_report.run(run.pk) is False
    assert sent == []


def test_a_done_run_is_not_rendered_again_by_a_late_message(project, manager, media, sent):
    run = queued_run(project, manager)
    assert report_render(run_id=run.pk) is True
    path = next(Path(media).rglob("*.pdf"))
    before = path.stat()
    assert report_render(run_id=run.pk) is False
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert sent == []


def test_an_attempt_that_lost_its_claim_cannot_finish_the_run(project, manager, media, monkeypatch):
    """A worker frozen past its lease wakes up after another one took the run: its result is dropped."""
    run = queued_run(project, manager)
    real = report_services.report_pdf_bytes

    def taken_over_meanwhile(**kwargs):
        ReportRun.objects.filter(pk=run.pk).update(claim_token="the-other-worker")
        return real(**kwargs)

    monkeypatch.setattr(report_services, "report_pdf_bytes", taken_over_meanwhile)
    assert report_render(run_id=run.pk) is False
    run.refresh_from_db()
    assert run.status == ReportStatus.RUNNING and run.claim_token == "the-other-worker" and not run.file


def test_a_failed_write_leaves_no_partial_or_temporary_file(project, manager, media, monkeypatch):
    run = queued_run(project, manager)

    def broken_replace(src, dst):
        raise OSError("dysk pełny")

    monkeypatch.setattr(jobs.os, "replace", broken_replace)
    assert report_render(run_id=run.pk) is False
    assert ReportRun.objects.get(pk=run.pk).status == ReportStatus.FAILED
    assert [p for p in Path(media).rglob("*") if p.is_file()] == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_beats_while_it_renders(project, manager, media, settings, monkeypatch):
    settings.REPORT_HEARTBEAT_SECONDS = 0.1
    run = queued_run(project, manager)
    beats = []
    real = report_services.report_pdf_bytes

    def slow(**kwargs):
        started = ReportRun.objects.get(pk=run.pk).heartbeat_at
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not beats:
            time.sleep(0.1)
            latest = ReportRun.objects.get(pk=run.pk).heartbeat_at
            if latest > started:
                beats.append(latest)
        return real(**kwargs)

    monkeypatch.setattr(report_services, "report_pdf_bytes", slow)
    assert report_render(run_id=run.pk) is True
    assert beats, "heartbeat_at never moved while the report rendered"
    assert not [t for t in threading.enumerate() if t.name.startswith("report-heartbeat-")]


# --- the sweep ------------------------------------------------------------------------------


def test_sweep_requeues_dead_runs_and_leaves_live_ones(project, manager, settings, sent,
                                                      django_capture_on_commit_callbacks):  # fmt: skip
    settings.REPORT_LEASE_SECONDS = 60
    dead = queued_run(project, manager)
    alive, _ = report_request(project=project, date_from=FROM, date_to=dt.date(2018, 6, 30), by=manager)
    with time_machine.travel(NOW, tick=False):
        mark_running(dead, heartbeat_at=NOW - dt.timedelta(seconds=61))
        mark_running(alive, heartbeat_at=NOW - dt.timedelta(seconds=59))
        ReportRun.objects.filter(pk__in=[dead.pk, alive.pk]).update(enqueued_at=NOW - dt.timedelta(minutes=2))
        with django_capture_on_commit_callbacks(execute=True):
            assert requeue_stuck_reports() == [dead.pk]
    assert sent == [(dead.pk, None)]
    assert ReportRun.objects.get(pk=dead.pk).status == ReportStatus.QUEUED
    assert ReportRun.objects.get(pk=alive.pk).status == ReportStatus.RUNNING


def test_sweep_fails_a_run_that_lost_its_worker_too_often(project, manager, settings, sent):
    settings.REPORT_MAX_ATTEMPTS = 3
    run = queued_run(project, manager)
    mark_running(run, heartbeat_at=timezone.now() - dt.timedelta(hours=1), attempts=3)
    assert requeue_stuck_reports() == []
    run.refresh_from_db()
    assert run.status == ReportStatus.FAILED and "3 razy" in run.error and run.finished_at
    assert sent == []
    assert report_render(run_id=run.pk) is False  # nor does a late message take it over
    assert ReportRun.objects.get(pk=run.pk).status == ReportStatus.FAILED


def test_a_late_message_does_not_take_over_a_run_past_its_attempts(project, manager, settings):
    settings.REPORT_MAX_ATTEMPTS = 3
    run = queued_run(project, manager)
    mark_running(run, heartbeat_at=timezone.now() - dt.timedelta(hours=1), attempts=3)
    assert report_render(run_id=run.pk) is False
    assert ReportRun.objects.get(pk=run.pk).attempts == 3


def test_sweep_sends_queued_runs_the_broker_never_got(project, manager, settings, sent):
    settings.REPORT_RESEND_AFTER_SECONDS = 900
    never_sent = queued_run(project, manager)
    waiting, _ = report_request(project=project, date_from=FROM, date_to=dt.date(2018, 6, 30), by=manager)
    lost, _ = report_request(project=project, date_from=FROM, date_to=dt.date(2018, 3, 31), by=manager)
    with time_machine.travel(NOW, tick=False):
        ReportRun.objects.filter(pk__in=[never_sent.pk, waiting.pk, lost.pk]).update(
            created_at=NOW - dt.timedelta(hours=1)
        )
        ReportRun.objects.filter(pk=never_sent.pk).update(enqueued_at=None)
        ReportRun.objects.filter(pk=waiting.pk).update(enqueued_at=NOW - dt.timedelta(seconds=900))
        ReportRun.objects.filter(pk=lost.pk).update(enqueued_at=NOW - dt.timedelta(seconds=901))
        assert sorted(requeue_stuck_reports()) == sorted([never_sent.pk, lost.pk])
    assert sorted(run_id for run_id, _ in sent) == sorted([never_sent.pk, lost.pk])


def test_sweep_leaves_a_just_requested_run_to_its_own_send(project, manager, sent):
    queued_run(project, manager)
    assert requeue_stuck_reports() == []
    assert sent == []


# --- the broker is down ---------------------------------------------------------------------


@pytest.fixture
def broker_down():
    previous = celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    switch_broker("redis://127.0.0.1:1/0")  # nothing listens there
    yield
    switch_broker(previous)


def test_a_report_requested_while_the_broker_is_down_is_stored_and_answered(
    project, manager, login, broker_down, caplog, django_capture_on_commit_callbacks
):
    client = login(manager)
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(f"/raporty/projekty/{project.pk}/raporty/",
                               {"date_from": "01.01.2018", "date_to": "31.12.2018"})  # fmt: skip
    run = ReportRun.objects.get()
    assert len(callbacks) == 1  # the send was tried, after the commit
    assert response.status_code == 302 and response["Location"].endswith(f"/{run.pk}/")
    assert run.status == ReportStatus.QUEUED and run.enqueued_at is None
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'data-status="queued"' in page.content.decode()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [f"report run {run.pk} not sent to the queue (OperationalError); the sweep sends it again"]
    for record in caplog.records:
        assert manager.first_name not in record.getMessage() and manager.username not in record.getMessage()
