"""Who may see and do what in the contracts room. Deny by default; out of scope = 404."""

from django.db.models import Q

from contracts.models import Referral
from contracts.models.referrals import INBOX_STATUSES
from families.access import persons_visible_to
from support_network.access import CASEWORK_ROLES, PROJECT_ROLES, membership_of
from support_network.models import Role

# --- referrals -------------------------------------------------------------------------------
#  - social worker, MGI member: referrals of the persons in their caseload, and those they wrote;
#  - coordinator, project manager, auditor: referrals of the persons of their projects (read);
#  - partner staff: referrals addressed to their institution, drafts excluded (the inbox) -
#    and never anything else of the person than the referral itself needs;
#  - administrator, no membership: nothing.


def referrals_visible_to(user):
    membership = membership_of(user)
    if membership is None or not user.is_active:
        return Referral.objects.none()
    if membership.role in CASEWORK_ROLES:
        return Referral.objects.filter(Q(person__in=persons_visible_to(user).values("pk")) | Q(created_by=user))
    if membership.role in PROJECT_ROLES:
        return Referral.objects.filter(person__in=persons_visible_to(user).values("pk"))
    if membership.role == Role.PARTNER_STAFF:
        return referral_inbox_of(user)
    return Referral.objects.none()


def referral_inbox_of(user):
    """Referrals addressed to the partner's institution (what its inbox lists)."""
    membership = membership_of(user)
    if membership is None or not user.is_active or membership.role != Role.PARTNER_STAFF:
        return Referral.objects.none()
    return Referral.objects.filter(institution_id=membership.institution_id, status__in=INBOX_STATUSES)


def can_refer(user) -> bool:
    membership = membership_of(user)
    return membership is not None and user.is_active and membership.role in CASEWORK_ROLES


def can_send(user, referral) -> bool:
    """The sender's side (send, withdraw from the waiting list, discard a draft): caseworkers who
    see the person (the referral was already fetched through referrals_visible_to)."""
    return can_refer(user)


def can_answer(user, referral) -> bool:
    """The partner's side: staff of the institution the referral is addressed to."""
    membership = membership_of(user)
    return (
        membership is not None
        and user.is_active
        and membership.role == Role.PARTNER_STAFF
        and membership.institution_id == referral.institution_id
    )


def is_partner_view(user) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role == Role.PARTNER_STAFF
