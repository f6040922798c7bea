"""The family/person timeline shows contract and programme events through the provider."""

import datetime as dt

import pytest

from contracts.services import programmes as programme_services
from contracts.timeline_plans import plan_entries
from families.selectors import family_for_page
from families.timeline import family_timeline, person_timeline
from tests.contracts.factories import make_contract, make_programme

pytestmark = pytest.mark.django_db


def test_family_timeline_lists_contract_and_programme_events(family, head, social_worker, mgi_member, coordinator):
    make_contract(family=family, person=head, worker=social_worker, signed=True)
    programme = make_programme(family=family, author=mgi_member, submit=True)
    programme_services.programme_return(programme=programme, version_number=1, comment="Dodaj cele", by=coordinator)
    entries = family_timeline(family, user=social_worker)
    kinds = [e.kind for e in entries]
    assert kinds.count("contract") == 2 and kinds.count("programme") == 3
    returned = next(e for e in entries if "zwrócono" in e.title)
    assert returned.detail == "Dodaj cele" and returned.url.endswith(f"/programy/{programme.pk}/")


def test_person_timeline_includes_contracts_where_the_person_is_covered(family, head, social_worker):
    child = family.members.exclude(pk=head.pk).get()
    contract = make_contract(family=family, person=head, worker=social_worker)
    contract.covered_members.add(child)
    assert [e.kind for e in person_timeline(child, user=social_worker)] == ["contract"]


@pytest.mark.parametrize("n", [1, 5])
def test_provider_runs_constant_queries(n, family, head, social_worker, mgi_member, django_assert_max_num_queries):
    for _ in range(n):
        make_contract(family=family, person=head, worker=social_worker, today=dt.date.today())
        make_programme(family=family, author=mgi_member, submit=True)
    with django_assert_max_num_queries(4):
        entries = list(plan_entries(family=family, user=social_worker))
    assert len(entries) == 3 * n


def test_outsiders_get_no_entries(family, head, social_worker, other_worker, partner):
    make_contract(family=family, person=head, worker=social_worker)
    assert list(plan_entries(family=family, user=other_worker)) == []
    assert list(plan_entries(family=family, user=partner)) == []


def test_a_family_read_in_scope_answers_only_for_that_user(family, head, social_worker, other_worker, partner):
    """The family page's shortcut (families.access.read_in_scope): a family read through the worker's
    scope gives its events without the scope's subqueries to that worker, in one query; to anybody
    else the marker means nothing and the scoped querysets decide."""
    make_contract(family=family, person=head, worker=social_worker)
    page_family = family_for_page(social_worker, family.pk)
    assert [e.kind for e in plan_entries(family=page_family, user=social_worker, limit=21)] == ["contract"]
    assert list(plan_entries(family=page_family, user=other_worker, limit=21)) == []
    assert list(plan_entries(family=page_family, user=partner, limit=21)) == []
