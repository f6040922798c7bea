"""A form of support a participant received in the project: the SL2014 repeatable columns
"Rodzaj przyznanego wsparcia", "W tym", "Data rozpoczęcia/zakończenia udziału we wsparciu".

The SL2014 dictionary of support forms is not published in a form we can ship (DOMAIN.md §9, open
question 3), so the form is text as the funder's dictionary spells it; the page suggests the usual
ones. `source` says where the row came from; a support fed from a referral (source `referral`) links
to it and follows its attendance (reporting.services.referral_flow).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reporting.models.participation import Participation


class SupportSource(models.TextChoices):
    MANUAL = "manual", _("wpisane ręcznie")
    IMPORT = "import", _("z importu pliku")
    REFERRAL = "referral", _("ze skierowania")


class Support(models.Model):
    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="supports")
    form = models.CharField(_("rodzaj przyznanego wsparcia"), max_length=200)
    form_detail = models.CharField(_("w tym"), max_length=200, blank=True)
    start_date = models.DateField(_("data rozpoczęcia udziału we wsparciu"))
    end_date = models.DateField(_("data zakończenia udziału we wsparciu"), null=True, blank=True)
    source = models.CharField(_("źródło"), max_length=20, choices=SupportSource.choices, default=SupportSource.MANUAL,
                              editable=False)  # fmt: skip
    referral = models.ForeignKey("contracts.Referral", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="supports", editable=False)  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
                                   editable=False)  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("forma wsparcia uczestnika")
        verbose_name_plural = _("formy wsparcia uczestników")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                                   name="support_dates_ordered"),
            models.UniqueConstraint(fields=["participation", "referral"], condition=Q(referral__isnull=False),
                                    name="one_support_per_referral"),
        ]  # fmt: skip
        indexes = [models.Index(fields=["participation", "start_date"])]

    def __str__(self):
        return f"{self.form} {self.start_date:%Y-%m-%d}"
