"""Placements with a duration and the talks one month after a job starts (issue 13 items 5–6).

A placement (public works, socially useful work, an internship, a subsidised job) is a support of
the participation (`Support`, so the SL2014 export shows it as a support form) with an employer,
planned and actual dates and hours per month: one `Placement` per `Support`. Its actual end, when
the employer keeps the person, records an employment outcome, and the employment schedules the
follow-up one month after the job starts (FollowUpKind.EMPLOYMENT_1M).

That follow-up is done with two conversations, one with the employer and one with the employee
(`FollowUpConversation`, one of each per follow-up); it is done when both are recorded.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reporting.models.followups import FollowUp
from reporting.models.supports import Support


class PlacementKind(models.TextChoices):
    PUBLIC_WORKS = "public_works", _("roboty publiczne")
    SOCIALLY_USEFUL = "socially_useful", _("prace społecznie użyteczne")
    INTERNSHIP = "internship", _("staż")
    SUBSIDISED_JOB = "subsidised_job", _("zatrudnienie subsydiowane")


class Placement(models.Model):
    support = models.OneToOneField(Support, on_delete=models.CASCADE, related_name="placement")
    kind = models.CharField(_("rodzaj"), max_length=20, choices=PlacementKind.choices)
    employer = models.CharField(_("pracodawca / organizator"), max_length=200)
    planned_start = models.DateField(_("planowany początek"))
    planned_end = models.DateField(_("planowany koniec"))
    actual_start = models.DateField(_("faktyczny początek"))
    actual_end = models.DateField(_("faktyczny koniec"), null=True, blank=True)
    hours_per_month = models.PositiveSmallIntegerField(_("godzin w miesiącu"))
    kept_on = models.BooleanField(_("pracodawca zatrudnił po zakończeniu"), default=False)
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   editable=False)  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["planned_start", "pk"]
        verbose_name = _("staż / roboty publiczne")
        verbose_name_plural = _("staże i roboty publiczne")
        constraints = [
            models.CheckConstraint(condition=Q(planned_end__gte=models.F("planned_start")),
                                   name="placement_planned_dates_ordered"),
            models.CheckConstraint(condition=Q(actual_end__isnull=True) | Q(actual_end__gte=models.F("actual_start")),
                                   name="placement_actual_dates_ordered"),
            models.CheckConstraint(condition=Q(hours_per_month__gte=1) & Q(hours_per_month__lte=744),
                                   name="placement_hours_per_month_in_range"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.get_kind_display()} – {self.employer}"


class ConversationParty(models.TextChoices):
    EMPLOYER = "employer", _("rozmowa z pracodawcą")
    EMPLOYEE = "employee", _("rozmowa z pracownikiem (uczestnikiem)")


class ConversationResult(models.TextChoices):
    STILL_EMPLOYED = "still_employed", _("nadal pracuje")
    LEFT = "left", _("odszedł z pracy")
    PROBLEM = "problem", _("jest problem")


class FollowUpConversation(models.Model):
    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="conversations")
    party = models.CharField(_("z kim"), max_length=10, choices=ConversationParty.choices)
    held_on = models.DateField(_("data rozmowy"))
    spoke_with = models.CharField(_("rozmówca"), max_length=200,
                                  help_text=_("Kto rozmawiał ze strony pracodawcy lub uczestnika."))  # fmt: skip
    result = models.CharField(_("wynik"), max_length=20, choices=ConversationResult.choices)
    note = models.TextField(_("notatka"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    editable=False)  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["party", "pk"]
        verbose_name = _("rozmowa po miesiącu pracy")
        verbose_name_plural = _("rozmowy po miesiącu pracy")
        constraints = [models.UniqueConstraint(fields=["followup", "party"], name="one_conversation_per_party")]

    def __str__(self):
        return f"{self.get_party_display()} {self.held_on:%d.%m.%Y}"
