"""The indicator page and the dashboard reuse computed indicators until the project's data change."""

import datetime as dt
import threading
import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from reporting.models import IndicatorTarget, OutcomeEvent, Support
from reporting.selectors import indicator_cache
from reporting.selectors.indicator_cache import cached_project_indicators
from support_network.models import RuleSet
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


def test_a_support_leaves_the_efs2014_table_cached_and_refreshes_the_plain_counts(project, django_assert_num_queries):
    first, second = (ParticipationFactory(project=project, start_date=dt.date(2018, 3, 1)) for _ in range(2))
    cached_project_indicators(project, **PERIOD)
    Support.objects.create(participation=first, form="szkolenie/kurs", start_date=dt.date(2018, 4, 1))
    with django_assert_num_queries(0):  # the EFS 2014 table counts no supports: still the cached one
        cached_project_indicators(project, **PERIOD)
    project.rule_set = RuleSet.NO_EFS_2014  # participants supported, hours
    project.save(update_fields=["rule_set"])
    assert cached_project_indicators(project, **PERIOD).get("SUPPORTED").cumulative.total == 1
    support = Support.objects.create(participation=second, form="szkolenie/kurs", start_date=dt.date(2018, 4, 1))
    assert cached_project_indicators(project, **PERIOD).get("SUPPORTED").cumulative.total == 2
    support.delete()
    assert cached_project_indicators(project, **PERIOD).get("SUPPORTED").cumulative.total == 1


def _counting_table(monkeypatch, delay: float):
    calls = []

    def table(project, *, date_from, date_to):
        calls.append(project.pk)
        time.sleep(delay)  # long enough for the other request to miss too
        return {"computed": len(calls)}

    monkeypatch.setattr(indicator_cache, "page_table", table)
    return calls


def test_concurrent_misses_compute_once(monkeypatch):
    calls = _counting_table(monkeypatch, delay=0.5)
    project = SimpleNamespace(pk=987654, rule_set=RuleSet.EFS_2014_INCLUSION)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(cached_project_indicators(project, **PERIOD))) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [project.pk]
    assert results == [{"computed": 1}] * 3


def test_a_lock_left_by_a_dead_process_does_not_block_for_ever(monkeypatch):
    calls = _counting_table(monkeypatch, delay=0)
    monkeypatch.setattr(indicator_cache, "LOCK_WAIT", 0.2)
    project = SimpleNamespace(pk=987655, rule_set=RuleSet.EFS_2014_INCLUSION)
    revision = indicator_cache.data_revision(project.pk)
    key = f"reporting:indicators:{project.pk}:{project.rule_set}:{PERIOD['date_from']}:{PERIOD['date_to']}:"
    cache.add(f"{key}{timezone.localdate()}:{revision}:lock", 1, 30)  # a computing process that died
    assert cached_project_indicators(project, **PERIOD) == {"computed": 1}
    assert calls == [project.pk]
