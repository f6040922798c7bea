"""One way to sort every list by its column headers: `?sortuj=<key>` (ascending) or `?sortuj=-<key>`
(descending), with the keys each list allows (a whitelist: an unknown key is ignored, never a 500).

    rows, sorting = sort_rows(request, rows, {"nazwisko": ("last_name", "first_name"), "data": "created_at"})

and in the template, for each sortable header cell:

    {% include "partials/sort_th.html" with col=sorting.columns.nazwisko label=_("Nazwisko") %}

A header link keeps the list's filters, drops the page number (a new order starts at page 1) and
marks the sorted column with `aria-sort` for screen readers."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import F, QuerySet
from django.http import QueryDict

from core.pagination import PAGE_PARAM

SORT_PARAM = "sortuj"
T = TypeVar("T")


@dataclass(frozen=True)
class Column:
    href: str
    aria_sort: str  # "ascending", "descending" or "none"


@dataclass(frozen=True)
class Sorting:
    key: str = ""
    descending: bool = False
    columns: dict[str, Column] = field(default_factory=dict)

    @property
    def param(self) -> str:
        return f"-{self.key}" if self.descending and self.key else self.key


def sort_rows(
    request, rows: QuerySet, keys: dict[str, str | tuple[str, ...]], *, page_params: tuple[str, ...] = (PAGE_PARAM,)
) -> tuple[QuerySet, Sorting]:
    """`rows` ordered by the column the request asks for (`keys[name]`: one field or several, the
    primary key breaks ties so pages do not overlap), and the header links of every column. Without
    a valid `sortuj` the rows keep their own order."""
    key, descending = _wanted(request, keys)
    if key:
        chosen = keys[key]
        fields: tuple[str, ...] = chosen if isinstance(chosen, tuple) else (chosen,)
        order = [F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True) for name in fields]
        rows = rows.order_by(*order, "-pk" if descending else "pk")
    columns = {name: _column(request.GET, name, key, descending, page_params) for name in keys}
    return rows, Sorting(key=key, descending=descending, columns=columns)


def sort_items(
    request, items: Iterable[T], keys: dict[str, Callable[[T], Any]], *, page_params: tuple[str, ...] = (PAGE_PARAM,)
) -> tuple[list[T], Sorting]:
    """`sort_rows` for a list built in Python (e.g. merged from two queries): `keys[name]` gives an
    item's sort value (never None). Without a valid `sortuj` the items keep their own order."""
    key, descending = _wanted(request, keys)
    rows = list(items)
    if key:
        rows.sort(key=keys[key], reverse=descending)  # stable: equal values keep their own order
    columns = {name: _column(request.GET, name, key, descending, page_params) for name in keys}
    return rows, Sorting(key=key, descending=descending, columns=columns)


def _wanted(request, keys) -> tuple[str, bool]:
    wanted = request.GET.get(SORT_PARAM, "")
    descending = wanted.startswith("-")
    key = wanted.removeprefix("-")
    if key not in keys:
        return "", False
    return key, descending


def _column(query: QueryDict, name: str, key: str, descending: bool, page_params: tuple[str, ...]) -> Column:
    query = query.copy()
    for param in page_params:
        query.pop(param, None)
    current = name == key
    query[SORT_PARAM] = f"-{name}" if current and not descending else name
    aria = ("descending" if descending else "ascending") if current else "none"
    return Column(href="?" + query.urlencode(), aria_sort=aria)
