import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from support_network import services

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


@shared_task(
    acks_late=True, reject_on_worker_lost=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5
)
def notification_email(notification_id: int) -> bool:
    """E-mail one notification to a recipient who asked for it (claimed once by the service)."""
    return services.notification_email(notification_id=notification_id)


def notification_email_after_commit(notification_id: int) -> None:
    transaction.on_commit(lambda: notification_email.delay(notification_id))
