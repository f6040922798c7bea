"""The sent list's page of ids and the list's length from a query compiled once per connection,
its plan kept on the server (`plan_kept`: 2.47 -> 2.11 ms a request at L,
docs/performance/referrals.md).

Building the list's scope (`access.referrals_visible_to`: the caseload's families, their persons,
the user's own referrals), its tab, its order and the window count, then compiling it, cost about
as much CPU as the rest of the page's queries (docs/performance/referrals.md). The query is built
by the same code as before, for a stand-in of the user whose id is the marker of `core.prepared`:
the scope is the one `access.py` gives, and each request puts its user's id in its place
(`support_network.access.stand_in_user`; tests/contracts/test_sent_page.py compares the lists for
every role and tab). What
changes the SQL itself is the shape: the user's role and teams (the team ids are in the SQL),
the tab, the page's offset, and today's date for the overdue tab."""

import datetime as dt

from django.db import connection
from django.db.models import Count, QuerySet, Window
from django.utils import timezone

from contracts import access
from contracts.selectors.referrals import LIST_ORDER, list_ids
from core.pagination import CountedPage, counted, page_in_range
from core.prepared import PreparedQuery
from support_network.access import CASEWORK_ROLES, membership_of, stand_in_user, team_ids_of


def sent_ids(user, which: str) -> QuerySet:
    """The user's sent list on tab `which` in the list's own order, as the view pages it."""
    return list_ids(access.referrals_visible_to(user), which, hours=False).order_by(*LIST_ORDER)


def _build(marker: int, role: str, teams: tuple[int, ...], which: str, offset: int, per_page: int, _today: dt.date):
    """The page query of `counted_page`, as values() dicts (what `PreparedQuery` reads). `_today`
    only keys the shape: the overdue tab compares with the date the filter reads when it is built."""
    rows = sent_ids(stand_in_user(marker, role, teams), which).annotate(total=Window(Count("*")))
    return rows.values("pk", "total")[offset : offset + per_page]


_PAGE = PreparedQuery(_build, plan_kept=True)


def sent_page(user, which: str, number: int | None, per_page: int) -> CountedPage | None:
    """Page `number` of the user's sent list on tab `which` (in the list's own order) with the list's
    length, as `contracts.selectors.pages.counted_page` gives it from `sent_ids`; None where that
    gives None, or for a user whose scope is not a caseworker's (the caller builds the list then)."""
    membership = membership_of(user)
    if connection.vendor != "postgresql" or membership is None or not user.is_active:
        return None
    if membership.role not in CASEWORK_ROLES or not page_in_range(number):
        return None
    offset = (number - 1) * per_page
    today = timezone.localdate() if which == "overdue" else None
    shape = (membership.role, tuple(team_ids_of(user)), which, offset, per_page, today)
    found = _PAGE.rows(user.pk, *shape)
    return counted([row["pk"] for row in found], found[0]["total"] if found else 0, number, offset)
