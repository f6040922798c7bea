"""PESEL: validation and derived data, on top of python-stdnum (DOMAIN.md §7.1)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.pl import pesel as stdnum_pesel

from families.codes import Sex


def validate_pesel(value: str) -> None:
    """11 digits, a correct check digit and a real calendar date, else a clear message."""
    if not value or len(value) != 11 or not (value.isascii() and value.isdigit()):
        raise ValidationError(_("PESEL musi mieć dokładnie 11 cyfr."), code="pesel_format")
    try:
        stdnum_pesel.validate(value)
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(_("Niepoprawna cyfra kontrolna numeru PESEL."), code="pesel_checksum") from None
    except stdnum_errors.ValidationError:
        raise ValidationError(_("PESEL zawiera niemożliwą datę urodzenia."), code="pesel_date") from None
    try:
        stdnum_pesel.get_birth_date(value)
    except (ValueError, stdnum_errors.ValidationError):
        raise ValidationError(_("PESEL zawiera niemożliwą datę urodzenia."), code="pesel_date") from None


def birth_date_from_pesel(value: str) -> dt.date:
    return stdnum_pesel.get_birth_date(value)


def sex_from_pesel(value: str) -> str:
    """10th digit: odd = male, even = female."""
    return Sex.MALE if int(value[9]) % 2 else Sex.FEMALE


def make_pesel(birth_date: dt.date, serial: int, sex: str) -> str:
    """Build a valid synthetic PESEL (for demo and test data only)."""
    century_offset = {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}[birth_date.year // 100]
    base = f"{birth_date.year % 100:02d}{birth_date.month + century_offset:02d}{birth_date.day:02d}"
    serial_digits = f"{serial % 1000:03d}"
    sex_digit = (serial // 1000) % 5 * 2 + (1 if sex == Sex.MALE else 0)
    digits = base + serial_digits + str(sex_digit)
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
    check = (10 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 10) % 10
    return digits + str(check)
