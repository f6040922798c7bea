"""The labels of a choices class as a {value: label} table in the active language, made once per
language and process. The family page's timeline and members built such tables on every request:
eight tables, some 60 lazy labels translated each time (docs/performance/casework.md)."""

from django.db.models import Choices
from django.utils.translation import get_language

_tables: dict[tuple, dict[str, str]] = {}


def choice_labels(choices: type[Choices], prefix: str = "") -> dict[str, str]:
    """{prefix + value: label} of `choices` in the active language; shared: not to be changed."""
    key = (choices, prefix, get_language())
    table = _tables.get(key)
    if table is None:
        table = _tables[key] = {f"{prefix}{value}": str(label) for value, label in choices.choices}
    return table
