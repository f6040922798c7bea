"""core.sorting: whitelisted keys, invalid ones ignored, header links that keep filters and start at page 1."""

import pytest
from django.test import RequestFactory

from core.sorting import sort_items, sort_rows
from support_network.models import Institution

KEYS = {"nazwa": "name", "typ": ("kind", "name")}


def _sort(query):
    request = RequestFactory().get("/lista/", query)
    return sort_rows(request, Institution.objects.all(), KEYS)


@pytest.mark.django_db
def test_rows_follow_the_asked_column_both_ways():
    for name, kind in (("B", "pup"), ("A", "ops"), ("C", "ngo")):
        Institution.objects.create(name=name, kind=kind)
    rows, sorting = _sort({"sortuj": "nazwa"})
    assert [i.name for i in rows] == ["A", "B", "C"] and sorting.columns["nazwa"].aria_sort == "ascending"
    rows, sorting = _sort({"sortuj": "-nazwa"})
    assert [i.name for i in rows] == ["C", "B", "A"] and sorting.columns["nazwa"].aria_sort == "descending"
    rows, _sorting = _sort({"sortuj": "typ"})
    assert [i.kind for i in rows] == ["ngo", "ops", "pup"]


@pytest.mark.parametrize("bad", ["pk", "-", "--nazwa", "name", "nazwa;drop", "x" * 500, "nazwa\x00"])
def test_an_unknown_key_is_ignored(bad):
    rows, sorting = _sort({"sortuj": bad})
    assert sorting.key == "" and all(c.aria_sort == "none" for c in sorting.columns.values())
    assert rows.query.order_by == Institution.objects.all().query.order_by


def test_links_keep_filters_drop_the_page_and_flip_the_current_column():
    _rows, sorting = _sort({"sortuj": "nazwa", "status": "active", "strona": "3"})
    assert sorting.columns["nazwa"].href == "?sortuj=-nazwa&status=active"
    assert sorting.columns["typ"].href == "?sortuj=typ&status=active"
    _rows, sorting = _sort({"sortuj": "-nazwa"})
    assert sorting.columns["nazwa"].href == "?sortuj=nazwa"


@pytest.mark.parametrize(("query", "expected"), [
    ({"sortuj": "liczba"}, [1, 2, 3]),
    ({"sortuj": "-liczba"}, [3, 2, 1]),
    ({"sortuj": "pk"}, [2, 3, 1]),  # unknown: the items keep their own order
    ({}, [2, 3, 1]),
])  # fmt: skip
def test_items_built_in_python_sort_by_the_same_whitelist(query, expected):
    request = RequestFactory().get("/lista/", {**query, "strona": "2", "filtr": "x"})
    items, sorting = sort_items(request, [2, 3, 1], {"liczba": lambda n: n})
    assert items == expected
    href = sorting.columns["liczba"].href
    assert "filtr=x" in href and "strona" not in href
