"""`{% timeline_entries timeline timeline_from %}`: the timeline's entries (`families.timeline`), the
same HTML as the `{% for %}` over them in `families/partials/timeline.html` gave, built in Python
with each value escaped as `{{ }}` escapes it.

A family page's window of 20 entries made the template engine resolve some 160 variables per
request, a tenth of the page's CPU time (docs/performance/casework.md)."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _entry(entry, anchor: str) -> str:
    title = conditional_escape(entry.title)
    link = f'<a href="{conditional_escape(entry.url)}">{title}</a>' if entry.url else title
    detail = f'<div class="small">{conditional_escape(entry.short_detail)}</div>' if entry.detail else ""
    return (
        f'\n  <li class="timeline-entry timeline-{conditional_escape(entry.kind)} border-start border-3 ps-2 mb-2"'
        f"{anchor}>\n"
        f'    <div class="small text-body-secondary">{conditional_escape(entry.when)}</div>\n'
        f"    <div>{link}</div>\n"
        f"    {detail}\n"
        "  </li>\n  "
    )


@register.simple_tag
def timeline_entries(timeline, timeline_from=None) -> SafeString:
    """The entries' list items; the one at `timeline_from` (the first added by "Pokaż starsze")
    carries the anchor the button jumps to."""
    return mark_safe(  # noqa: S308 - every value above is escaped
        "".join(
            _entry(entry, ' id="timeline-older"' if index == timeline_from else "")
            for index, entry in enumerate(timeline)
        )
    )
