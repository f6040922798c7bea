import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task
def heartbeat() -> str:
    """Beat's proof of life in the worker log."""
    logger.info("heartbeat")
    return "ok"


@shared_task(ignore_result=False)  # the one task whose result is read (CELERY_TASK_IGNORE_RESULT)
def smoke(value: int) -> dict:
    """The worker-path smoke task: returns a value computed in the worker, with its time."""
    return {"value": value * 2, "at": timezone.now().isoformat()}
