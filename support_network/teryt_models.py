"""The TERYT TERC register and the DEGURBA class of each gmina (DOMAIN.md §7.3, §7.4); imported by
support_network/models.py so Django registers them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TerytLevel(models.TextChoices):
    VOIVODESHIP = "woj", _("województwo")
    COUNTY = "pow", _("powiat")
    GMINA = "gmi", _("gmina")


class TerytUnit(models.Model):
    """One row of GUS's TERC register: a voivodeship (code WW), a powiat (WWPP) or a gmina or its
    part (WWPPGGR). Loaded from the official file (support_network/territory.py); a unit missing
    from a newer file stays, marked not in force, so old records keep their names."""

    code = models.CharField(_("kod TERYT"), max_length=7, unique=True)
    level = models.CharField(_("poziom"), max_length=3, choices=TerytLevel.choices)
    name = models.CharField(_("nazwa"), max_length=100)
    kind = models.CharField(_("rodzaj"), max_length=60, blank=True, help_text=_("NAZWA_DOD, np. gmina miejska."))
    search_name = models.CharField(max_length=100, db_index=True, editable=False)  # lower case, no diacritics
    valid_on = models.DateField(_("stan na"))
    in_force = models.BooleanField(_("obowiązuje"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("jednostka TERYT")
        verbose_name_plural = _("jednostki TERYT")

    def __str__(self):
        return f"{self.name} ({self.code})"


class GminaDegurba(models.Model):
    """The DEGURBA class (1 cities, 2 towns and suburbs, 3 rural areas) of a gmina, keyed by its
    TERYT code, from the official classification (Eurostat/GUS, per LAU)."""

    code = models.CharField(_("kod TERYT gminy"), max_length=7, unique=True)
    degurba = models.CharField(_("DEGURBA"), max_length=1, choices=[("1", "1"), ("2", "2"), ("3", "3")])
    source = models.CharField(_("źródło"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("DEGURBA gminy")
        verbose_name_plural = _("DEGURBA gmin")

    def __str__(self):
        return f"{self.code}: {self.degurba}"
