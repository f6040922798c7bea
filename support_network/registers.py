"""Registers of numbers: case numbers of families and numbers of social contracts come from a register
of the institution, never from the keyboard.

A register has a pattern (`FS/{rok}/{nr:03d}`: `{rok}` the year, `{nr}` the running number with an
optional width) checked when it is saved. Numbers run per year: one counter row per register and
year, locked with SELECT ... FOR UPDATE inside the transaction that creates the record, so two
workers saving at the same moment get consecutive numbers, and a transaction that rolls back gives
its number back (no gaps, no duplicates). Numbers already used by records carried over from paper
are skipped (`taken`)."""

import string
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

PATTERN_FIELDS = ("rok", "nr")
_SKIP_LIMIT = 10_000  # taken numbers skipped before giving up (a pattern without {rok} in a long-kept register)


class NumberKind(models.TextChoices):
    CASE = "case", _("numer sprawy (rodzina)")
    CONTRACT = "contract", _("numer kontraktu socjalnego")


DEFAULT_PATTERNS = {NumberKind.CASE: "RS/{rok}/{nr:03d}", NumberKind.CONTRACT: "KS/{rok}/{nr:03d}"}


def validate_pattern(pattern: str) -> None:
    """A pattern names `{nr}` once, may name `{rok}`, and formats a sample within 40 characters."""
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError:
        raise ValidationError(_("Wzór ma niedomknięty nawias klamrowy.")) from None
    names = [name for _text, name, _spec, _conv in parts if name is not None]
    unknown = [name for name in names if name not in PATTERN_FIELDS]
    if unknown:
        raise ValidationError(
            _("Nieznane pole %(name)s we wzorze: dozwolone są {rok} i {nr}."), params={"name": "{" + unknown[0] + "}"}
        )
    if names.count("nr") != 1:
        raise ValidationError(_("Wzór musi zawierać pole {nr} dokładnie raz, np. FS/{rok}/{nr:03d}."))
    if any(conv for _text, _name, _spec, conv in parts):
        raise ValidationError(_("Wzór nie może zawierać konwersji (!r, !s)."))
    try:
        sample = format_number(pattern, year=2026, number=999)
    except (ValueError, TypeError):
        raise ValidationError(
            _("Niepoprawny format pola we wzorze; np. {nr:03d} to numer z zerami do trzech cyfr.")
        ) from None
    if len(sample) > 40 or not sample.strip():
        raise ValidationError(_("Numer ze wzoru musi mieć od 1 do 40 znaków."))


def format_number(pattern: str, *, year: int, number: int) -> str:
    return pattern.format(rok=year, nr=number)


class NumberRegister(models.Model):
    institution = models.ForeignKey(
        "support_network.Institution", on_delete=models.CASCADE, related_name="registers", verbose_name=_("instytucja")
    )
    kind = models.CharField(_("rodzaj"), max_length=20, choices=NumberKind.choices)
    pattern = models.CharField(
        _("wzór numeru"),
        max_length=60,
        validators=[validate_pattern],
        help_text=_("Np. FS/{rok}/{nr:03d}: {rok} to rok, {nr} kolejny numer w roku ({nr:03d} – z zerami)."),
    )

    class Meta:
        ordering = ["institution__name", "kind"]
        verbose_name = _("rejestr numerów")
        verbose_name_plural = _("rejestry numerów")
        constraints = [models.UniqueConstraint(fields=["institution", "kind"], name="one_register_per_kind")]

    def __str__(self):
        return f"{self.institution} · {self.get_kind_display()}"


class NumberCounter(models.Model):
    register = models.ForeignKey(NumberRegister, on_delete=models.CASCADE, related_name="counters")
    year = models.PositiveSmallIntegerField(_("rok"))
    last = models.PositiveIntegerField(_("ostatni wydany numer"), default=0)

    class Meta:
        verbose_name = _("licznik rejestru")
        verbose_name_plural = _("liczniki rejestru")
        constraints = [models.UniqueConstraint(fields=["register", "year"], name="one_counter_per_year")]

    def __str__(self):
        return f"{self.register} {self.year}: {self.last}"


def next_number(*, institution_id: int, kind: str, year: int, taken: Callable[[str], bool] = lambda _n: False) -> str:
    """The next number of the institution's register of `kind` for `year`. Must run inside the
    transaction that saves the numbered record: the counter row stays locked until it commits."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number runs inside the transaction that saves the numbered record")
    register, _created = NumberRegister.objects.get_or_create(
        institution_id=institution_id, kind=kind, defaults={"pattern": DEFAULT_PATTERNS[NumberKind(kind)]}
    )
    counter_id = NumberCounter.objects.get_or_create(register=register, year=year)[0].pk
    counter = NumberCounter.objects.select_for_update().get(pk=counter_id)
    for _attempt in range(_SKIP_LIMIT):
        counter.last += 1
        number = format_number(register.pattern, year=year, number=counter.last)
        if not taken(number):
            counter.save(update_fields=["last"])
            return number
    raise DomainError(_("Rejestr numerów nie ma wolnego numeru – zmień jego wzór."))
