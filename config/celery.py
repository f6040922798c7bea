"""Celery application. With REDIS_URL unset, tasks run in-process (CELERY_TASK_ALWAYS_EAGER)."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("efs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _require_keys(**kwargs):
    """With DEBUG off, no worker starts without the encryption keys (core.crypto.require_keys)."""
    from core.crypto import require_keys  # noqa: PLC0415 - the app registry is ready only in the worker

    require_keys()
