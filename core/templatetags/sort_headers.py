"""`{% sort_th col label [cls] %}`: a sortable column's header cell, the same HTML as

    {% include "partials/sort_th.html" with col=col label=label cls=cls %}

without an include's context copy and the partial's nodes for each column (a list's headers are
rendered on every request; docs/performance/frame.md)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_noop

from core.sorting import Column

register = template.Library()

_MARKS = {"ascending": " ▲", "descending": " ▼"}
_HINTS = {
    "ascending": gettext_noop("posortowane rosnąco; kliknij, aby malejąco"),
    "descending": gettext_noop("posortowane malejąco; kliknij, aby rosnąco"),
}
_UNSORTED = gettext_noop("kliknij, aby posortować")


@register.simple_tag
def sort_th(col: Column, label, cls: str = ""):
    state = col.aria_sort
    hint = gettext(_HINTS.get(state, _UNSORTED))
    return format_html(
        '<th scope="col" aria-sort="{}"{}><a class="sort-link link-body-emphasis text-decoration-none" href="{}">'
        '{}<span class="sort-mark" aria-hidden="true">{}</span><span class="visually-hidden"> ({})</span></a></th>',
        state,
        format_html(' class="{}"', cls) if cls else "",
        col.href,
        label,
        _MARKS.get(state, " ↕"),
        hint,
    )
