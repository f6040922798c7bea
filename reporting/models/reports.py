"""Report runs: one requested report (who, what, for which period), rendered by a Celery task."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from support_network.models import Project


class ReportKind(models.TextChoices):
    INDICATOR_PROGRESS = "indicator_progress", _("raport z postępu wskaźników")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("w kolejce")
    RUNNING = "running", _("w trakcie")
    DONE = "done", _("gotowy")
    FAILED = "failed", _("błąd")


ACTIVE_STATUSES = (ReportStatus.QUEUED, ReportStatus.RUNNING)


def report_file_name(run: "ReportRun") -> str:
    """Deterministic per run: a rerun overwrites the same file, never leaves a second one."""
    return f"reports/{run.project_id}/report-{run.pk}.pdf"


def _upload_to(instance, filename):
    return report_file_name(instance)


class ReportRun(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="report_runs",
                                verbose_name=_("projekt"))  # fmt: skip
    kind = models.CharField(_("rodzaj"), max_length=30, choices=ReportKind.choices,
                            default=ReportKind.INDICATOR_PROGRESS)  # fmt: skip
    period_from = models.DateField(_("okres od"))
    period_to = models.DateField(_("okres do"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("zlecający"))  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    error = models.TextField(_("przyczyna błędu"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("liczba prób"), default=0)
    file = models.FileField(_("plik"), upload_to=_upload_to, blank=True, max_length=200)
    created_at = models.DateTimeField(_("zlecono"), auto_now_add=True)
    started_at = models.DateTimeField(_("rozpoczęto"), null=True, blank=True)
    finished_at = models.DateTimeField(_("zakończono"), null=True, blank=True)
    # Delivery and liveness (services/reports.py): when the message last went to the broker (empty
    # = never delivered, the sweep sends it), which attempt holds the run and its last heartbeat.
    enqueued_at = models.DateTimeField(_("wysłano do kolejki"), null=True, blank=True, editable=False)
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What the PDF shows, stored with it by the render (reporting.services.submissions.report_snapshot):
    # the rule set, every cell (label, value), the participations behind each cell, the data gaps.
    # A submitted run is never rendered again, so the PDF and this snapshot are what was submitted.
    snapshot = models.JSONField(_("zapisane liczby"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("raport")
        verbose_name_plural = _("raporty")
        constraints = [
            # Asking twice for the same report while one is queued or running returns that one.
            models.UniqueConstraint(
                fields=["project", "kind", "period_from", "period_to"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_report_run_per_parameters",
            ),
            models.CheckConstraint(condition=Q(period_to__gte=models.F("period_from")), name="report_period_ordered"),
        ]
        indexes = [models.Index(fields=["status", "started_at"])]

    def __str__(self):
        return f"Raport #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def download_name(self) -> str:
        number = self.project.agreement_number.replace("/", "_").replace(" ", "")
        return f"raport-{number}-{self.period_from:%Y-%m-%d}-{self.period_to:%Y-%m-%d}.pdf"


class ReportSubmission(models.Model):
    """A report marked as submitted to the funder with a payment claim (EFS_RULES.md §7): its run's
    PDF and snapshot are frozen; the participations it counted need an amendment with a reason for
    any change of entry data, and the project page reconciles it with today's data."""

    run = models.OneToOneField(ReportRun, on_delete=models.PROTECT, related_name="submission",
                               verbose_name=_("raport"))  # fmt: skip
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="report_submissions",
                                verbose_name=_("projekt"))  # fmt: skip
    claim_number = models.CharField(_("numer wniosku o płatność"), max_length=80)
    claim_date = models.DateField(_("data złożenia wniosku"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("oznaczył(a)"))  # fmt: skip
    submitted_at = models.DateTimeField(_("oznaczono"), auto_now_add=True)
    counted = models.ManyToManyField("reporting.Participation", blank=True, related_name="submitted_reports",
                                     verbose_name=_("policzone uczestnictwa"))  # fmt: skip

    class Meta:
        ordering = ["-claim_date", "-pk"]
        verbose_name = _("złożony raport")
        verbose_name_plural = _("złożone raporty")
        constraints = [
            models.UniqueConstraint(fields=["project", "claim_number"], name="one_submission_per_claim_number"),
        ]

    def __str__(self):
        return f"{self.claim_number} ({self.claim_date:%Y-%m-%d})"
