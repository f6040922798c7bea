"""The family page's reasons ride with its members' query (families.selectors._page_members): they
must be exactly what their own query gives, in its order, whatever the family has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from families.codes import AssistanceReason
from families.models import FamilyReason
from families.selectors import family_for_page
from tests.families.factories import FamilyFactory, PersonFactory


def _reasons(family):
    return [(r.pk, r.family_id, r.code, r.is_primary) for r in FamilyReason.objects.filter(family=family)]


def _page_reasons(user, family):
    page_family = family_for_page(user, family.pk)
    assert all(reason.family is page_family for reason in page_family.reason_list)
    assert all(not reason._state.adding for reason in page_family.reason_list)
    return [(r.pk, r.family_id, r.code, r.is_primary) for r in page_family.reason_list]


@pytest.mark.django_db
def test_reasons_read_with_the_members_are_those_of_their_own_query(social_worker, family):
    FamilyReason.objects.create(family=family, code=AssistanceReason.R11)
    FamilyReason.objects.filter(family=family, code=AssistanceReason.R1).update(is_primary=False)
    FamilyReason.objects.filter(family=family, code=AssistanceReason.R11).update(is_primary=True)
    assert _page_reasons(social_worker, family) == _reasons(family)
    assert [code for _pk, _family, code, _primary in _reasons(family)][0] == AssistanceReason.R11


@pytest.mark.django_db
def test_family_without_reasons_or_without_members(social_worker, mops, team):
    bare = FamilyFactory(institution=mops, team=team, social_worker=social_worker)
    PersonFactory(family=bare)
    assert _page_reasons(social_worker, bare) == []
    alone = FamilyFactory(institution=mops, team=team, social_worker=social_worker)
    FamilyReason.objects.create(family=alone, code=AssistanceReason.R4, is_primary=True)
    FamilyReason.objects.create(family=alone, code=AssistanceReason.R2)
    assert _page_reasons(social_worker, alone) == _reasons(alone)


@pytest.mark.django_db
def test_reasons_cost_no_query_of_their_own_on_postgresql(login, social_worker, family):
    client = login(social_worker)
    client.get(reverse("families:family_detail", args=[family.pk]))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("families:family_detail", args=[family.pk]))
    assert response.status_code == 200
    own_read = [q for q in ctx.captured_queries if q["sql"].lstrip().startswith('SELECT "families_familyreason"')]
    assert len(own_read) == (0 if connection.vendor == "postgresql" else 1)
    html = response.content.decode()
    assert html.index(str(AssistanceReason.R1.label)) < html.index(str(AssistanceReason.R4.label))
