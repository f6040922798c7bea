"""Follow-ups after exit and after a job starts (EFS_RULES.md §4–5; the Kalisz programme).

A follow-up is created by the services when an exit or an employment is recorded; the project
manager marks it done with a note. FollowUpReminder rows make the daily reminder idempotent:
one e-mail per manager per day, claimed by inserting the row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reporting.models.participation import OutcomeEvent, Participation


class FollowUpKind(models.TextChoices):
    RESULT_4W = "result_4w", _("4 tygodnie po zakończeniu udziału (wskaźniki rezultatu)")
    EFFECTIVENESS_3M = "effectiveness_3m", _("3 miesiące po zakończeniu udziału (efektywność KES/KEZ)")
    EMPLOYMENT_1M = "employment_1m", _("miesiąc po podjęciu pracy (rozmowa z pracodawcą i uczestnikiem)")


EXIT_KINDS = (FollowUpKind.RESULT_4W, FollowUpKind.EFFECTIVENESS_3M)


class FollowUp(models.Model):
    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="followups")
    kind = models.CharField(_("rodzaj"), max_length=20, choices=FollowUpKind.choices)
    outcome = models.ForeignKey(
        OutcomeEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="followups",
        help_text=_("Zatrudnienie, po którym następuje rozmowa (tylko dla rozmowy po miesiącu pracy)."),
    )  # fmt: skip
    due_on = models.DateField(_("termin"))
    done_on = models.DateField(_("data wykonania"), null=True, blank=True)
    note = models.TextField(_("notatka"), blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("monitoring uczestnika")
        verbose_name_plural = _("monitoring uczestników")
        constraints = [
            models.UniqueConstraint(fields=["participation", "kind"], condition=Q(outcome__isnull=True),
                                    name="one_exit_followup_per_kind"),
            models.UniqueConstraint(fields=["outcome"], condition=Q(outcome__isnull=False),
                                    name="one_followup_per_employment"),
            models.CheckConstraint(condition=Q(kind="employment_1m", outcome__isnull=False)
                                   | (~Q(kind="employment_1m") & Q(outcome__isnull=True)),
                                   name="employment_followup_has_outcome"),
            models.CheckConstraint(condition=Q(done_on__isnull=True) | Q(done_by__isnull=False),
                                   name="done_followup_has_author"),
        ]  # fmt: skip
        indexes = [models.Index(fields=["done_on", "due_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.due_on:%d.%m.%Y}"


class FollowUpReminder(models.Model):
    """The daily reminder sent to one user on one day (the claim that makes the task idempotent)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    due_count = models.PositiveIntegerField(default=0)
    overdue_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("przypomnienie o monitoringu")
        verbose_name_plural = _("przypomnienia o monitoringu")
        constraints = [models.UniqueConstraint(fields=["user", "sent_on"], name="one_reminder_per_user_per_day")]

    def __str__(self):
        return f"{self.user_id} {self.sent_on:%Y-%m-%d}"
