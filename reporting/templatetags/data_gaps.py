"""`{{ report.data_gaps|gap_items }}`: the `<li>` items of the data-gap list on the indicator pages.

A large project lists hundreds of gaps (258 at the benchmark's scale L); the template loop with a
`join` filter per item cost about 4 ms a page, this builds the same HTML in a fraction of it."""

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.filter
def gap_items(gaps) -> str:
    """`<li>#<id>: <missing fields, comma-separated></li>` for each gap, escaped as the template did."""
    return format_html_join("", "<li>#{}: {}</li>", ((gap.id, ", ".join(map(str, gap.missing))) for gap in gaps))
