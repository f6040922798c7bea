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
