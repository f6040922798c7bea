"""A small job runner for rows that a worker processes (a row = one job): claim by conditional
UPDATE, a lease kept alive by a heartbeat thread, takeover of a job whose worker died, and an
atomic file write. It knows no domain: the model, its status values and field names are
parameters (see `JobTable`); what a job does, when it fails and what it says is the room's.

A claim returns a token; every later write of that attempt is conditional on it (`owned`), so an
attempt that lost its job (frozen past its lease, taken over meanwhile) changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import DatabaseError, connection
from django.db.models import F, Model, Q, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobTable:
    """Where a model keeps its job state: the status values meaning queued and running, and the
    fields of the claim (token), the liveness (started, heartbeat) and the attempt counter."""

    model: type[Model]
    queued: str
    running: str
    status_field: str = "status"
    token_field: str = "claim_token"  # noqa: S105 - a field name
    started_field: str = "started_at"
    heartbeat_field: str = "heartbeat_at"
    attempts_field: str = "attempts"

    @property
    def rows(self) -> QuerySet:
        return self.model._default_manager.all()

    def running_rows(self) -> QuerySet:
        return self.rows.filter(**{self.status_field: self.running})

    def dead_running(self, *, now: dt.datetime, lease: dt.timedelta) -> Q:
        """Jobs "running" whose worker stopped beating for longer than the lease: it died (SIGKILL,
        OOM, machine lost). Jobs from before heartbeats count from their start."""
        expired = now - lease
        return Q(**{self.status_field: self.running}) & (
            Q(**{f"{self.heartbeat_field}__lt": expired})
            | Q(**{f"{self.heartbeat_field}__isnull": True, f"{self.started_field}__lt": expired})
        )

    def claim(
        self, pk: Any, *, lease: dt.timedelta, max_attempts: int, now: dt.datetime | None = None, **also: Any
    ) -> str | None:
        """queued -> running, or a takeover of a job whose worker died (below max_attempts), in one
        conditional UPDATE that also counts the attempt and sets `also`. Returns this attempt's
        token, or None when there was nothing to claim (done, failed, or held by a live worker)."""
        now = now or timezone.now()
        token = uuid.uuid4().hex
        claimable = Q(**{self.status_field: self.queued}) | (
            self.dead_running(now=now, lease=lease) & Q(**{f"{self.attempts_field}__lt": max_attempts})
        )
        claimed = self.rows.filter(claimable, pk=pk).update(
            **{
                self.status_field: self.running,
                self.started_field: now,
                self.heartbeat_field: now,
                self.token_field: token,
                self.attempts_field: F(self.attempts_field) + 1,
            },
            **also,
        )
        return token if claimed else None

    def owned(self, pk: Any, token: str) -> QuerySet:
        """The job while this attempt still holds it (running, with its token): update through this."""
        return self.running_rows().filter(pk=pk, **{self.token_field: token})

    def busy_for(self, pk: Any, *, lease: dt.timedelta, now: dt.datetime | None = None) -> float | None:
        """Seconds until the lease of a job held by a live worker runs out (0 at its very end), or
        None when the job is not running or its worker is already past the lease."""
        row = self.rows.filter(pk=pk).values(self.status_field, self.heartbeat_field).first()
        if not row or row[self.status_field] != self.running or not row[self.heartbeat_field]:
            return None
        remaining = (row[self.heartbeat_field] + lease - (now or timezone.now())).total_seconds()
        return remaining if remaining >= 0 else None

    def heartbeat(self, pk: Any, token: str, *, interval: float, name: str | None = None) -> Heartbeat:
        """A started thread that refreshes the heartbeat while the attempt holds the job; use it as
        a context manager (it stops and joins on exit)."""
        return Heartbeat(self, pk, token, interval=interval, name=name)


class Heartbeat(threading.Thread):
    """Refreshes the heartbeat of a claimed job every `interval` seconds, on its own database
    connection, until stopped. A failed beat is logged and the next one tried."""

    def __init__(self, table: JobTable, pk: Any, token: str, *, interval: float, name: str | None = None):
        super().__init__(name=name or f"{table.model._meta.model_name}-heartbeat-{pk}", daemon=True)
        self.table, self.pk, self.token, self.interval = table, pk, token, interval
        self.finished = threading.Event()

    def run(self) -> None:
        try:
            while not self.finished.wait(self.interval):
                try:
                    self.table.owned(self.pk, self.token).update(**{self.table.heartbeat_field: timezone.now()})
                except DatabaseError as exc:
                    logger.warning(
                        "%s %s: heartbeat failed (%s)", self.table.model._meta.label, self.pk, type(exc).__name__
                    )
                    connection.close()
        finally:
            connection.close()

    def stop(self) -> None:
        self.finished.set()
        self.join(timeout=10)

    def __enter__(self) -> Heartbeat:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def write_atomically(storage, name: str, data: bytes) -> str:
    """The file appears whole or not at all: written to a temporary file beside it and renamed over
    it, so a worker killed mid-write leaves no partial or second file. A storage without local
    paths (remote) gets the one name overwritten. Returns the stored name."""
    try:
        target = Path(storage.path(name))
    except NotImplementedError:  # remote storage: overwrite the one name
        if storage.exists(name):
            storage.delete(name)
        return storage.save(name, ContentFile(data))
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
    ) as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.chmod(handle.name, 0o640)
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return name
