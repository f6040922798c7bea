"""Periodic tasks of the reporting room."""

import logging

from celery import shared_task

from reporting.services.followups import followup_reminders_send

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=10 * 60, soft_time_limit=9 * 60)
def send_followup_reminders() -> int:
    """Daily: e-mail each project manager what is due and overdue. Idempotent per user and day
    (FollowUpReminder claim), so a re-delivered or repeated run sends nothing twice."""
    sent = followup_reminders_send()
    logger.info("follow-up reminders: %s e-mails", sent)
    return sent
