"""A run's snapshot (the numbers a submitted report freezes) is stored while WeasyPrint lays the
PDF out, before the run is done: a run that then fails, goes back to the queue or starts a new
attempt must not keep it, so only a done run has one, that of its PDF."""

import datetime as dt

import pytest
from django.db import OperationalError
from django.utils import timezone

from core import jobs
from core import pdf as core_pdf
from reporting.models import ReportRun, ReportStatus
from reporting.services import reports as report_services
from reporting.services.reports import TransientReportError, report_render, report_request, report_retry
from reporting.tasks import requeue_stuck_reports
from tests.reporting import fixtures_indicators as fx

FROM, TO = dt.date(2018, 1, 1), dt.date(2018, 12, 31)
STALE = {"rule_set": "efs2014", "cells": {"KES:cumulative:numerator": {"label": "stara", "value": 7}}}
media = fx.media
pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(monkeypatch):
    """The snapshots the render computed and stored (the UPDATE runs while the PDF is laid out)."""
    calls = []
    real = report_services.report_snapshot

    def spy(**kwargs):
        calls.append(real(**kwargs))
        return calls[-1]

    monkeypatch.setattr(report_services, "report_snapshot", spy)
    return calls


def queued_run(project, manager):
    return report_request(project=project, date_from=FROM, date_to=TO, by=manager)[0]


def broken_layout(html):
    raise ValueError("układ strony")


def broken_replace(src, dst):
    raise OSError("dysk pełny")


@pytest.mark.parametrize("where", ["layout", "file"])
def test_a_run_failing_after_its_snapshot_was_stored_keeps_none(project, manager, media, monkeypatch, stored, where):
    run = queued_run(project, manager)
    if where == "layout":
        monkeypatch.setattr(core_pdf, "_write_pdf", broken_layout)
    else:
        monkeypatch.setattr(jobs.os, "replace", broken_replace)
    assert report_render(run_id=run.pk) is False
    run.refresh_from_db()
    assert len(stored) == 1 and stored[0]["cells"]  # it had been written during the attempt
    assert run.status == ReportStatus.FAILED and run.snapshot == {} and not run.file
    monkeypatch.undo()  # the retry renders: the done run has its snapshot
    report_retry(run=run, by=manager)
    assert report_render(run_id=run.pk) is True
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE and run.snapshot["cells"] and run.file


def test_a_transient_error_puts_the_run_back_in_the_queue_without_its_snapshot(project, manager, media,
                                                                                monkeypatch, stored):  # fmt: skip
    run = queued_run(project, manager)

    def connection_lost(html):
        raise OperationalError("connection lost")

    monkeypatch.setattr(core_pdf, "_write_pdf", connection_lost)
    with pytest.raises(TransientReportError):
        report_render(run_id=run.pk)
    run.refresh_from_db()
    assert stored and run.status == ReportStatus.QUEUED and run.snapshot == {}


def test_a_new_attempt_starts_without_the_snapshot_an_earlier_one_left(project, manager, media, monkeypatch):
    """E.g. a run failed before this rule, or by a worker killed after its snapshot was stored."""
    run = queued_run(project, manager)
    ReportRun.objects.filter(pk=run.pk).update(snapshot=STALE)
    seen = []
    real = report_services.report_pdf_bytes

    def looking(**kwargs):
        seen.append(ReportRun.objects.get(pk=run.pk).snapshot)
        return real(**kwargs)

    monkeypatch.setattr(report_services, "report_pdf_bytes", looking)
    assert report_render(run_id=run.pk) is True
    assert seen == [{}]
    assert ReportRun.objects.get(pk=run.pk).snapshot["cells"] != STALE["cells"]


@pytest.mark.parametrize("attempts, status", [(1, ReportStatus.QUEUED), (3, ReportStatus.FAILED)])
def test_the_sweep_takes_the_snapshot_of_a_run_whose_worker_died(project, manager, settings, sent, attempts, status):
    settings.REPORT_MAX_ATTEMPTS = 3
    run = queued_run(project, manager)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    ReportRun.objects.filter(pk=run.pk).update(status=ReportStatus.RUNNING, started_at=long_ago,
                                                heartbeat_at=long_ago, attempts=attempts, claim_token="dead-worker",
                                                snapshot=STALE)  # fmt: skip
    requeue_stuck_reports()
    run.refresh_from_db()
    assert run.status == status and run.snapshot == {}
