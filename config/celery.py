"""Celery application. With REDIS_URL unset, tasks run in-process (CELERY_TASK_ALWAYS_EAGER).

A running worker proves it is alive (core/liveness.py): its main process beats into the broker's
Redis every WORKER_LIVENESS_SECONDS, so /healthz and the report page can say that no worker runs."""

import os

from celery import Celery
from celery.signals import worker_init, worker_ready, worker_shutdown
from django.conf import settings

from core.liveness import WorkerBeat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("efs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_beats: list = []


@worker_ready.connect
def _start_liveness_beat(sender=None, **kwargs) -> None:
    beat = WorkerBeat(app.conf.broker_url, interval=settings.WORKER_LIVENESS_SECONDS)
    beat.start()
    _beats.append(beat)


@worker_shutdown.connect
def _stop_liveness_beat(sender=None, **kwargs) -> None:
    while _beats:
        _beats.pop().stop()


@worker_init.connect
def _require_keys(**kwargs):
    """With DEBUG off, no worker starts without the encryption keys (core.crypto.require_keys)."""
    from core.crypto import require_keys  # noqa: PLC0415 - the app registry is ready only in the worker

    require_keys()
