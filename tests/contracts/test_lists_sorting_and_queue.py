"""Sortable lists (core.sorting on every list of contracts and programmes and on the caseload) and the
coordinator's queue: the family's name, filters by project and by age."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from contracts.models import FamilyProgramme
from contracts.selectors.programmes import queue_pages, queue_rows
from contracts.services import programmes as programme_services
from contracts.views.contracts import CONTRACT_SORT
from contracts.views.programmes import PROGRAMME_SORT
from families.views import CASELOAD_SORT
from tests.contracts.factories import make_contract, make_programme
from tests.contracts.test_views import many_families
from tests.families.factories import FamilyFactory, PersonFactory
from tests.support_network.factories import ProjectFactory

pytestmark = pytest.mark.django_db

LISTS = [
    ("social_worker", "contracts:contract_list", CONTRACT_SORT, 10),
    ("mgi_member", "contracts:programme_list", PROGRAMME_SORT, 10),
    ("social_worker", "families:caseload", CASELOAD_SORT, 12),
]


@pytest.mark.parametrize("n", [1, 4])
@pytest.mark.parametrize(("who", "name", "keys", "limit"), LISTS)
def test_every_sort_key_both_ways_answers_with_constant_queries(
    n, who, name, keys, limit, mops, project, team, social_worker, mgi_member, coordinator, service, login,
    request, django_assert_max_num_queries,
):  # fmt: skip
    many_families(n, mops=mops, project=project, team=team, social_worker=social_worker, mgi_member=mgi_member,
                  coordinator=coordinator, service=service)  # fmt: skip
    client = login(request.getfixturevalue(who))
    client.get(reverse(name))
    for key in keys:
        for value in (key, f"-{key}"):
            with django_assert_max_num_queries(limit):
                response = client.get(reverse(name), {"sortuj": value})
            assert response.status_code == 200
            direction = "descending" if value.startswith("-") else "ascending"
            assert f'aria-sort="{direction}"' in response.text


@pytest.mark.parametrize(("who", "name", "keys", "limit"), LISTS)
@pytest.mark.parametrize("bad", ["pk", "-", "family__person__pesel", "' OR 1=1", "ż" * 300])
def test_an_unknown_sort_key_is_ignored(who, name, keys, limit, bad, social_worker, mgi_member, login, request):
    response = login(request.getfixturevalue(who)).get(reverse(name), {"sortuj": bad})
    assert response.status_code == 200 and 'aria-sort="ascending"' not in response.text


def test_contracts_sorted_by_person(family, social_worker, login):
    PersonFactory(family=family, first_name="Adam", last_name="Zieliński")
    people = list(family.members.order_by("last_name"))
    for person in people:
        make_contract(family=family, person=person, worker=social_worker)
    rows = login(social_worker).get(reverse("contracts:contract_list"), {"sortuj": "-osoba"}).context["page"]
    assert [c.person.last_name for c in rows] == sorted((p.last_name for p in people), reverse=True)


def _queue(client, **query):
    return client.get(reverse("contracts:programme_queue"), query).context


def test_queue_names_the_family_and_filters_by_project_and_age(family, mgi_member, coordinator, login, mops, team):
    other_project = ProjectFactory(leader=mops, title="Drugi projekt")
    other_project.staff.add(coordinator)
    second = FamilyFactory(institution=mops, project=other_project, team=team)
    PersonFactory(family=second, first_name="Zofia", last_name="Drugoprojektowa", relation="head")
    with time_machine.travel(dt.datetime(2024, 5, 2, 10, 0), tick=False):
        old = make_programme(family=family, author=mgi_member, today=dt.date(2024, 5, 2), submit=True)
    with time_machine.travel(dt.datetime(2024, 5, 28, 10, 0), tick=False):
        new = make_programme(family=second, author=mgi_member, today=dt.date(2024, 5, 28), submit=True)
    client = login(coordinator)
    with time_machine.travel(dt.datetime(2024, 6, 1, 10, 0), tick=False):
        context = _queue(client)
        assert [p.pk for p in context["awaiting"]] == [old.pk, new.pk]
        head = family.members.order_by("pk").first()
        names = client.get(reverse("contracts:programme_queue")).text
        assert "Drugoprojektowa Zofia" in names and head.last_name in names
        assert [p.pk for p in _queue(client, projekt=other_project.pk)["awaiting"]] == [new.pk]
        assert [p.pk for p in _queue(client, czeka="14")["awaiting"]] == [old.pk]  # 30 days vs 4
        assert [p.pk for p in _queue(client, czeka="7", projekt=other_project.pk)["awaiting"]] == []
        for bad in ({"czeka": "abc"}, {"projekt": "999999"}, {"czeka": "-5"}):
            assert [p.pk for p in _queue(client, **bad)["awaiting"]] == [old.pk, new.pk]  # ignored, not a 500


def test_queue_age_filter_on_overdue_actions(family, mgi_member, coordinator, login):
    with time_machine.travel(dt.datetime(2024, 5, 1, 10, 0), tick=False):
        running = make_programme(family=family, author=mgi_member, today=dt.date(2024, 5, 1), submit=True)
        programme_services.programme_approve(programme=running, version_number=1, by=coordinator)
        programme_services.programme_start(programme=running, by=mgi_member)
    end = running.actions.order_by("end_on").first().end_on
    client = login(coordinator)
    with time_machine.travel(dt.datetime.combine(end + dt.timedelta(days=8), dt.time(10)), tick=False):
        assert [p.pk for p in _queue(client, czeka="7")["overdue"]] == [running.pk]  # 8 days late
        assert _queue(client, czeka="14")["overdue"] == []


@pytest.mark.parametrize("rows", [1, 4])
def test_referral_lists_sort_by_every_column_with_constant_queries(
    rows, login, social_worker, partner, mops, project, team, pup, django_assert_max_num_queries
):
    from contracts.views.referrals import REFERRAL_SORT
    from tests.contracts.test_referral_views import sent
    from tests.support_network.factories import ServiceFactory

    family = FamilyFactory(institution=mops, project=project, team=team, social_worker=social_worker)
    workshop = ServiceFactory(provider=pup, name="Warsztaty")
    for _i in range(rows):
        sent(PersonFactory(family=family), workshop, social_worker)
    for user, name in ((social_worker, "contracts:referral_sent"), (partner, "contracts:referral_inbox")):
        client = login(user)
        for key in REFERRAL_SORT:
            with django_assert_max_num_queries(10):
                response = client.get(reverse(name), {"sortuj": f"-{key}", "pokaz": "all"})
            assert response.status_code == 200 and len(response.context["page"]) == rows


def test_the_queue_rows_from_the_compiled_query_are_the_querysets_rows_in_the_order_asked(
    family, mgi_member, coordinator
):
    """`queue_pages` reads the rows by a query compiled once per connection (PostgreSQL): the same
    objects, fields and annotations as the plain queryset, each page in the order of its ids."""
    programmes = [
        make_programme(family=family, author=mgi_member, today=dt.date(2024, 5, day), submit=True) for day in (2, 3, 4)
    ]
    awaiting = [programmes[2].pk, programmes[0].pk]
    overdue = [(programmes[1].pk, 7)]
    plain = {row.pk: row for row in queue_rows(FamilyProgramme.objects.filter(pk__in=[p.pk for p in programmes]))}

    def facts(row):
        return (row.pk, row.title, row.submitted_at, row.family.case_number, row.family_name, row.version_count,
                row.created_by.username, row.get_deferred_fields(), row.family.get_deferred_fields())  # fmt: skip

    for _ in range(2):  # the second call runs the query compiled by the first
        shown_awaiting, shown_overdue = queue_pages(awaiting, overdue)
        assert [facts(row) for row in shown_awaiting] == [facts(plain[pk]) for pk in awaiting]
        assert [facts(row) for row in shown_overdue] == [facts(plain[programmes[1].pk])]
        assert shown_overdue[0].overdue_actions == 7
    assert queue_pages([], []) == ([], [])
