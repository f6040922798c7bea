"""Follow-ups with reminders: 4 weeks and 3 months after exit, one month after a job starts.

Due dates are the last days of the EFS windows (EFS_RULES.md §4–5): end + 28 days, the same day
of the month three months after the end (the month's last day when that day does not exist), and
one month after the employment starts (the Kalisz talk with the employer and the participant).
"""

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import DomainError
from reporting.access import participations_visible_to
from reporting.dates import add_months, effectiveness_window_end, result_window_end
from reporting.models import FollowUp, FollowUpKind, FollowUpReminder
from reporting.services.validation import text_error
from support_network.models import Role

logger = logging.getLogger(__name__)

DUE_SOON_DAYS = 7


def followups_schedule_for_exit(*, participation) -> list[FollowUp]:
    """Create the two exit follow-ups, or move the open ones when the end date was corrected."""
    due = {
        FollowUpKind.RESULT_4W: result_window_end(participation.end_date),
        FollowUpKind.EFFECTIVENESS_3M: effectiveness_window_end(participation.end_date),
    }
    followups = []
    for kind, due_on in due.items():
        followup, created = FollowUp.objects.get_or_create(
            participation=participation, kind=kind, outcome=None, defaults={"due_on": due_on}
        )
        if not created and followup.done_on is None and followup.due_on != due_on:
            followup.due_on = due_on
            followup.save(update_fields=["due_on"])
        followups.append(followup)
    return followups


def followup_schedule_for_employment(*, outcome) -> FollowUp:
    followup, _created = FollowUp.objects.get_or_create(
        outcome=outcome,
        defaults={"participation_id": outcome.participation_id, "kind": FollowUpKind.EMPLOYMENT_1M,
                  "due_on": add_months(outcome.occurred_on, 1)},
    )  # fmt: skip
    return followup


def followup_complete(*, followup, done_on: dt.date, note: str, by, today: dt.date | None = None) -> FollowUp:
    """Mark a follow-up done (once: a conditional UPDATE; the second click gets a clear conflict)."""
    today = today or timezone.localdate()
    note = (note or "").strip()
    errors = {}
    if not done_on:
        errors["done_on"] = _("Podaj datę kontaktu.")
    elif done_on > today:
        errors["done_on"] = _("Data kontaktu nie może być w przyszłości.")
    elif followup.participation.start_date and done_on < followup.participation.start_date:
        errors["done_on"] = _("Data kontaktu jest wcześniejsza niż rozpoczęcie udziału.")
    if not note:
        errors["note"] = _("Opisz krótko wynik kontaktu (np. potwierdzenie zatrudnienia).")
    elif message := text_error(note.replace("\n", " ").replace("\r", " "), 2000):
        errors["note"] = message
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        updated = FollowUp.objects.filter(pk=followup.pk, done_on__isnull=True).update(
            done_on=done_on, note=note, done_by=by
        )
    if not updated:
        raise DomainError(_("Ten monitoring został już oznaczony jako wykonany."), conflict=True)
    followup.refresh_from_db()
    return followup


def open_followups(*, participations, today: dt.date):
    """Open follow-ups of `participations` due up to `today` + 7 days (overdue first)."""
    return (
        FollowUp.objects.filter(participation__in=participations, done_on__isnull=True,
                                due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        .select_related("participation__project", "outcome")
        .order_by("due_on", "pk")
    )  # fmt: skip


def followup_reminders_send(*, today: dt.date | None = None) -> int:
    """E-mail each active project manager the follow-ups due and overdue in their projects, once a
    day: the FollowUpReminder row (user, day) is the claim, so a re-run sends nothing twice.
    Returns the number of e-mails sent. No names or PESELs in the e-mail: internal ids and a link."""
    today = today or timezone.localdate()
    managers = (
        get_user_model().objects.filter(is_active=True, membership__role=Role.PROJECT_MANAGER)
        .exclude(email="").order_by("pk")
    )  # fmt: skip
    sent = 0
    for user in managers:
        followups = list(open_followups(participations=participations_visible_to(user).values("pk"), today=today))
        if not followups:
            continue
        overdue = [f for f in followups if f.due_on < today]
        try:
            with transaction.atomic():
                FollowUpReminder.objects.create(user=user, sent_on=today, due_count=len(followups) - len(overdue),
                                                overdue_count=len(overdue))  # fmt: skip
                with translation.override("pl"):
                    body = render_to_string("reporting/participants/followups_email.txt", {
                        "user": user, "followups": followups, "overdue": overdue, "today": today,
                        "url": settings.SITE_URL.rstrip("/") + reverse("reporting:followups")
                        if getattr(settings, "SITE_URL", "") else reverse("reporting:followups"),
                    })  # fmt: skip
                    subject = _("Monitoring uczestników: %(due)d do zrobienia, %(overdue)d po terminie") % {
                        "due": len(followups) - len(overdue), "overdue": len(overdue)}  # fmt: skip
                send_mail(subject, body, None, [user.email])
        except IntegrityError:
            continue  # already reminded today (a re-run or a concurrent beat)
        except (OSError, smtplib.SMTPException):
            logger.exception("follow-up reminder to user %s not sent; retried on the next run", user.pk)
            continue
        logger.info("follow-up reminder sent to user %s (%s items)", user.pk, len(followups))
        sent += 1
    return sent
