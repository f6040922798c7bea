"""The home page's card of overdue talks after a month of work (reporting.selectors.placements)."""

from django import template
from django.utils import timezone

from reporting.selectors.placements import HOME_LIMIT, overdue_employment_followups

register = template.Library()


@register.simple_tag
def overdue_talks(user) -> dict:
    """{"items": the oldest HOME_LIMIT overdue follow-ups the user sees, "count": how many in all}."""
    overdue = overdue_employment_followups(user, today=timezone.localdate())
    items = list(overdue[:HOME_LIMIT])
    return {"items": items, "count": len(items) if len(items) < HOME_LIMIT else overdue.count()}
