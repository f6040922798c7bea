"""`{% awaiting_rows programmes %}` and `{% overdue_rows programmes %}`: the rows of the coordinator's
queue (its two tables), the same HTML as a `{% for %}` over the rows with the cells in the template
gave, built in Python with each value localized and escaped as `{{ }}` does.

The queue shows two pages of 25 rows: the template engine resolved some 600 variables and filters
for them on every request (docs/performance/programmes.md). The rows come from
`contracts.views.programmes.programme_queue_view` with their link (`detail_url`) and, for the
awaiting ones, their age in days (`age_days`)."""

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_noop

from core.row_html import Words
from core.row_html import v as _v
from core.templatetags.cells import dmy

register = template.Library()

_WORDS = Words(
    {
        "family": gettext_noop("Rodzina"),
        "author": gettext_noop("Autor"),
        "version": gettext_noop("Wersja"),
        "submitted": gettext_noop("Przekazano"),
        "waits": gettext_noop("Czeka (dni)"),
        "overdue": gettext_noop("Działania po terminie"),
        "no_members": gettext_noop("(bez członków)"),
    }
)
_t = _WORDS.of  # the rows' fixed words in a language, escaped once

# a programme waiting longer than this many days is marked (the queue's own rule of thumb)
_WAITS_LONG = 7


def _day(moment) -> str:
    """`{{ moment|date:"d.m.Y" }}` of a datetime: the day in the local time zone."""
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return dmy(moment.date())


def _programme_cells(programme, t: dict) -> str:
    """The programme's link and its family (both tables start with them)."""
    family = _v(programme.family_name) if programme.family_name else t["no_members"]
    return (
        f'<td data-label=""><a href="{_v(programme.detail_url)}">{_v(programme.title)}</a></td>\n'
        f'        <td data-label="{t["family"]}">{family}'
        f'<div class="small text-body-secondary">{_v(programme.family.case_number)}</div></td>'
    )


def _awaiting_row(programme, t: dict) -> str:
    author = programme.created_by.get_full_name() or programme.created_by.username
    marked = ' class="overdue"' if programme.age_days > _WAITS_LONG else ""
    return (
        f"\n      <tr{marked}>\n"
        f"        {_programme_cells(programme, t)}\n"
        f'        <td data-label="{t["author"]}">{_v(author)}</td>\n'
        f'        <td data-label="{t["version"]}">{_v(programme.version_count)}</td>\n'
        f'        <td data-label="{t["submitted"]}">{_day(programme.submitted_at)}</td>\n'
        f'        <td data-label="{t["waits"]}">{_v(programme.age_days)}</td>\n'
        "      </tr>\n    "
    )


def _overdue_row(programme, t: dict) -> str:
    return (
        f"\n      <tr>{_programme_cells(programme, t)}\n"
        f'        <td data-label="{t["overdue"]}">{_v(programme.overdue_actions)}</td></tr>\n    '
    )


@register.simple_tag
def awaiting_rows(programmes) -> SafeString:
    """The rows of the programmes awaiting a decision (a page of the queue)."""
    t = _t(get_language())
    return mark_safe("".join(_awaiting_row(p, t) for p in programmes))  # noqa: S308 -- every value escaped


@register.simple_tag
def overdue_rows(programmes) -> SafeString:
    """The rows of the programmes in implementation with overdue actions (a page of the queue)."""
    t = _t(get_language())
    return mark_safe("".join(_overdue_row(p, t) for p in programmes))  # noqa: S308 -- every value escaped
