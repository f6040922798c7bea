"""Casework of the social worker: visits (wizyty, kontakty) with a family."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from families.models.core import Family, Person


class VisitKind(models.TextChoices):
    HOME = "home", _("wizyta w domu rodziny")
    OFFICE = "office", _("rozmowa w ośrodku")
    PHONE = "phone", _("kontakt telefoniczny")
    MGI_FIELD = "mgi_field", _("wizyta terenowa MGI")
    OTHER = "other", _("inny kontakt")


class Visit(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="visits", verbose_name=_("rodzina"))
    visit_date = models.DateField(_("data"))
    visit_time = models.TimeField(_("godzina"), null=True, blank=True)
    kind = models.CharField(_("rodzaj"), max_length=20, choices=VisitKind.choices, default=VisitKind.HOME)
    duration_minutes = models.PositiveSmallIntegerField(
        _("czas trwania (min)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    persons_present = models.ManyToManyField(
        Person, blank=True, related_name="visits", verbose_name=_("obecni członkowie rodziny")
    )
    notes = models.TextField(_("przebieg i ustalenia"), blank=True)
    next_steps = models.TextField(_("uzgodnione kolejne kroki"), blank=True)
    next_visit_on = models.DateField(_("termin kolejnej wizyty"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("autor")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visit_date", "-visit_time", "-pk"]
        verbose_name = _("wizyta")
        verbose_name_plural = _("wizyty")
        constraints = [
            models.CheckConstraint(
                condition=Q(next_visit_on__isnull=True) | Q(next_visit_on__gte=F("visit_date")),
                name="next_visit_not_before_visit",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True)
                | (Q(duration_minutes__gte=1) & Q(duration_minutes__lte=24 * 60)),
                name="visit_duration_within_a_day",
            ),
        ]
        indexes = [models.Index(fields=["family", "-visit_date"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.visit_date:%d.%m.%Y}"


def refresh_visit_dates(family_ids) -> None:
    """Store each family's latest visit date and the next visit agreed at it (one UPDATE); the visit
    service calls it after every create, edit or delete of a visit, the load generator after its
    bulk insert."""
    latest = Visit.objects.filter(family=OuterRef("pk")).order_by("-visit_date", "-visit_time", "-pk")
    Family.objects.filter(pk__in=family_ids).update(
        last_visit_on=Subquery(latest.values("visit_date")[:1]),
        next_visit_due=Subquery(latest.values("next_visit_on")[:1]),
    )
