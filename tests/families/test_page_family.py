"""The family page's own read (families.selectors.family_for_page) is compiled once per scope shape
(families.access.scope_shape) for a stand-in user: it must find exactly the family
`families_visible_to(user)` finds, with the same fields and related objects, for every role, and
nothing (Family.DoesNotExist, the page's 404) where that scope finds nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from families.access import families_visible_to
from families.models import Family
from families.selectors import family_for_page
from support_network.access import team_ids_of
from tests.families.factories import FamilyFactory

RELATED = ("institution", "project", "social_worker", "team")


def _fields(obj) -> dict:
    return {key: value for key, value in vars(obj).items() if not key.startswith("_")}


def _orm(user, pk):
    try:
        return families_visible_to(user).select_related(*RELATED).get(pk=pk)
    except Family.DoesNotExist:
        return None


def _page(user, pk):
    try:
        return family_for_page(user, pk)
    except Family.DoesNotExist:
        return None


def _same(user, pk) -> bool:
    expected, found = _orm(user, pk), _page(user, pk)
    if expected is None or found is None:
        return expected is None and found is None
    related = [(_fields(getattr(found, name)) if getattr(found, name) else None) for name in RELATED]
    wanted = [(_fields(getattr(expected, name)) if getattr(expected, name) else None) for name in RELATED]
    page_only = {"member_list": None, "reason_list": None, "diagnosis_list": None}  # what the page adds
    return _fields(found) | page_only == _fields(expected) | page_only and related == wanted


@pytest.mark.django_db
def test_the_page_finds_what_the_scope_finds_for_every_role(
    family, social_worker, colleague, other_worker, mgi_member, coordinator, other_coordinator, manager, auditor,
    partner, administrator, mops, other_mops, team, project, other_project,
):  # fmt: skip
    teamless = FamilyFactory(institution=mops, project=project, team=None, social_worker=social_worker)
    unassigned = FamilyFactory(institution=mops, project=project, team=team, social_worker=None)
    elsewhere = FamilyFactory(institution=other_mops, project=other_project, team=None, social_worker=other_worker)
    users = (social_worker, colleague, other_worker, mgi_member, coordinator, other_coordinator, manager, auditor,
             partner, administrator)  # fmt: skip
    for user in (*users, *users):  # compiled on the first call, then reused
        for pk in (family.pk, teamless.pk, unassigned.pk, elsewhere.pk, elsewhere.pk + 1000, 0, 2**63, 2**70):
            assert _same(user, pk), (user.username, pk)
    assert _page(social_worker, teamless.pk) is not None and _page(colleague, teamless.pk) is None
    assert _page(colleague, unassigned.pk) is not None and _page(other_coordinator, family.pk) is None
    assert team_ids_of(other_worker) == [] and _page(other_worker, elsewhere.pk) is not None


@pytest.mark.django_db
def test_an_inactive_user_finds_nothing_without_a_query(social_worker, coordinator, family):
    for user in (social_worker, coordinator):
        user.is_active = False
        with CaptureQueriesContext(connection) as queries:
            assert _page(user, family.pk) is None
        assert _orm(user, family.pk) is None
        assert [q for q in queries.captured_queries if "families_family" in q["sql"]] == []


@pytest.mark.django_db
def test_the_page_reads_the_family_with_one_query_per_user(social_worker, family, monkeypatch):
    family_for_page(social_worker, family.pk)
    with CaptureQueriesContext(connection) as kept:  # plans kept on PostgreSQL: EXECUTEs, no SQL text
        family_for_page(social_worker, family.pk)
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)  # no kept plans: the SQL
    with CaptureQueriesContext(connection) as queries:
        family_for_page(social_worker, family.pk)
    assert len([q for q in queries.captured_queries if 'FROM "families_family"' in q["sql"]]) == 1
    assert len(kept.captured_queries) == len(queries.captured_queries)
