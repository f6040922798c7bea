"""Periodic and background work of the contracts room, and the only place it enqueues: tasks
take ids and call a service (idempotent); helpers here enqueue after the commit. Referral overdue
marking and notices; social-contract reminders and expiry (reminders are claimed row by row in
the transaction that sends the e-mail, expiry is a guarded status transition)."""

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from contracts.services import notices
from contracts.services.referrals import referrals_mark_overdue as mark_overdue
from contracts.services.social_contracts import contracts_expire_due, reminders_send_due

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def referrals_mark_overdue() -> list[int]:
    """Daily (beat): flag referrals with no answer within the institution's working days and
    notify each sender once (the flag is claimed once, so each id comes back once)."""
    flagged = mark_overdue()
    for referral_id in flagged:
        notify_overdue_after_commit(referral_id)
    return flagged


@shared_task(
    acks_late=True, reject_on_worker_lost=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5
)
def referral_notify_overdue(referral_id: int) -> bool:
    """E-mail the sender of an overdue referral (claimed by the service: sent at most once)."""
    return notices.referral_notify_overdue(referral_id=referral_id)


def notify_overdue_after_commit(referral_id: int) -> None:
    transaction.on_commit(lambda: referral_notify_overdue.delay(referral_id))


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
