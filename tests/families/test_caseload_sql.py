"""The caseload's prepared queries (families/caseload_sql.py) show what the ORM's queryset shows:
the same page, byte for byte, for every order, filter and page, and the same filter options."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from families import views
from families.access import families_visible_to
from families.caseload_sql import PreparedPage, PreparedRows, compiled_where
from families.filters import options_of
from families.models import Family, FamilyStatus
from families.selectors import caseload_columns
from support_network.models import Project
from tests.families.factories import FamilyFactory, PersonFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the prepared queries are PostgreSQL's")

URL = reverse("families:caseload")
HOSTILE = "<script>alert(1)</script>"


def _caseload(*, mops, project, other_project, team, social_worker, other_worker):
    """27 families: areas (one hostile), statuses, dates due around today, members, two projects,
    the worker's, the team's, one of another worker (not in the worker's scope)."""
    today = dt.date.today()
    areas = ["Wilchwy", "Centrum", "", HOSTILE, "Śródmieście"]
    for i in range(27):
        status = [FamilyStatus.ACTIVE, FamilyStatus.CANDIDATE, FamilyStatus.CLOSED][i % 3]
        closed = {"closed_on": today, "closed_reason": "Cel osiągnięty"} if status == FamilyStatus.CLOSED else {}
        family = FamilyFactory(
            institution=mops, project=[project, other_project, None][i % 3 if i % 7 else 0], area=areas[i % 5],
            team=team if i % 2 else None, social_worker=social_worker if i % 4 else other_worker,
            case_number=f"K/{i % 9:02d}/{i:02d}", status=status, **closed,
        )  # fmt: skip
        for n in range(i % 4):
            PersonFactory(family=family, last_name=["Nowak", "Wilk", "Ząbek"][(i + n) % 3])
        due = None if i % 6 == 0 else today + dt.timedelta(days=(i % 11) - 5)
        last = due and due - dt.timedelta(days=30)
        Family.objects.filter(pk=family.pk).update(next_visit_due=due, last_visit_on=last)


PARAMS = [
    {}, {"strona": "2"}, {"strona": "99"}, {"strona": "0"}, {"strona": "x"}, {"strona": "9" * 30}, {"strona": "-1"},
    {"status": FamilyStatus.CLOSED},
    {"status": FamilyStatus.CANDIDATE}, {"overdue": "on"}, {"area": "Centrum"}, {"area": HOSTILE}, {"area": "zzz"},
    {"overdue": "on", "strona": "2"},
    *({"sortuj": f"{sign}{key}"} for key in views.CASELOAD_SORT for sign in ("", "-")),
]  # fmt: skip


def _normalized(content: bytes) -> str:
    """The page without what differs between two requests (the CSRF tokens, the CSP nonces)."""
    html = re.sub(r'nonce="[^"]+"', "", content.decode())
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return re.sub(r'data-csrf="[^"]+"', "", html)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["social_worker", "coordinator", "manager"])
def test_the_prepared_caseload_shows_what_the_orm_shows(request, login, monkeypatch, mops, project, other_project,
                                                         team, social_worker, other_worker, who):  # fmt: skip
    _caseload(mops=mops, project=project, other_project=other_project, team=team, social_worker=social_worker,
              other_worker=other_worker)  # fmt: skip
    user = request.getfixturevalue(who)
    other_project.staff.add(*project.staff.all())
    client = login(user)
    params = [*PARAMS, {"project": str(project.pk)}, {"project": str(other_project.pk), "sortuj": "-wizyta"}]
    for query in params:
        client.get(URL, query)  # warm (the compiled query of this order)
        with CaptureQueriesContext(connection) as prepared_queries:
            prepared = client.get(URL, query)
        with monkeypatch.context() as patched:
            patched.setattr(views, "compiled_where", lambda families: None)  # the ORM's way, as on SQLite
            with CaptureQueriesContext(connection) as orm_queries:
                orm = client.get(URL, query)
        assert prepared.status_code == orm.status_code == 200
        assert _normalized(prepared.content) == _normalized(orm.content), query
        assert len(prepared_queries) <= len(orm_queries), query
        assert HOSTILE.encode() not in prepared.content


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["social_worker", "coordinator"])
def test_the_filter_options_are_the_projects_and_areas_of_the_scope(request, mops, project, other_project, team,
                                                                   social_worker, other_worker, who):  # fmt: skip
    _caseload(mops=mops, project=project, other_project=other_project, team=team, social_worker=social_worker,
              other_worker=other_worker)  # fmt: skip
    scope = families_visible_to(request.getfixturevalue(who))
    projects, areas = options_of(scope, compiled_where(scope), few=who == "social_worker")
    expected = list(Project.objects.filter(pk__in=scope.values("project")).order_by("title"))
    assert projects == expected
    assert [str(option) for option in projects] == [str(project) for project in expected]  # what an option shows
    assert areas == list(scope.exclude(area="").order_by("area").values_list("area", flat=True).distinct())
    assert projects and len(areas) == 4


@pytest.mark.django_db
def test_families_without_a_project_still_offer_their_areas(mops, team, social_worker):
    FamilyFactory(institution=mops, social_worker=social_worker, project=None, area="Centrum")
    scope = families_visible_to(social_worker)
    assert options_of(scope, compiled_where(scope), few=True) == ([], ["Centrum"])


@pytest.mark.django_db
def test_an_empty_scope_counts_and_lists_nothing_without_a_query(django_assert_num_queries):
    where = compiled_where(Family.objects.none())
    rows = PreparedRows(PreparedPage(caseload_columns), where, ("", False), ("pk",), today=dt.date.today(),
                        number=1, per_page=25)  # fmt: skip
    with django_assert_num_queries(0):
        assert where.empty and rows.count() == 0 and rows[0:25] == []
        assert options_of(Family.objects.none(), where, few=True) == ([], [])


@pytest.mark.django_db
def test_the_page_asked_for_is_read_with_the_count_in_one_query(login, social_worker, family):
    client = login(social_worker)
    client.get(URL)
    with CaptureQueriesContext(connection) as ctx:
        client.get(URL)
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"] and '"families_family"' in q["sql"]]
    assert len(counts) == 1 and "LIMIT" in counts[0]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["social_worker", "coordinator"])
def test_a_caseworkers_families_are_read_once_then_sorted_a_project_scope_in_the_index_order(request, login, family,
                                                                                            who):  # fmt: skip
    client = login(request.getfixturevalue(who))
    client.get(URL)
    with CaptureQueriesContext(connection) as ctx:
        client.get(URL)
    pages = [q["sql"] for q in ctx.captured_queries if "OFFSET" in q["sql"] and '"families_family"' in q["sql"]]
    assert len(pages) == 1
    assert pages[0].startswith('WITH "families_family" AS MATERIALIZED') == (who == "social_worker")
