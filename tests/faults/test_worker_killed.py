"""Fault: the Celery worker is killed with SIGKILL while it renders a report.

Real processes: a private Redis, `celery worker` (prefork, concurrency 1, acks_late,
reject_on_worker_lost) reading the pytest test database. Every requested report still ends
done, rendered to completion exactly once (one file per run, written once), none is left
"running" — whether the whole worker died (its message stays unacknowledged in Redis for the
visibility timeout: the periodic sweep brings the run back once its heartbeat is older than the
lease) or only its pool process (the message is re-delivered at once and takes the run over
when the lease runs out)."""

import datetime as dt
import os
import re
import signal

import pytest

from reporting.models import ReportRun, ReportStatus
from reporting.services.reports import report_request
from reporting.tasks import render_after_commit, render_report, requeue_stuck_reports
from tests.faults.services import CeleryWorker, app_env, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.services, pytest.mark.django_db(transaction=True)]

PERIODS = [
    (dt.date(2018, 1, 1), dt.date(2018, 3, 31)),
    (dt.date(2018, 4, 1), dt.date(2018, 6, 30)),
    (dt.date(2018, 7, 1), dt.date(2018, 9, 30)),
]
LEASE = 3


@pytest.fixture
def worker_env(private_redis, media, test_database_url):
    return app_env(
        REDIS_URL=private_redis.url, DATABASE_URL=test_database_url, MEDIA_ROOT=media,
        FAULTS_RENDER_DELAY_SECONDS=2,  # a window in which the run is "running" and can be killed
        REPORT_HEARTBEAT_SECONDS=0.5, REPORT_LEASE_SECONDS=LEASE, CONN_MAX_AGE=0,
    )  # fmt: skip


@pytest.fixture
def workers(worker_env, tmp_path):
    started = []

    def start(name):
        worker = CeleryWorker(worker_env, tmp_path / f"{name}.log", name=name, app="tests.faults.slow_worker").start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def request_reports(project, manager):
    """As the page does: each run is requested, then sent to the broker after the commit."""
    runs = [report_request(project=project, date_from=a, date_to=b, by=manager)[0] for a, b in PERIODS]
    for run in runs:
        render_after_commit(run.pk)
    return runs


def wait_for_a_running_run():
    return wait_for(lambda: ReportRun.objects.filter(status=ReportStatus.RUNNING).first(), timeout=90,
                    what="a report being rendered")  # fmt: skip


def report_files(media):
    return {path.name: path for path in media.rglob("*") if path.is_file()}


def assert_each_report_done_once(runs, killed, media):
    by_pk = {run.pk: run for run in ReportRun.objects.filter(pk__in=[r.pk for r in runs])}
    assert {run.status for run in by_pk.values()} == {ReportStatus.DONE}, [(r.pk, r.status, r.error) for r in
                                                                            by_pk.values()]  # fmt: skip
    assert by_pk[killed.pk].attempts == 2  # the killed attempt and the one that finished
    assert [by_pk[r.pk].attempts for r in runs if r.pk != killed.pk] == [1] * (len(runs) - 1)
    files = report_files(media)
    assert sorted(files) == sorted(f"report-{pk}.pdf" for pk in by_pk)  # one file per run, no temporary leftovers
    for run in by_pk.values():
        assert files[f"report-{run.pk}.pdf"].read_bytes().startswith(b"%PDF")
        assert run.file.name == f"reports/{run.project_id}/report-{run.pk}.pdf"
    return {name: (path.stat().st_ino, path.stat().st_mtime_ns) for name, path in files.items()}


def assert_late_messages_change_nothing(runs, media, worker, before):
    """Duplicates (a late re-delivery, the sweep) arrive after everything is done: no file is
    written again, no attempt counted."""
    attempts = dict(ReportRun.objects.values_list("pk", "attempts"))
    task_ids = [render_report.apply_async(args=[run.pk]).id for run in runs]
    task_ids.append(requeue_stuck_reports.apply_async().id)
    wait_for(lambda: all(re.search(rf"\[{task_id}\] succeeded", worker.log_text()) for task_id in task_ids),
             timeout=60, what="the duplicate messages to be processed")  # fmt: skip
    after = {name: (path.stat().st_ino, path.stat().st_mtime_ns) for name, path in report_files(media).items()}
    assert after == before
    assert dict(ReportRun.objects.values_list("pk", "attempts")) == attempts
    assert not ReportRun.objects.exclude(status=ReportStatus.DONE).exists()


def test_whole_worker_killed_mid_report_every_report_ends_done_exactly_once(project, manager, workers, media):
    first = workers("first")
    runs = request_reports(project, manager)
    killed = wait_for_a_running_run()
    first.kill()
    assert ReportRun.objects.get(pk=killed.pk).status == ReportStatus.RUNNING  # nobody cleaned up
    second = workers("second")

    def all_done():
        if ReportRun.objects.filter(pk=killed.pk, status=ReportStatus.RUNNING).exists():
            requeue_stuck_reports.apply_async()  # what beat sends every minute
        return not ReportRun.objects.exclude(status__in=[ReportStatus.DONE, ReportStatus.FAILED]).exists()

    wait_for(all_done, timeout=180, interval=LEASE / 2, what="every report to finish after the kill")
    before = assert_each_report_done_once(runs, killed, media)
    assert f"report runs re-queued: [{killed.pk}]" in second.log_text()
    assert_late_messages_change_nothing(runs, media, second, before)


def test_pool_process_killed_mid_report_the_redelivered_message_takes_the_run_over(project, manager, workers,
                                                                                   media):  # fmt: skip
    worker = workers("only")
    runs = request_reports(project, manager)
    killed = wait_for_a_running_run()
    children = worker.pool_children()
    assert len(children) == 1
    os.kill(children[0], signal.SIGKILL)
    wait_for(lambda: "WorkerLostError" in worker.log_text(), timeout=30, what="the worker to notice the lost child")
    # no sweep here: reject_on_worker_lost re-delivers the message, which finds the run's
    # heartbeat still fresh, looks again after the lease and takes the run over
    wait_for(lambda: not ReportRun.objects.exclude(status__in=[ReportStatus.DONE, ReportStatus.FAILED]).exists(),
             timeout=180, interval=1, what="every report to finish after the kill")  # fmt: skip
    before = assert_each_report_done_once(runs, killed, media)
    assert_late_messages_change_nothing(runs, media, worker, before)
