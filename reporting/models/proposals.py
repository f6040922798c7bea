"""Outcomes proposed from a partner's referral outcome (issue 13 item 2): what the partner recorded
on a referral becomes, per kind, a proposal the project manager confirms or rejects. Only a
confirmed proposal writes an OutcomeEvent, so the indicator engine counts OutcomeEvent rows as
before and a proposed or rejected outcome can never count."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reporting.codes import EmploymentForm, JobSeekingKind, OutcomeKind, ProgressCategory
from reporting.models.participation import OutcomeEvent, Participation


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("do potwierdzenia")
    CONFIRMED = "confirmed", _("potwierdzony")
    REJECTED = "rejected", _("odrzucony")


class OutcomeProposal(models.Model):
    """One outcome of one kind (one row per social progress category) a referral proposes for a
    participation; the evidence is the referral, who recorded its outcome and when."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="outcome_proposals")
    referral = models.ForeignKey("contracts.Referral", on_delete=models.CASCADE, related_name="outcome_proposals")
    kind = models.CharField(_("rodzaj"), max_length=20, choices=OutcomeKind.choices)
    progress_category = models.CharField(_("kategoria postępu"), max_length=1, choices=ProgressCategory.choices,
                                         blank=True)  # fmt: skip
    occurred_on = models.DateField(_("data"))
    employment_form = models.CharField(_("forma zatrudnienia"), max_length=30, choices=EmploymentForm.choices,
                                       blank=True)  # fmt: skip
    fte = models.DecimalField(_("wymiar etatu"), max_digits=3, decimal_places=2, null=True, blank=True)
    planned_months = models.PositiveSmallIntegerField(_("planowany okres (miesiące)"), null=True, blank=True)
    employer = models.CharField(_("pracodawca"), max_length=200, blank=True)
    job_seeking_kind = models.CharField(_("forma poszukiwania pracy"), max_length=20, choices=JobSeekingKind.choices,
                                        blank=True)  # fmt: skip
    qualification_name = models.CharField(_("kwalifikacja"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProposalStatus.choices,
                              default=ProposalStatus.PROPOSED)  # fmt: skip
    # the source was edited after the confirmation: the EFS record may be out of date until re-confirmed
    source_changed = models.BooleanField(_("zmieniony u źródła po potwierdzeniu"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("zapisany przez partnera"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(_("decyzja"), null=True, blank=True)
    event = models.OneToOneField(OutcomeEvent, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="proposal")  # fmt: skip

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("proponowany rezultat")
        verbose_name_plural = _("proponowane rezultaty")
        constraints = [
            models.UniqueConstraint(fields=["participation", "referral", "kind", "progress_category"],
                                    name="one_proposal_per_referral_kind"),
            models.CheckConstraint(condition=~Q(status="confirmed") | Q(decided_at__isnull=False),
                                   name="confirmed_proposal_is_decided"),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["status", "participation"]),
            # the manager's queue (reporting.selectors.proposals.TO_DECIDE): a few hundred waiting
            # among every proposal ever decided, read without scanning the decided ones
            models.Index(
                fields=["participation"],
                condition=Q(status="proposed") | Q(status="confirmed", source_changed=True),
                name="proposal_to_decide",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_on:%Y-%m-%d}"
