"""In-app notifications of a staff member (issue 12, wall 7): a partner answered a referral, a
programme came back with a comment, a referral is overdue. Written by the services of the room
where the event happens (contracts), read on the notifications page, in the navbar badge and on
the home page. The text is written once, when the event happens, without personal data (numbers
and service names only); `link` is the page of the object, which itself checks access."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REFERRAL_ANSWERED = "referral_answered", _("Odpowiedź na skierowanie")
    PROGRAMME_RETURNED = "programme_returned", _("Program zwrócony do poprawy")
    OVERDUE = "overdue", _("Termin minął")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("odbiorca")
    )
    kind = models.CharField(_("rodzaj"), max_length=30, choices=NotificationKind.choices)
    text = models.CharField(_("treść"), max_length=300)
    link = models.CharField(_("odnośnik"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    read_at = models.DateTimeField(_("przeczytano"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("wysłano e-mail"), null=True, blank=True, editable=False)

    class Meta:
        app_label = "support_network"
        verbose_name = _("powiadomienie")
        verbose_name_plural = _("powiadomienia")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
