"""Filters of the group-session pages."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from contracts.selectors.sessions import RATINGS

register = template.Library()

# The participant's rating select: the options for each current rating (none or 1-5), written once
# per process instead of a loop of five options per participant on every request.
_RATING_OPTIONS = {
    current: format_html(
        '<option value="">—</option>{}',
        format_html_join(
            "", '<option value="{}"{}>{}</option>', ((n, " selected" if n == current else "", n) for n in RATINGS)
        ),
    )
    for current in (None, *RATINGS)
}


@register.filter
def rating_options(rating) -> SafeString:
    """`<option>`s of the rating select, `rating` (none or 1-5) selected; any other value: none."""
    return _RATING_OPTIONS.get(rating, _RATING_OPTIONS[None])
