"""The sent list's page read by a query compiled once per connection (`contracts.selectors.sent`):
for every role, tab and page number it gives what the list built for the user gives (the same
scope as `contracts.access`), each user's own list on a connection shared by users, and the
overdue tab of the day it is read."""

import datetime as dt

import pytest
import time_machine
from django.db import connections
from django.urls import reverse

from contracts.access import referrals_visible_to
from contracts.models import ReferralStatus
from contracts.selectors import sent
from contracts.selectors.pages import counted_page
from contracts.selectors.sent import sent_ids, sent_page
from tests.contracts.referral_factories import ReferralFactory
from tests.families.factories import FamilyFactory, PersonFactory
from tests.support_network.factories import ServiceFactory

TABS = ("open", "overdue", "closed", "all")
NUMBERS = (1, 2, 3, 99, None)
TODAY = dt.date(2026, 5, 4)


@pytest.fixture
def referrals(db, mops, other_mops, team, project, pup, social_worker, colleague, other_worker, mgi_member):
    """Referrals of the team's families, of a colleague's own family outside the team, of another
    institution's family, and written by users whose caseload does not hold the person: every
    status, answer dates before and after today."""
    service = ServiceFactory(provider=pup)
    families = [
        FamilyFactory(institution=mops, team=team, social_worker=social_worker, project=project),
        FamilyFactory(institution=mops, team=team, social_worker=colleague, project=project),
        FamilyFactory(institution=mops, team=None, social_worker=colleague, project=project),
        FamilyFactory(institution=other_mops, team=None, social_worker=other_worker),
    ]
    authors = [social_worker, colleague, mgi_member, other_worker]
    made = []
    for n, status in enumerate(ReferralStatus.values * 2):
        family = families[n % len(families)]
        made.append(
            ReferralFactory(
                person=PersonFactory(family=family),
                service=service,
                status=status,
                created_by=authors[n // len(families) % len(authors)],  # each family, each author
                answer_due=TODAY + dt.timedelta(days=n % 3 - 1),
                sent_at=dt.datetime(2026, 4, 20, 10, 0, tzinfo=dt.UTC),
                queued_at=dt.datetime(2026, 4, 21, 10, n, tzinfo=dt.UTC),
                rejection_reason="brak miejsc",
                drop_reason="rezygnacja",
            )
        )
    return made


def _same(read, built) -> bool:
    if read is None or built is None:
        return read is built
    return (read.rows, read.count(), read.offset) == (built.rows, built.count(), built.offset)


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 5, 4, 10, 0), tick=False)
def test_every_role_tab_and_page_as_the_built_list(
    referrals, social_worker, colleague, other_worker, mgi_member, coordinator, manager, auditor, partner, administrator
):
    inactive = colleague.__class__.objects.get(pk=colleague.pk)
    inactive.is_active = False
    caseworkers = (social_worker, colleague, other_worker, mgi_member)
    for user in (*caseworkers, coordinator, manager, auditor, partner, administrator, inactive):
        casework = any(user is worker for worker in caseworkers)  # `in` would take the inactive copy
        for which in TABS:
            for number in NUMBERS:
                read = sent_page(user, which, number, 2)
                if not casework:
                    assert read is None, (user, which)  # the view builds these users' lists
                    continue
                built = counted_page(sent_ids(user, which).values_list("pk", flat=True), number, 2)
                assert _same(read, built), (user.username, which, number)
        if casework:
            assert sent_page(user, "all", 1, 100).rows == list(
                referrals_visible_to(user).order_by("answer_due", "-created_at", "-pk").values_list("pk", flat=True)
            )


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 5, 4, 10, 0), tick=False)
def test_the_scope_is_the_caseload_and_the_users_own(referrals, social_worker, colleague, mgi_member):
    """Independent of access.py: the team's families' referrals and those the user wrote."""
    for user in (social_worker, colleague, mgi_member):
        expected = {
            r.pk
            for r in referrals
            if r.person.family.team_id is not None or user in (r.person.family.social_worker, r.created_by)
        }
        assert set(sent_page(user, "all", 1, 100).rows) == expected, user.username


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 5, 4, 10, 0), tick=False)
def test_users_sharing_a_connection_get_their_own_list(referrals, social_worker, colleague, other_worker, monkeypatch):
    """The query is built once per shape (the team ids are in it) and each user's id put in."""
    connections["default"].__dict__.pop(sent._PAGE._attribute, None)  # other tests filled the shapes kept (at most 8)
    built = []
    build = sent._PAGE.build
    monkeypatch.setattr(sent._PAGE, "build", lambda *args: built.append(args[1:3]) or build(*args))
    lists = [sent_page(user, "all", 1, 100).rows for user in (social_worker, other_worker, colleague, social_worker)]
    for user, rows in zip((social_worker, other_worker, colleague, social_worker), lists, strict=True):
        assert rows == list(sent_ids(user, "all").values_list("pk", flat=True)), user.username
    assert len({tuple(rows) for rows in lists}) == 3
    assert len(built) <= 2  # social worker and colleague share a shape (same role, same team)


@pytest.mark.django_db
def test_the_overdue_tab_is_of_the_day_it_is_read(referrals, social_worker):
    counts = []
    for day in (TODAY, TODAY + dt.timedelta(days=3)):
        with time_machine.travel(dt.datetime.combine(day, dt.time(10)), tick=False):
            counts.append(sent_page(social_worker, "overdue", 1, 100).count())
            assert counts[-1] == sent_ids(social_worker, "overdue").count()
    assert counts[0] < counts[1]


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 5, 4, 10, 0), tick=False)
def test_the_page_lists_the_prepared_page(referrals, social_worker, login):
    client = login(social_worker)
    for params in ({}, {"pokaz": "all", "strona": "2"}, {"pokaz": "closed"}, {"pokaz": "zzz", "strona": "x"}):
        page = client.get(reverse("contracts:referral_sent"), params).context["page"]
        which = params.get("pokaz") if params.get("pokaz") in TABS else "open"
        ids = list(sent_ids(social_worker, which).values_list("pk", flat=True))
        start = 25 * (page.number - 1)
        assert [row.pk for row in page.object_list] == ids[start : start + 25], params
        assert page.paginator.count == len(ids)
