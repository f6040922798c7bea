"""Reads of the one-month employment follow-ups (scoped by reporting.access)."""

import datetime as dt

from django.db.models import Prefetch

from reporting.access import employment_followups_visible_to
from reporting.models import FollowUp, FollowUpConversation

HOME_LIMIT = 10


def employment_followup_for_page(user, pk) -> FollowUp:
    """One follow-up with its participant and both talks, in a fixed number of queries (404 outside scope:
    raises FollowUp.DoesNotExist)."""
    return (
        employment_followups_visible_to(user)
        .select_related("participation__project", "participation__person", "outcome", "done_by")
        .prefetch_related(
            Prefetch("conversations", queryset=FollowUpConversation.objects.select_related("recorded_by"))
        )
        .get(pk=pk)
    )


def overdue_employment_followups(user, *, today: dt.date):
    """Talks after a month of work not done by their due date (the home page's card), oldest first."""
    return (
        employment_followups_visible_to(user)
        .filter(done_on__isnull=True, due_on__lt=today)
        .select_related("participation__project", "outcome")
        .order_by("due_on", "pk")
    )
