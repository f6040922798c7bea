"""Deleting an EFS outcome or a form of support confirms first (issue 12, wall 5)."""

import datetime as dt

import pytest
from django.urls import reverse

from reporting.codes import OutcomeKind
from reporting.models import FollowUp, OutcomeEvent, Support
from tests.reporting.factories import OutcomeEventFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def participation(project, manager):
    return ParticipationFactory(project=project, start_date=dt.date(2018, 2, 1), entry_confirmed_by=manager)


def test_outcome_delete_shows_what_goes_then_deletes_on_confirm(participation, manager, login):
    outcome = OutcomeEventFactory(
        participation=participation, kind=OutcomeKind.EMPLOYMENT, occurred_on=dt.date(2018, 7, 10)
    )
    followups = FollowUp.objects.filter(outcome=outcome).count()
    client = login(manager)
    url = reverse("reporting:outcome_delete", args=[participation.pk, outcome.pk])
    page = client.post(url)
    assert page.status_code == 200 and "10.07.2018" in page.text and outcome.get_kind_display() in page.text
    if followups:
        assert f"{followups} zaplanowan" in page.text
    assert OutcomeEvent.objects.filter(pk=outcome.pk).exists()
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert not OutcomeEvent.objects.filter(pk=outcome.pk).exists()


def test_support_delete_confirms_first(participation, manager, login):
    support = Support.objects.create(participation=participation, form="szkolenie/kurs", start_date=dt.date(2018, 2, 1))
    client = login(manager)
    url = reverse("reporting:support_delete", args=[participation.pk, support.pk])
    page = client.post(url)
    assert "szkolenie/kurs" in page.text and "01.02.2018" in page.text
    assert Support.objects.filter(pk=support.pk).exists()
    client.post(url, {"confirmed": "1"})
    assert not Support.objects.filter(pk=support.pk).exists()
