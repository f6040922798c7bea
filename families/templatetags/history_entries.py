"""`{% history_entries history %}`: the change history's entries (`families.history`), the same HTML
as the `{% for %}` over them in the family page gave (tests/families/history_before.html), built in
Python with each value escaped as `{{ }}` escapes it.

The coordinator's family page resolved some 150 template variables and filters for its history's
entries and changes: about a quarter of that page's template time (docs/performance/casework.md)."""

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_noop

from core.row_html import Words, v

register = template.Library()

_WORDS = Words({"hidden": gettext_noop("zmieniono (ukryte)")})
_NONE = "—"  # `|default:"—"`


def _value(text: str) -> str:
    return v(text) if text else _NONE


def _change(change, created: bool, hidden: str) -> str:
    label = change.label[:1].upper() + change.label[1:]  # `|capfirst`
    if change.hidden:
        shown = hidden
    elif created:
        shown = _value(change.new)
    else:
        shown = f"{_value(change.old)} → {_value(change.new)}"
    return f"<li>{v(label)}: {shown}</li>"


def _entry(entry, hidden: str) -> str:
    at = timezone.localtime(entry.timestamp) if timezone.is_aware(entry.timestamp) else entry.timestamp
    when = at.strftime("%d.%m.%Y %H:%M")  # `|date:"d.m.Y H:i"` of the local time
    label = f" · {v(entry.object_label)}" if entry.object_label else ""
    changes = "".join(_change(change, entry.created, hidden) for change in entry.changes)
    listed = f'<ul class="mb-0">{changes}</ul>' if entry.changes else ""
    return (
        '\n      <div class="border-bottom py-1 small">\n'
        f"        <div><strong>{when}</strong> · {v(entry.actor)} · {v(entry.action)}{label}</div>\n"
        f"        {listed}\n"
        "      </div>\n      "
    )


@register.simple_tag
def history_entries(history) -> SafeString:
    """The entries' blocks, each with its list of changes."""
    hidden = _WORDS.active()["hidden"]
    return mark_safe("".join(_entry(entry, hidden) for entry in history))  # noqa: S308 - every value is escaped
