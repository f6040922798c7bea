"""core.jobs: claim by conditional UPDATE, lease and takeover, heartbeat, atomic file write.

The runner knows no domain; these tests drive it through one concrete table with the usual
fields (reporting's ReportRun), as any room's job table would be."""

import datetime as dt
import threading
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage
from django.utils import timezone

from core import jobs
from core.jobs import JobTable, write_atomically
from reporting.models import ReportRun, ReportStatus

LEASE = dt.timedelta(seconds=60)
NOW = dt.datetime(2024, 3, 4, 10, 0, tzinfo=dt.UTC)
TABLE = JobTable(ReportRun, queued=ReportStatus.QUEUED, running=ReportStatus.RUNNING)
pytestmark = pytest.mark.django_db


@pytest.fixture
def job(project):
    return ReportRun.objects.create(project=project, period_from=dt.date(2018, 1, 1), period_to=dt.date(2018, 12, 31))


def running(job, *, heartbeat_at, attempts=1, token="other"):  # noqa: S107 - a claim token
    ReportRun.objects.filter(pk=job.pk).update(
        status=ReportStatus.RUNNING,
        started_at=heartbeat_at,
        heartbeat_at=heartbeat_at,
        attempts=attempts,
        claim_token=token,
    )


def test_a_queued_job_is_claimed_once_with_a_token(job):
    token = TABLE.claim(job.pk, lease=LEASE, max_attempts=3, now=NOW, error="")
    assert token and TABLE.claim(job.pk, lease=LEASE, max_attempts=3, now=NOW) is None
    job.refresh_from_db()
    assert (job.status, job.claim_token, job.attempts) == (ReportStatus.RUNNING, token, 1)
    assert job.started_at == job.heartbeat_at == NOW


def test_a_job_whose_worker_stopped_beating_past_the_lease_is_taken_over(job):
    running(job, heartbeat_at=NOW - LEASE - dt.timedelta(seconds=1))
    token = TABLE.claim(job.pk, lease=LEASE, max_attempts=3, now=NOW)
    assert token
    assert not TABLE.owned(job.pk, "other").exists() and TABLE.owned(job.pk, token).exists()
    assert ReportRun.objects.get(pk=job.pk).attempts == 2


def test_a_job_beating_within_the_lease_is_busy_not_claimed(job):
    running(job, heartbeat_at=NOW - LEASE)  # exactly the lease: still alive
    assert TABLE.claim(job.pk, lease=LEASE, max_attempts=3, now=NOW) is None
    assert TABLE.busy_for(job.pk, lease=LEASE, now=NOW) == 0
    assert TABLE.busy_for(job.pk, lease=LEASE, now=NOW - dt.timedelta(seconds=20)) == 20


def test_a_dead_job_past_its_attempts_is_not_taken_over(job):
    running(job, heartbeat_at=NOW - dt.timedelta(hours=1), attempts=3)
    assert TABLE.claim(job.pk, lease=LEASE, max_attempts=3, now=NOW) is None
    assert TABLE.busy_for(job.pk, lease=LEASE, now=NOW) is None
    assert ReportRun.objects.filter(TABLE.dead_running(now=NOW, lease=LEASE)).get() == job


def test_a_job_from_before_heartbeats_counts_from_its_start(job):
    ReportRun.objects.filter(pk=job.pk).update(status=ReportStatus.RUNNING, started_at=NOW - dt.timedelta(hours=1))
    assert ReportRun.objects.filter(TABLE.dead_running(now=NOW, lease=LEASE)).exists()
    ReportRun.objects.filter(pk=job.pk).update(started_at=NOW)
    assert not ReportRun.objects.filter(TABLE.dead_running(now=NOW, lease=LEASE)).exists()


def test_a_job_not_running_is_never_busy(job):
    assert TABLE.busy_for(job.pk, lease=LEASE) is None
    assert TABLE.busy_for(0, lease=LEASE) is None


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_beats_while_the_attempt_holds_the_job_and_stops_with_it(job):
    token = TABLE.claim(job.pk, lease=LEASE, max_attempts=3)
    started = ReportRun.objects.get(pk=job.pk).heartbeat_at
    with TABLE.heartbeat(job.pk, token, interval=0.05, name="job-heartbeat-test"):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and ReportRun.objects.get(pk=job.pk).heartbeat_at == started:
            time.sleep(0.05)
    assert ReportRun.objects.get(pk=job.pk).heartbeat_at > started
    assert not [t for t in threading.enumerate() if t.name == "job-heartbeat-test"]


@pytest.mark.django_db(transaction=True)
def test_a_heartbeat_of_a_lost_claim_changes_nothing(job):
    TABLE.claim(job.pk, lease=LEASE, max_attempts=3)
    before = ReportRun.objects.get(pk=job.pk).heartbeat_at
    with TABLE.heartbeat(job.pk, "not-the-token", interval=0.05):
        time.sleep(0.3)
    assert ReportRun.objects.get(pk=job.pk).heartbeat_at == before


def test_a_file_is_written_whole_and_overwritten_on_rerun(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    assert write_atomically(storage, "out/report-1.pdf", b"first") == "out/report-1.pdf"
    assert write_atomically(storage, "out/report-1.pdf", b"second") == "out/report-1.pdf"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["report-1.pdf"]
    assert (tmp_path / "out" / "report-1.pdf").read_bytes() == b"second"


def test_a_failed_write_leaves_neither_a_partial_nor_a_temporary_file(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path)

    def broken_replace(src, dst):
        raise OSError("dysk pełny")

    monkeypatch.setattr(jobs.os, "replace", broken_replace)
    with pytest.raises(OSError, match="dysk pełny"):
        write_atomically(storage, "out/report-1.pdf", b"data")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


class RemoteStorage(Storage):
    """A storage without local paths (Storage.path raises NotImplementedError), as an object store."""

    def __init__(self):
        self.files = {}

    def _save(self, name, content):
        self.files[name] = content.read()
        return name

    def _open(self, name, mode="rb"):
        return ContentFile(self.files[name], name=name)

    def exists(self, name):
        return name in self.files

    def delete(self, name):
        self.files.pop(name, None)


def test_a_storage_without_local_paths_gets_the_one_name_overwritten():
    storage = RemoteStorage()
    write_atomically(storage, "out/report-1.pdf", b"first")
    assert write_atomically(storage, "out/report-1.pdf", b"second") == "out/report-1.pdf"
    assert storage.files == {"out/report-1.pdf": b"second"}


def test_a_claim_uses_the_current_time_by_default(job):
    before = timezone.now()
    TABLE.claim(job.pk, lease=LEASE, max_attempts=3)
    assert ReportRun.objects.get(pk=job.pk).started_at >= before
