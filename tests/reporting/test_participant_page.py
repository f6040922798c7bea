"""The participant page's reads (reporting.selectors.participants): the claims that counted a record
as `claims_counting` gives them, the lists from the prepared queries, a fixed number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from reporting.selectors import participants as selectors
from reporting.selectors.submissions import claims_counting
from tests.reporting import fixtures_indicators as fx
from tests.reporting.factories import OutcomeEventFactory, ParticipationFactory
from tests.reporting.test_submissions import submitted

pytestmark = pytest.mark.django_db
media = fx.media


def test_the_claims_of_a_record_are_those_claims_counting_gives(project, manager, media):
    counted = ParticipationFactory(project=project, start_date=dt.date(2017, 3, 1))
    submitted(project, manager, number="WNP/7/2018")
    later = ParticipationFactory(project=project, start_date=dt.date(2017, 4, 1))
    assert selectors.claims_of(counted) == claims_counting([counted.pk])[counted.pk] == ["WNP/7/2018"]
    assert selectors.claims_of(later) == [] and later.pk not in claims_counting([later.pk])


def test_the_page_lists_are_the_records_own_in_order(project):
    one, other = ParticipationFactory(project=project), ParticipationFactory(project=project)
    late = OutcomeEventFactory(participation=one, occurred_on=dt.date(2018, 5, 1))
    early = OutcomeEventFactory(participation=one, occurred_on=dt.date(2018, 4, 1))
    OutcomeEventFactory(participation=other, occurred_on=dt.date(2018, 4, 1))
    lists = selectors.page_lists(one)
    assert [o.pk for o in lists["outcomes"]] == [early.pk, late.pk]
    assert lists["supports"] == lists["amendments"] == lists["followups"] == []


def test_the_participant_page_runs_a_fixed_number_of_queries(project, manager, login, django_assert_max_num_queries):
    participation = ParticipationFactory(project=project)
    for day in (1, 2, 3):
        OutcomeEventFactory(participation=participation, occurred_on=dt.date(2018, 4, day))
    client = login(manager)
    url = reverse("reporting:participant_detail", args=[participation.pk])
    client.get(url)
    with django_assert_max_num_queries(10):  # session, user + MFA device, record, 4 lists, claims, rights, access entry
        assert client.get(url).status_code == 200
