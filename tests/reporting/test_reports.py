"""Report runs: request (deduplicated), idempotent rendering, retries, stuck runs, the PDF."""

import datetime as dt
import threading
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.db import OperationalError, connection
from django.urls import reverse

from core.errors import DomainError
from reporting.models import ReportRun, ReportStatus
from reporting.services import reports as report_services
from reporting.services.reports import report_render, report_request, report_retry
from reporting.tasks import render_after_commit, render_report, requeue_stuck_reports
from tests.reporting import fixtures_indicators as fx

FROM, TO = dt.date(2018, 1, 1), dt.date(2018, 12, 31)
media = fx.media
populated_project = fx.populated_project
pytestmark = pytest.mark.django_db


def request_run(project, manager, *, enqueue=True, **kwargs):
    """As the page asks: the service stores the run, a created one is sent after the commit."""
    run, created = report_request(project=project, date_from=FROM, date_to=TO, by=manager, **kwargs)
    if created and enqueue:
        render_after_commit(run.pk)
    return run, created


def test_requested_report_is_rendered_after_commit_and_has_no_names(populated_project, manager, media,
                                                                    django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run, created = request_run(populated_project, manager)
    assert created and len(callbacks) == 1
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE
    assert run.requested_by == manager and run.started_at and run.finished_at and run.attempts == 1
    text = fx.pdf_text(Path(run.file.path))
    project = populated_project
    for expected in (project.title, project.agreement_number, "PO WER 2014-2020", "OUT_AROPE", "KES", "KEZ",
                     "Braki danych", "Dostosowanie biura", "Ostrzeżenia", "904 150,00"):  # fmt: skip
        assert expected in text, expected
    assert "Grażyna" not in text and "Tajemnicza" not in text and "Brakowska" not in text
    assert "8001011234" not in text


def test_asking_twice_while_queued_returns_the_same_run(project, manager):
    first, created = request_run(project, manager, enqueue=False)
    second, created_again = request_run(project, manager, enqueue=False)
    assert created and not created_again and first.pk == second.pk
    assert ReportRun.objects.count() == 1


def test_a_done_report_can_be_requested_again(project, manager, media):
    run, _ = request_run(project, manager, enqueue=False)
    report_render(run_id=run.pk)
    again, created = request_run(project, manager, enqueue=False)
    assert created and again.pk != run.pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_create_one_run(project, manager):
    barrier = threading.Barrier(2)
    results = []

    def ask():
        try:
            barrier.wait()
            results.append(request_run(project, manager, enqueue=False))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ReportRun.objects.count() == 1
    assert sorted(created for _, created in results) == [False, True]


def test_only_the_project_manager_requests(project, coordinator, auditor):
    for user in (coordinator, auditor):
        with pytest.raises(DomainError):
            request_run(project, user)


def test_a_redelivered_task_does_not_render_twice(project, manager, media, monkeypatch):
    run, _ = request_run(project, manager, enqueue=False)
    calls = []
    real = report_services.report_pdf_bytes
    monkeypatch.setattr(report_services, "report_pdf_bytes", lambda **kw: calls.append(1) or real(**kw))
    assert report_render(run_id=run.pk) is True
    assert report_render(run_id=run.pk) is False
    assert len(calls) == 1
    files = list(Path(media).rglob("*.pdf"))
    assert len(files) == 1


def test_rerun_overwrites_the_same_file(project, manager, media, monkeypatch):
    run, _ = request_run(project, manager, enqueue=False)
    report_render(run_id=run.pk)
    first_name = ReportRun.objects.get(pk=run.pk).file.name
    ReportRun.objects.filter(pk=run.pk).update(status=ReportStatus.QUEUED)
    report_render(run_id=run.pk)
    run.refresh_from_db()
    assert run.file.name == first_name == f"reports/{project.pk}/report-{run.pk}.pdf"
    assert len(list(Path(media).rglob("*.pdf"))) == 1


def test_a_failed_run_says_why_and_can_be_retried(project, manager, media, monkeypatch,
                                                 django_capture_on_commit_callbacks):  # fmt: skip
    run, _ = request_run(project, manager, enqueue=False)

    def broken(**kwargs):
        raise ValueError("szablon uszkodzony")

    monkeypatch.setattr(report_services, "report_pdf_bytes", broken)
    report_render(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == ReportStatus.FAILED and "szablon uszkodzony" in run.error
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        report_retry(run=run, by=manager)
        render_after_commit(run.pk)
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE and run.error == "" and run.attempts == 2
    with pytest.raises(DomainError):
        report_retry(run=run, by=manager)  # only failed runs


def test_transient_errors_put_the_run_back_in_the_queue(project, manager, media, monkeypatch):
    run, _ = request_run(project, manager, enqueue=False)

    def flaky(**kwargs):
        raise OperationalError("connection lost")

    monkeypatch.setattr(report_services, "report_pdf_bytes", flaky)
    with pytest.raises(report_services.TransientReportError):
        report_render(run_id=run.pk)
    assert ReportRun.objects.get(pk=run.pk).status == ReportStatus.QUEUED


def test_task_gives_up_after_its_retries_with_a_reason(project, manager, media, monkeypatch):
    run, _ = request_run(project, manager, enqueue=False)
    monkeypatch.setattr(report_services, "report_pdf_bytes",
                        lambda **kw: (_ for _ in ()).throw(OperationalError("down")))  # fmt: skip
    monkeypatch.setattr(render_report, "retry", lambda **kw: (_ for _ in ()).throw(RuntimeError("retry")))
    with pytest.raises(RuntimeError):
        render_report.run(run.pk)
    assert ReportRun.objects.get(pk=run.pk).status == ReportStatus.QUEUED
    render_report.push_request(retries=3)
    try:
        render_report.run(run.pk)
    finally:
        render_report.pop_request()
    run.refresh_from_db()
    assert run.status == ReportStatus.FAILED and "down" in run.error


def test_task_options_follow_the_house_rules():
    assert render_report.acks_late and render_report.reject_on_worker_lost
    assert render_report.time_limit and render_report.soft_time_limit < render_report.time_limit


def test_stuck_running_runs_are_requeued_and_rendered(project, manager, media, django_capture_on_commit_callbacks):
    run, _ = request_run(project, manager, enqueue=False)
    from django.utils import timezone

    long_ago = timezone.now() - dt.timedelta(hours=1)
    ReportRun.objects.filter(pk=run.pk).update(status=ReportStatus.RUNNING, started_at=long_ago)
    fresh, _ = report_request(project=project, date_from=FROM, date_to=dt.date(2018, 6, 30), by=manager)
    ReportRun.objects.filter(pk=fresh.pk).update(status=ReportStatus.RUNNING, started_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        requeued = requeue_stuck_reports()
    assert requeued == [run.pk]
    assert ReportRun.objects.get(pk=run.pk).status == ReportStatus.DONE
    assert ReportRun.objects.get(pk=fresh.pk).status == ReportStatus.RUNNING


def test_beat_schedule_has_the_stuck_report_sweep(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "reporting.requeue_stuck_reports" in tasks


def test_render_report_command_writes_the_pdf(populated_project, media, tmp_path):
    out = tmp_path / "raport.pdf"
    call_command("render_report", "--project", populated_project.agreement_number, "--from", "2018-01-01",
                 "--to", "2018-12-31", "-o", str(out))  # fmt: skip
    text = fx.pdf_text(out)
    assert populated_project.agreement_number in text and "OUT_AROPE" in text
    assert ReportRun.objects.get().status == ReportStatus.DONE


# --- pages ----------------------------------------------------------------------------------


def test_manager_requests_a_report_on_the_page_and_follows_it(populated_project, manager, login, media,
                                                             django_capture_on_commit_callbacks):  # fmt: skip
    client = login(manager)
    url = reverse("reporting:report_list", args=[populated_project.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"date_from": "2018-01-01", "date_to": "2018-12-31"})
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("reporting:report_detail", args=[run.pk])
    status = client.get(reverse("reporting:report_status", args=[run.pk]))
    assert "report-download" in status.content.decode()
    assert 'hx-trigger="every 2s"' not in status.content.decode()  # polling stops when done


def test_status_partial_polls_while_queued(project, manager, login):
    run, _ = request_run(project, manager, enqueue=False)
    body = login(manager).get(reverse("reporting:report_status", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in body and "report-download" not in body


def test_report_form_rejects_a_reversed_period(project, manager, login):
    response = login(manager).post(reverse("reporting:report_list", args=[project.pk]),
                                   {"date_from": "2018-12-31", "date_to": "2018-01-01"})  # fmt: skip
    assert response.status_code == 200 and ReportRun.objects.count() == 0
    assert "Koniec okresu nie może być wcześniejszy" in response.content.decode()


def test_download_is_access_checked_and_logged(project, manager, auditor, other_coordinator, login, media):
    run, _ = request_run(project, manager, enqueue=False)
    report_render(run_id=run.pk)
    url = reverse("reporting:report_download", args=[run.pk])
    response = login(auditor).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(run.pk)).exists()
    assert login(other_coordinator).get(url).status_code == 404


def test_coordinator_and_auditor_cannot_request_or_retry(project, manager, coordinator, login):
    client = login(coordinator)
    response = client.post(reverse("reporting:report_list", args=[project.pk]),
                           {"date_from": "2018-01-01", "date_to": "2018-12-31"})  # fmt: skip
    assert response.status_code == 403
    run, _ = request_run(project, manager, enqueue=False)
    ReportRun.objects.filter(pk=run.pk).update(status=ReportStatus.FAILED, error="x")
    assert client.post(reverse("reporting:report_retry", args=[run.pk])).status_code == 403


def test_social_worker_gets_403_and_other_project_staff_404(project, social_worker, other_coordinator, login):
    url = reverse("reporting:report_list", args=[project.pk])
    assert login(social_worker).get(url).status_code == 403
    assert login(other_coordinator).get(url).status_code == 404


@pytest.mark.parametrize("n", [1, 15])
def test_report_list_query_count(project, manager, login, n, django_assert_max_num_queries):
    for i in range(n):
        ReportRun.objects.create(project=project, period_from=FROM, period_to=FROM + dt.timedelta(days=i),
                                 requested_by=manager, status=ReportStatus.DONE)  # fmt: skip
    client = login(manager)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("reporting:report_list", args=[project.pk])).status_code == 200
