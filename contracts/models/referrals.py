"""Referrals (skierowania) of a person to a catalogue service, and their status history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from families.models import Person
from support_network.models import Institution, Service


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("projekt")
    SENT = "sent", _("wysłane")
    WAITING = "waiting", _("lista rezerwowa")
    ACCEPTED = "accepted", _("przyjęte")
    REJECTED = "rejected", _("odrzucone")
    IN_PROGRESS = "in_progress", _("w realizacji")
    COMPLETED = "completed", _("zakończone")
    DROPPED = "dropped", _("przerwane")


class Referral(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("osoba"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("usługa"))
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="incoming_referrals",
        verbose_name=_("instytucja przyjmująca"),
        help_text=_("Realizator usługi w chwili skierowania (skrzynka partnera)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_sent", verbose_name=_("kierujący")
    )
    reason = models.TextField(_("uzasadnienie"))
    wished_start = models.DateField(_("proponowany termin rozpoczęcia"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT)
    status_changed_at = models.DateTimeField(_("zmiana statusu"), auto_now_add=True)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("skierowanie")
        verbose_name_plural = _("skierowania")
        indexes = [models.Index(fields=["institution", "status"]), models.Index(fields=["service", "status"])]

    def __str__(self):
        return f"Skierowanie #{self.pk}"


class ReferralEvent(models.Model):
    """One dated status change of a referral, with who made it (the person's timeline shows it)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices)
    at = models.DateTimeField(_("kiedy"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.TextField(_("uwagi"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("zmiana statusu skierowania")
        verbose_name_plural = _("zmiany statusu skierowań")

    def __str__(self):
        return f"{self.get_status_display()} {self.at:%Y-%m-%d %H:%M}"
