"""Periodic tasks of contracts and programmes (scheduled in settings.CELERY_BEAT_SCHEDULE).

Both are idempotent: reminders are claimed row by row (reminded_at) in the transaction that
sends the e-mail, expiry is a guarded status transition."""

import logging

from celery import shared_task
from django.utils import timezone

from contracts.services.social_contracts import contracts_expire_due, reminders_send_due

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_contract_reminders() -> int:
    """E-mail social workers the evaluation dates and action deadlines due soon (each once)."""
    sent = reminders_send_due(today=timezone.localdate())
    logger.info("contract reminders: %s e-mails sent", sent)
    return sent


@shared_task(acks_late=True, reject_on_worker_lost=True)
def expire_contracts() -> int:
    """Mark running contracts long past their period as expired (without an evaluation)."""
    expired = contracts_expire_due(today=timezone.localdate())
    logger.info("contracts expired: %s", expired)
    return expired
