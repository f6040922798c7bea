"""The notifications the contracts room writes (support_network.services.notification_create):
a partner answered a referral, a programme came back, a referral is overdue. Texts carry numbers,
service and institution names only, never a person's data (they may be e-mailed)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from support_network.models import NotificationKind
from support_network.services import notification_create


def _referral_values(referral) -> dict:
    return {"pk": referral.pk, "service": referral.service.name, "institution": referral.institution}


def referral_answered(referral, *, answer: str, by) -> None:
    """Tell the referral's author that the partner answered (`answer`: accept, reject or
    outcome; the text is translated when it is written, in the language active then)."""
    recipient = referral.created_by
    if recipient is None or (by is not None and recipient.pk == by.pk):
        return
    texts = {
        "accept": _("Skierowanie nr %(pk)s do usługi „%(service)s” (%(institution)s): przyjęte."),
        "reject": _("Skierowanie nr %(pk)s do usługi „%(service)s” (%(institution)s): odrzucone."),
        "outcome": _("Skierowanie nr %(pk)s do usługi „%(service)s” (%(institution)s): zapisany rezultat."),
    }
    notification_create(
        recipient=recipient,
        kind=NotificationKind.REFERRAL_ANSWERED,
        text=texts[answer] % _referral_values(referral),
        link=reverse("contracts:referral_detail", args=[referral.pk]),
    )


def referral_overdue(referral) -> None:
    assert referral.answer_due is not None  # only a sent referral is overdue
    text = _("Skierowanie nr %(pk)s do usługi „%(service)s” (%(institution)s) bez odpowiedzi w terminie (do %(due)s).")
    notification_create(
        recipient=referral.created_by,
        kind=NotificationKind.OVERDUE,
        text=text % {**_referral_values(referral), "due": referral.answer_due.strftime("%d.%m.%Y")},
        link=reverse("contracts:referral_detail", args=[referral.pk]),
    )


def programme_returned(programme, *, recipient, by) -> None:
    if recipient is None or recipient.pk == by.pk:
        return
    notification_create(
        recipient=recipient,
        kind=NotificationKind.PROGRAMME_RETURNED,
        text=_("Program rodziny nr %(pk)s zwrócony przez koordynatora do poprawy – zobacz komentarz.")
        % {"pk": programme.pk},
        link=reverse("contracts:programme_detail", args=[programme.pk]),
    )
