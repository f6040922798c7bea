"""Filters for the cells of long lists, where a row's few microseconds add up (docs/performance.md):

    {% load cells %}
    {{ row.start_date|dmy }}               same as {{ row.start_date|date:"d.m.Y" }} for a date
    {{ row|choice_label:"status" }}        same as {{ row.get_status_display }}

`date:"d.m.Y"` goes through the localized format machinery for every cell, and `get_FOO_display`
hashes every (lazily translated) label of the field's choices on every call; these give the same
text with one dictionary lookup."""

import datetime as dt
from functools import cache

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.encoding import force_str

register = template.Library()


@register.filter(expects_localtime=True)
def dmy(value) -> str:
    """A date as dd.mm.rrrr ("" for None or ""); anything else as `date:"d.m.Y"` (a datetime comes
    in local time, as to the `date` filter)."""
    if type(value) is dt.date:
        return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"
    return date_filter(value, "d.m.Y")


@cache
def _labels(model, name: str) -> dict:
    return dict(model._meta.get_field(name).flatchoices)


@register.filter
def choice_label(obj, name: str):
    """The label of the value of field `name` of `obj` in the active language (the value itself when
    it is not one of the choices), as `obj.get_<name>_display()` gives it."""
    value = getattr(obj, name)
    return force_str(_labels(obj._meta.model, name).get(value, value), strings_only=True)
