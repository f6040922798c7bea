"""The labels of a choices class as a {value: label} table in the active language, made once per
language and process. The family page's timeline and members built such tables on every request:
eight tables, some 60 lazy labels translated each time (docs/performance/casework.md).

A lazy label pickles (`pickle_lazy_labels`, from CoreConfig.ready) as its message and unpickles as
`gettext_lazy(message)`, still lazy: Django's own pickling of a lazy string rebuilds its proxy class
(`lazy()`) for each one, and the cached indicator table's 14 row names cost the page about a
millisecond on every read (docs/performance/reporting.md)."""

import copyreg

from django.db.models import Choices
from django.utils.translation import get_language, gettext_lazy

_tables: dict[tuple, dict[str, str]] = {}


def choice_labels(choices: type[Choices], prefix: str = "") -> dict[str, str]:
    """{prefix + value: label} of `choices` in the active language; shared: not to be changed."""
    key = (choices, prefix, get_language())
    table = _tables.get(key)
    if table is None:
        table = _tables[key] = {f"{prefix}{value}": str(label) for value, label in choices.choices}
    return table


_LAZY_LABEL = type(gettext_lazy(""))


def lazy_label(message: str):
    """The unpickling of a lazy label: the same lazy string (translated when it is rendered)."""
    return gettext_lazy(message)


def _reduce_lazy_label(label):
    return lazy_label, label._args


def pickle_lazy_labels() -> None:
    """Pickle `gettext_lazy` strings as their message (see above); other lazy strings as before."""
    copyreg.pickle(_LAZY_LABEL, _reduce_lazy_label)
