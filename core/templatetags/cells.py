"""Filters for the cells of long lists, where a row's few microseconds add up (docs/performance.md):

    {% load cells %}
    {{ row.start_date|dmy }}               same as {{ row.start_date|date:"d.m.Y" }} for a date
    {{ row|choice_label:"status" }}        same as {{ row.get_status_display }}
    {{ row.pk|row_url:"app:detail" }}      same as {% url "app:detail" row.pk %}
    {% cached_url "app:x" a b as x_url %}  same as {% url "app:x" a b as x_url %}, remembered

`date:"d.m.Y"` goes through the localized format machinery for every cell, and `get_FOO_display`
hashes every (lazily translated) label of the field's choices on every call, `{% url %}` resolves
the pattern for every row; these give the same text with a lookup."""

import datetime as dt
from functools import cache, lru_cache

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.encoding import force_str
from django.utils.translation import get_language

register = template.Library()


@register.filter(expects_localtime=True)
def dmy(value) -> str:
    """A date as dd.mm.rrrr ("" for None or ""); anything else as `date:"d.m.Y"` (a datetime comes
    in local time, as to the `date` filter)."""
    if type(value) is dt.date or type(value) is dt.datetime:  # "d.m.Y" reads the fields as they are
        return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"
    return date_filter(value, "d.m.Y")


@cache
def _labels(model, name: str, _language: str | None) -> dict:
    """The field's {value: label}, the labels translated (the language is the active one: a key)."""
    return {value: force_str(label, strings_only=True) for value, label in model._meta.get_field(name).flatchoices}


@register.filter
def choice_label(obj, name: str):
    """The label of the value of field `name` of `obj` in the active language (the value itself when
    it is not one of the choices), as `obj.get_<name>_display()` gives it; the labels translated once
    per field and language, not on every call (a lazy label's translation is a catalogue lookup)."""
    value = getattr(obj, name)
    return force_str(_labels(obj._meta.model, name, get_language()).get(value, value), strings_only=True)


_ROW = 987_654_321  # stands for the row's id in the address reversed once


@cache
def _around_id(name: str, _prefix: str, urlconf: str | None) -> tuple[str, str]:
    """The address of `name` for one integer argument, split where the argument goes (keyed by what
    `reverse()` depends on)."""
    head, mark, tail = reverse(name, args=[_ROW], urlconf=urlconf).partition(str(_ROW))
    if not mark:
        raise ValueError(f"{name}: the argument does not appear in its address")
    return head, tail


@register.filter
def row_url(pk, name: str) -> str:
    """`reverse(name, args=[pk])` for a row's integer id: the pattern is resolved once, not per row."""
    if type(pk) is not int or pk < 0:
        return reverse(name, args=[pk])
    head, tail = _around_id(name, get_script_prefix(), get_urlconf())
    return f"{head}{pk}{tail}"


@lru_cache(maxsize=4096)
def _reversed(name: str, args: tuple, _prefix: str, urlconf: str | None, _language: str | None) -> str:
    return reverse(name, args=args, urlconf=urlconf)


@register.simple_tag
def cached_url(name: str, *args) -> str:
    """`{% url name *args %}` remembered per arguments (for a table whose rows link to the same few
    addresses: the indicator tables' drill-downs); the arguments must be hashable."""
    return _reversed(name, args, get_script_prefix(), get_urlconf(), get_language())
