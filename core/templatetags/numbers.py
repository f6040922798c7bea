"""Amounts and percentages as a Polish office writes them: "150 000,00 zł" and "15,0 %" (a
non-breaking space groups the thousands and keeps the unit with its number)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()
NBSP = "\u00a0"
EMPTY = "—"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def money(value) -> str:
    """150000 → "150 000,00 zł"; None → "—"."""
    amount = _decimal(value)
    if amount is None:
        return EMPTY
    return f"{number_format(amount, 2, use_l10n=True, force_grouping=True)}{NBSP}zł"


@register.filter
def percent(value, digits: int = 1) -> str:
    """15 → "15,0 %"; None → "—"."""
    share = _decimal(value)
    if share is None:
        return EMPTY
    return f"{number_format(share, int(digits), use_l10n=True, force_grouping=True)}{NBSP}%"
