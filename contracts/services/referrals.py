"""Writes on referrals. Every transition is atomic, locks the row and leaves a ReferralEvent."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from contracts.models import Referral, ReferralEvent, ReferralStatus


@transaction.atomic
def referral_create(*, person, service, by, reason, wished_start=None, key=None) -> Referral:
    """Create a draft referral. With `key`, a repeated call (double submit, a programme approved
    twice) returns the referral created the first time instead of a second one."""
    if key is not None:
        existing = Referral.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                person=person,
                service=service,
                institution_id=service.provider_id,
                created_by=by,
                reason=reason,
                wished_start=wished_start,
                idempotency_key=key,
            )
    except IntegrityError:
        if key is None:
            raise
        return Referral.objects.get(idempotency_key=key)
    ReferralEvent.objects.create(referral=referral, status=ReferralStatus.DRAFT, by=by)
    referral.status_changed_at = timezone.now()
    return referral
