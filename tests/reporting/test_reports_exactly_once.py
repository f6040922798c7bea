"""Exactly-once rendering of a report run when its task is delivered more than once at the same time
(two workers, a re-delivered message, the sweep): the claim is one conditional UPDATE, so one
delivery renders and the others find the run taken (issue 15). The real processes: tests/faults/
test_two_workers.py."""

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from reporting.models import ReportRun, ReportStatus
from reporting.services import reports as report_services
from reporting.services.reports import report_request
from reporting.tasks import render_report
from tests.reporting import fixtures_indicators as fx

media = fx.media
pytestmark = pytest.mark.django_db(transaction=True)  # threads: each its own connection, committed data


@pytest.fixture
def renders(monkeypatch):
    """Every PDF build, slow enough (0.5 s) for the other deliveries to arrive while it runs."""
    built = []
    real = report_services.report_pdf_bytes

    def counting(**kwargs):
        built.append(kwargs["project"].pk)
        time.sleep(0.5)
        return real(**kwargs)

    monkeypatch.setattr(report_services, "report_pdf_bytes", counting)
    return built


def deliver_at_once(run_id: int, copies: int) -> list:
    """`copies` deliveries of the same task message, each in its own thread (as workers run them),
    released together."""
    barrier = threading.Barrier(copies)
    results: list = []

    def deliver():
        try:
            barrier.wait(timeout=10)
            results.append(render_report.apply(args=[run_id]).get())
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_the_same_task_delivered_three_times_at_once_renders_the_report_once(project, manager, media, renders,
                                                                             sent):  # fmt: skip
    run, _ = report_request(project=project, date_from=dt.date(2018, 1, 1), date_to=dt.date(2018, 12, 31),
                            by=manager)  # fmt: skip
    results = deliver_at_once(run.pk, 3)
    assert sorted(results) == [False, False, True]  # one rendered; the others found it taken
    assert renders == [project.pk]
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE and run.attempts == 1
    # the deliveries that found it rendering asked to look again after the lease (nothing else)
    assert all(run_id == run.pk and countdown for run_id, countdown in sent)
    files = [path for path in Path(media).rglob("*") if path.is_file()]
    assert [path.name for path in files] == [f"report-{run.pk}.pdf"]  # one file, no temporary leftovers
    # the looks again find it done: nothing rendered, nothing counted
    assert deliver_at_once(run.pk, 2) == [False, False]
    assert renders == [project.pk] and ReportRun.objects.get(pk=run.pk).attempts == 1


def test_each_of_several_runs_delivered_twice_at_once_is_rendered_once(project, manager, media, renders, sent):
    runs = [
        report_request(project=project, date_from=dt.date(2018, month, 1), date_to=dt.date(2018, month, 28),
                       by=manager)[0]
        for month in (1, 2, 3)
    ]  # fmt: skip
    for run in runs:
        assert sorted(deliver_at_once(run.pk, 2)) == [False, True]
    assert len(renders) == 3
    assert set(ReportRun.objects.values_list("status", "attempts")) == {(ReportStatus.DONE, 1)}
    names = sorted(path.name for path in Path(media).rglob("*") if path.is_file())
    assert names == sorted(f"report-{run.pk}.pdf" for run in runs)
