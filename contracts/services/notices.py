"""Notices the contracts room e-mails: a referral the partner has not answered in time.

Each notice is claimed with a conditional UPDATE of its stamp in the transaction that sends it,
so a re-delivered task sends nothing twice and an SMTP failure (the transaction rolls back)
leaves the notice to be sent by the retry."""

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import Referral
from core.links import absolute_url

logger = logging.getLogger(__name__)


def referral_notify_overdue(*, referral_id: int) -> bool:
    """E-mail the sender that the partner has not answered. No personal data in the message:
    the referral number, the service and a link (the page itself requires login). Returns True
    when this call sent the message."""
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
        assert referral.answer_due is not None  # set when it was sent, never cleared; only a sent referral is overdue
        subject = _("Skierowanie nr %(pk)s czeka na odpowiedź realizatora") % {"pk": referral.pk}
        body = _(
            "Skierowanie nr %(pk)s do usługi „%(service)s” (%(institution)s) nie otrzymało odpowiedzi "
            "w terminie (do %(due)s).\n\nSzczegóły po zalogowaniu: %(path)s\n"
        ) % {
            "pk": referral.pk,
            "service": referral.service.name,
            "institution": referral.institution,
            "due": referral.answer_due.strftime("%d.%m.%Y"),
            "path": absolute_url("contracts:referral_detail", referral.pk),
        }
        # An SMTP failure rolls back the claim, so a retry sends the message.
        send_mail(subject, body, None, [recipient])
    return True
