"""Periodic and background work of the contracts room (take ids, call a service, idempotent):
referral overdue marking and notices; social-contract reminders and expiry (reminders are claimed
row by row in the transaction that sends the e-mail, expiry is a guarded status transition)."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import Referral
from contracts.services.social_contracts import contracts_expire_due, reminders_send_due

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def referrals_mark_overdue() -> int:
    """Daily (beat): flag referrals with no answer within the institution's working days."""
    from contracts.services.referrals import referrals_mark_overdue as mark

    return len(mark())


@shared_task(
    acks_late=True, reject_on_worker_lost=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5
)
def referral_notify_overdue(referral_id: int) -> bool:
    """E-mail the sender that the partner has not answered. No personal data in the message:
    the referral number, the service and a link (the page itself requires login).

    Claimed with a conditional UPDATE of overdue_notified_at, so a re-delivered task sends nothing twice."""
    with transaction.atomic():
        claimed = Referral.objects.filter(pk=referral_id, overdue_notified_at__isnull=True).update(
            overdue_notified_at=timezone.now()
        )
        if not claimed:
            return False
        referral = Referral.objects.select_related("service", "institution", "created_by").get(pk=referral_id)
        recipient = referral.created_by.email
        if not recipient:
            logger.info("referral %s overdue: sender %s has no e-mail", referral_id, referral.created_by_id)
            return False
        subject = _("Skierowanie nr %(pk)s czeka na odpowiedź realizatora") % {"pk": referral.pk}
        body = _(
            "Skierowanie nr %(pk)s do usługi „%(service)s” (%(institution)s) nie otrzymało odpowiedzi "
            "w terminie (do %(due)s).\n\nSzczegóły po zalogowaniu: %(path)s\n"
        ) % {
            "pk": referral.pk,
            "service": referral.service.name,
            "institution": referral.institution,
            "due": referral.answer_due.strftime("%d.%m.%Y"),
            "path": settings.SITE_URL.rstrip("/") + reverse("contracts:referral_detail", args=[referral.pk])
            if getattr(settings, "SITE_URL", "")
            else reverse("contracts:referral_detail", args=[referral.pk]),
        }
        # An SMTP failure rolls back the claim, so a retry sends the message.
        send_mail(subject, body, None, [recipient])
    return True


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
