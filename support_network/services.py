"""Writes of the partnership: cooperation agreements and team meetings. Keyword-only
`<noun>_<verb>` functions; the acting user `by` is checked with support_network.access."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.locking import claim_version
from support_network.access import (
    agreement_parties_for,
    agreements_visible_to,
    can_manage_agreements,
    can_record_meeting,
    projects_visible_to,
)
from support_network.models import (
    AGREEMENT_FIELDS,
    MEETING_FIELDS,
    Agreement,
    Meeting,
    Notification,
    StaffMembership,
)

logger = logging.getLogger(__name__)


def _apply(instance, data: dict, names) -> None:
    """Field values as a ModelForm sets them (a FileField keeps its file when no new one came)."""
    for name in names:
        if name in data:
            instance._meta.get_field(name).save_form_data(instance, data[name])


def _check_agreement(by, agreement, project) -> None:
    if not can_manage_agreements(by):
        raise DomainError(_("Porozumienia prowadzą koordynator, kierownik projektu i administrator."))
    if agreement is not None and not agreements_visible_to(by).filter(pk=agreement.pk).exists():
        raise DomainError(_("To porozumienie nie dotyczy Twojej instytucji ani Twoich projektów."))
    if project is not None and not projects_visible_to(by).filter(pk=project.pk).exists():
        raise DomainError(_("Wybierz projekt, w którym pracujesz."))


def _check_parties(by, agreement, parties) -> None:
    allowed = set(agreement_parties_for(by, agreement).values_list("pk", flat=True))
    if any(party.pk not in allowed for party in parties):
        raise DomainError(_("Stronami porozumienia mogą być Twoja instytucja oraz lider i partnerzy Twoich projektów."))


def agreement_save(*, data: dict, by, agreement: Agreement | None = None, lock_version: int | None = None) -> Agreement:
    """Create (agreement=None) or change an agreement read at `lock_version`: its fields and its parties."""
    _check_agreement(by, agreement, data.get("project"))
    _check_parties(by, agreement, data["parties"])
    with transaction.atomic():
        if agreement is None:
            agreement = Agreement()
        else:
            Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
            claim_version(agreement, lock_version)
        if agreement.created_by_id is None:
            agreement.created_by = by
        _apply(agreement, data, AGREEMENT_FIELDS)
        agreement.save()
        agreement.parties.set(data["parties"])
    logger.info("agreement %s saved by user %s", agreement.pk, by.pk)
    return agreement


def meeting_save(*, team, data: dict, by, meeting: Meeting | None = None, lock_version: int | None = None) -> Meeting:
    """Record (meeting=None) or change a meeting of `team` read at `lock_version`: its fields and attendees."""
    if not can_record_meeting(by, team):
        raise DomainError(_("Spotkania zespołu zapisują jego członkowie oraz koordynator i kierownik projektu."))
    if meeting is not None and meeting.team_id != team.pk:
        raise DomainError(_("To spotkanie nie należy do tego zespołu."))
    with transaction.atomic():
        if meeting is None:
            meeting = Meeting(team=team)
        else:
            claim_version(meeting, lock_version)
        if meeting.created_by_id is None:
            meeting.created_by = by
        _apply(meeting, data, MEETING_FIELDS)
        meeting.save()
        meeting.attendees.set(data["attendees"])
    logger.info("meeting %s of team %s saved by user %s", meeting.pk, team.pk, by.pk)
    return meeting


# --- notifications (docs/network-and-referrals.md#powiadomienia) -----------------------------


def notification_create(*, recipient, kind: str, text: str, link: str = "") -> Notification | None:
    """Tell `recipient` (a user, or None: nobody to tell) about an event. Called by the service
    that performs the event, inside its transaction; the e-mail (when the recipient asked for it)
    is enqueued after the commit (support_network.receivers)."""
    if recipient is None:
        return None
    return Notification.objects.create(recipient=recipient, kind=kind, text=str(text)[:300], link=link)


def notification_mark_read(*, notification: Notification, by) -> None:
    if notification.recipient_id != by.pk:
        raise DomainError(_("To nie jest Twoje powiadomienie."))
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_all_read(*, by) -> int:
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())


def notification_settings_save(*, by, email: bool) -> None:
    """The user's own choice: notifications also by e-mail (to the account's address)."""
    StaffMembership.objects.filter(user=by).update(email_notifications=email)


def notification_email(*, notification_id: int) -> bool:
    """E-mail one notification to a recipient who asked for it; claimed with a conditional UPDATE
    of `emailed_at` in the transaction that sends it (a re-delivered task sends nothing twice, an
    SMTP failure rolls the claim back for the retry). Returns True when this call sent it."""
    with transaction.atomic():
        claimed = Notification.objects.filter(
            pk=notification_id,
            emailed_at__isnull=True,
            recipient__membership__email_notifications=True,
        ).update(emailed_at=timezone.now())
        if not claimed:
            return False
        notification = Notification.objects.select_related("recipient").get(pk=notification_id)
        if not notification.recipient.email:
            return False
        link = settings.SITE_URL.rstrip("/") + notification.link if notification.link else ""
        body = f"{notification.text}\n\n{link}\n" if link else f"{notification.text}\n"
        send_mail(str(notification.get_kind_display()), body, None, [notification.recipient.email])
    return True
