"""Per-project measurement windows of the indicator engine (EFS_RULES.md: "thresholds and
windows are project settings with these defaults"). A project without a row uses the defaults;
KES/KEZ targets are IndicatorTarget rows (DEFAULT_EFFECTIVENESS_TARGETS when a project sets none)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from support_network.models import Project

DEFAULT_RESULT_WINDOW_DAYS = 28
DEFAULT_EFFECTIVENESS_WINDOW_MONTHS = 3


class ProjectRules(models.Model):
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="reporting_rules")
    result_window_days = models.PositiveSmallIntegerField(
        _("okno wskaźników rezultatu (dni po zakończeniu)"), default=DEFAULT_RESULT_WINDOW_DAYS,
        validators=[MinValueValidator(0), MaxValueValidator(365)],
        help_text=_("Domyślnie 28 dni (4 tygodnie): dzień 28. się liczy, 29. już nie."),
    )  # fmt: skip
    effectiveness_window_months = models.PositiveSmallIntegerField(
        _("okno efektywności (miesiące po zakończeniu)"), default=DEFAULT_EFFECTIVENESS_WINDOW_MONTHS,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
        help_text=_("Domyślnie 3 miesiące: ten sam dzień miesiąca, ostatni dzień miesiąca gdy takiego brak."),
    )  # fmt: skip
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # see core.locking

    class Meta:
        verbose_name = _("reguły pomiaru wskaźników")
        verbose_name_plural = _("reguły pomiaru wskaźników")

    def __str__(self):
        days = ngettext("%(n)d dzień", "%(n)d dni", self.result_window_days) % {"n": self.result_window_days}
        return f"{self.project}: {days} / {self.effectiveness_window_months} mies."

    @classmethod
    def for_project(cls, project) -> "ProjectRules":
        """The saved rules of the project, else an unsaved row holding the defaults."""
        return cls.objects.filter(project=project).first() or cls(project=project)
