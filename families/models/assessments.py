"""Competence assessments at entry and at exit with a configurable instrument (dimensions scored 1–5)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from families.models.core import Person

SCORE_MIN, SCORE_MAX = 1, 5


class Instrument(models.Model):
    """A questionnaire (e.g. "Kwestionariusz kompetencji społecznych"), edited in the admin."""

    name = models.CharField(_("nazwa"), max_length=200, unique=True)
    description = models.TextField(_("opis"), blank=True)
    is_active = models.BooleanField(_("w użyciu"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("narzędzie oceny")
        verbose_name_plural = _("narzędzia oceny")

    def __str__(self):
        return self.name


class Dimension(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="dimensions")
    name = models.CharField(_("wymiar"), max_length=120)
    description = models.CharField(_("co oceniamy"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    class Meta:
        ordering = ["instrument", "order", "pk"]
        verbose_name = _("wymiar oceny")
        verbose_name_plural = _("wymiary oceny")
        constraints = [models.UniqueConstraint(fields=["instrument", "name"], name="dimension_name_unique")]

    def __str__(self):
        return self.name


class AssessmentKind(models.TextChoices):
    ENTRY = "entry", _("wejściowa")
    EXIT = "exit", _("końcowa")


class Assessment(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("osoba"))
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("narzędzie")
    )
    kind = models.CharField(_("rodzaj oceny"), max_length=10, choices=AssessmentKind.choices)
    assessed_on = models.DateField(_("data oceny"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("autor")
    )
    notes = models.TextField(_("uwagi"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("ocena kompetencji")
        verbose_name_plural = _("oceny kompetencji")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "instrument", "kind"], name="one_entry_and_one_exit_per_instrument"
            )
        ]

    def __str__(self):
        return f"{self.instrument} ({self.get_kind_display()}) {self.assessed_on:%d.%m.%Y}"


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(_("wynik"))

    class Meta:
        ordering = ["dimension__order", "dimension_id"]
        verbose_name = _("wynik w wymiarze")
        verbose_name_plural = _("wyniki w wymiarach")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "dimension"], name="one_score_per_dimension"),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN) & Q(score__lte=SCORE_MAX), name="score_between_1_and_5"
            ),
        ]

    def __str__(self):
        return f"{self.dimension}: {self.score}"
