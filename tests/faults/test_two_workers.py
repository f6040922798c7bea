"""Two Celery workers (two processes, as two machines would run them) share report rendering, and
one of them is killed with SIGKILL in the middle of a report (issue 15).

Real processes: a private Redis, two `celery worker`s (prefork, concurrency 1, acks_late,
reject_on_worker_lost) reading the pytest test database. Every report is requested and its message
sent twice (a duplicate delivery for each); both workers render at once; one is killed while it
renders (after each has finished a report). Every report ends done, rendered to completion exactly
once (one "done" across both workers' logs, one file per run, one attempt, two for the killed one:
taken over by the other worker after the sweep found its heartbeat older than the lease), and late
duplicates change nothing."""

import datetime as dt
import re
from collections import Counter

import pytest

from reporting.models import ReportRun, ReportStatus
from reporting.services.reports import report_request
from reporting.tasks import render_after_commit, render_report, requeue_stuck_reports
from tests.faults.services import CeleryWorker, app_env, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.services, pytest.mark.django_db(transaction=True)]

LEASE = 3
MONTHS = range(1, 7)  # six reports, one per month of 2018
DONE = re.compile(r"report run (\d+) done")


@pytest.fixture
def worker_env(private_redis, media, test_database_url):
    return app_env(
        REDIS_URL=private_redis.url, DATABASE_URL=test_database_url, MEDIA_ROOT=media, LOG_LEVEL="INFO",
        FAULTS_RENDER_DELAY_SECONDS=1.5,  # both workers render at once, long enough to be killed in it
        REPORT_HEARTBEAT_SECONDS=0.5, REPORT_LEASE_SECONDS=LEASE, CONN_MAX_AGE=0,
    )  # fmt: skip


@pytest.fixture
def two_workers(worker_env, tmp_path):
    workers = [
        CeleryWorker(worker_env, tmp_path / f"{name}.log", name=name, app="tests.faults.slow_worker").start()
        for name in ("first", "second")
    ]
    yield workers
    for worker in workers:
        worker.stop()


def request_reports_sent_twice(project, manager) -> list[ReportRun]:
    runs = []
    for month in MONTHS:
        run, _ = report_request(project=project, date_from=dt.date(2018, month, 1),
                                date_to=dt.date(2018, month, 28), by=manager)  # fmt: skip
        render_after_commit(run.pk)  # as the page does
        render_report.apply_async(args=[run.pk])  # and a duplicate delivery of the same task
        runs.append(run)
    return runs


def both_rendering() -> bool:
    return ReportRun.objects.filter(status=ReportStatus.RUNNING).count() == 2  # concurrency 1 each


def finished() -> bool:
    if ReportRun.objects.filter(status=ReportStatus.RUNNING).exists():
        requeue_stuck_reports.apply_async()  # what beat sends every minute
    return not ReportRun.objects.exclude(status__in=[ReportStatus.DONE, ReportStatus.FAILED]).exists()


def files_of(media) -> dict:
    return {path.name: (path.stat().st_ino, path.stat().st_mtime_ns) for path in media.rglob("*") if path.is_file()}


def test_two_workers_render_each_report_exactly_once_though_one_is_killed_mid_report(project, manager, media,
                                                                                     two_workers):  # fmt: skip
    first, second = two_workers
    runs = request_reports_sent_twice(project, manager)
    # kill the first worker once it has finished a report and both render the next ones
    wait_for(lambda: DONE.search(first.log_text()) and both_rendering(), timeout=180, interval=0.1,
             what="both workers rendering, the first after a finished report")  # fmt: skip
    first.kill()
    wait_for(finished, timeout=240, interval=LEASE / 2, what="every report to finish after the kill")

    by_pk = {run.pk: run for run in ReportRun.objects.filter(pk__in=[r.pk for r in runs])}
    assert {run.status for run in by_pk.values()} == {ReportStatus.DONE}, [(r.pk, r.status, r.error) for r in
                                                                            by_pk.values()]  # fmt: skip
    attempts = Counter(run.attempts for run in by_pk.values())
    assert attempts == Counter({1: len(runs) - 1, 2: 1})  # the killed attempt and the one that finished it
    killed = next(pk for pk, run in by_pk.items() if run.attempts == 2)
    done_first = [int(pk) for pk in DONE.findall(first.log_text())]
    done_second = [int(pk) for pk in DONE.findall(second.log_text())]
    assert Counter(done_first + done_second) == Counter(list(by_pk))  # each run rendered to completion once
    assert killed in done_second and killed not in done_first
    assert done_first and done_second  # both shared the work
    assert sorted(files_of(media)) == sorted(f"report-{pk}.pdf" for pk in by_pk)  # no duplicate or partial file
    for run in by_pk.values():
        assert media.joinpath(run.file.name).read_bytes().startswith(b"%PDF")

    # late duplicates (a re-delivery, the sweep) find every run done: no file written again
    before = files_of(media)
    task_ids = [render_report.apply_async(args=[pk]).id for pk in by_pk]
    task_ids.append(requeue_stuck_reports.apply_async().id)
    wait_for(lambda: all(re.search(rf"\[{task_id}\] succeeded", second.log_text()) for task_id in task_ids),
             timeout=60, what="the duplicate messages to be processed")  # fmt: skip
    assert files_of(media) == before
    assert dict(ReportRun.objects.values_list("pk", "attempts")) == {pk: run.attempts for pk, run in by_pk.items()}
