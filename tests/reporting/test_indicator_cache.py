"""The indicator page and the dashboard reuse computed indicators until the project's data change."""

import datetime as dt

import pytest
from django.urls import reverse

from reporting.models import IndicatorTarget, OutcomeEvent
from reporting.selectors.indicator_cache import cached_project_indicators
from tests.reporting.factories_indicators import OutcomeEventFactory, ParticipationFactory

pytestmark = pytest.mark.django_db
PERIOD = {"date_from": dt.date(2017, 1, 1), "date_to": dt.date(2019, 12, 31)}


def arope_total(project):
    return cached_project_indicators(project, **PERIOD).get("OUT_AROPE").cumulative.total


def test_a_new_participation_shows_at_once(project):
    ParticipationFactory(project=project, start_date=dt.date(2018, 3, 1))
    assert arope_total(project) == 1
    ParticipationFactory(project=project, start_date=dt.date(2018, 4, 1))
    assert arope_total(project) == 2


def test_outcomes_targets_and_deletions_invalidate(project):
    participation = ParticipationFactory(project=project, start_date=dt.date(2018, 3, 1), end_date=dt.date(2018, 9, 1))
    before = cached_project_indicators(project, **PERIOD)
    assert before.get("RES_QUAL").cumulative.total == 0
    event = OutcomeEventFactory(participation=participation, kind="qualification", occurred_on=dt.date(2018, 9, 10))
    assert cached_project_indicators(project, **PERIOD).get("RES_QUAL").cumulative.total == 1
    IndicatorTarget.objects.create(project=project, code="RES_QUAL", value=10)
    assert cached_project_indicators(project, **PERIOD).get("RES_QUAL").target == 10
    OutcomeEvent.objects.filter(pk=event.pk).get().delete()
    assert cached_project_indicators(project, **PERIOD).get("RES_QUAL").cumulative.total == 0


def test_unchanged_data_are_served_from_the_cache(project, django_assert_num_queries):
    ParticipationFactory(project=project, start_date=dt.date(2018, 3, 1))
    cached_project_indicators(project, **PERIOD)
    with django_assert_num_queries(0):
        cached_project_indicators(project, **PERIOD)


def test_the_page_shows_the_numbers_after_an_import_style_bulk_insert(login, manager, project):
    from reporting.models import Participation
    from reporting.selectors.indicator_cache import indicator_data_changed

    url = reverse("reporting:indicators", args=[project.pk]) + "?from=2017-01-01&to=2019-12-31"
    login(manager).get(url)
    template = ParticipationFactory.build(project=project, start_date=dt.date(2018, 3, 1))
    Participation.objects.bulk_create([template])  # no signal: the import service calls indicator_data_changed
    indicator_data_changed(project.pk)
    assert arope_total(project) == 1
