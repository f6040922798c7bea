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
    cache.add(f"{key}{timezone.localdate()}:{revision}:lock", 1, 30)  # a counting process that died
    assert cached_project_indicators(project, **PERIOD) == {"computed": 1}
    assert calls == [project.pk]


# --- the page does not wait for a count when it has numbers to show ------------------------------

URL_QUERY = {"from": "2017-01-01", "to": "2019-12-31"}
RECOUNT = 'id="indicator-recount"'


def arope_on(body: str) -> int:
    return int(body.split('data-value="OUT_AROPE-cumulative">', 1)[1].split("<", 1)[0])


def test_after_a_change_the_page_shows_the_last_numbers_and_htmx_swaps_in_the_current_ones(login, manager, project):
    client = login(manager)
    page_url = reverse("reporting:indicators", args=[project.pk])
    figures_url = reverse("reporting:indicator_figures", args=[project.pk])
    ParticipationFactory(project=project, start_date=dt.date(2018, 3, 1))
    first = client.get(page_url, URL_QUERY).content.decode()
    assert arope_on(first) == 1 and RECOUNT not in first and "aria-busy" not in first

    ParticipationFactory(project=project, start_date=dt.date(2018, 4, 1))
    stale = client.get(page_url, URL_QUERY).content.decode()
    assert arope_on(stale) == 1 and RECOUNT in stale  # the last numbers, marked, not a wrong "current"
    counted = timezone.localtime().strftime("%d.%m.%Y")
    assert f"policzone {counted}" in stale
    assert f'hx-get="{figures_url}?from=2017-01-01&amp;to=2019-12-31" hx-trigger="load"' in stale
    assert f'<a class="alert-link" href="{figures_url}?from=2017-01-01&amp;to=2019-12-31">Przelicz teraz</a>' in stale

    swapped = client.get(figures_url, URL_QUERY, headers={"HX-Request": "true"})
    body = swapped.content.decode()
    assert swapped.status_code == 200 and "<html" not in body and 'id="indicator-figures"' in body
    assert arope_on(body) == 2 and RECOUNT not in body and "Wskaźniki przeliczone." in body
    again = client.get(page_url, URL_QUERY).content.decode()
    assert arope_on(again) == 2 and RECOUNT not in again  # counted once, current for every reader


def test_without_javascript_the_recount_link_opens_the_whole_page_counted(login, manager, project):
    client = login(manager)
    ParticipationFactory(project=project, start_date=dt.date(2018, 3, 1))
    client.get(reverse("reporting:indicators", args=[project.pk]), URL_QUERY)
    ParticipationFactory(project=project, start_date=dt.date(2018, 4, 1))
    body = client.get(reverse("reporting:indicator_figures", args=[project.pk]), URL_QUERY).content.decode()
    assert "<html" in body and "Wskaźniki" in body
    assert arope_on(body) == 2 and RECOUNT not in body and "Wskaźniki przeliczone." not in body


def test_a_period_not_counted_yet_is_counted_before_the_page_answers(login, manager, project):
    client = login(manager)
    ParticipationFactory(project=project, start_date=dt.date(2018, 3, 1))
    client.get(reverse("reporting:indicators", args=[project.pk]), URL_QUERY)
    ParticipationFactory(project=project, start_date=dt.date(2018, 4, 1))
    other = client.get(reverse("reporting:indicators", args=[project.pk]), {"from": "2018-01-01", "to": "2019-12-31"})
    body = other.content.decode()
    assert arope_on(body) == 2 and RECOUNT not in body  # no numbers of this period to show: counted now


def test_numbers_past_their_ttl_are_shown_as_last_counted_and_recounted(project, monkeypatch):
    ParticipationFactory(project=project, start_date=dt.date(2018, 3, 1))
    assert indicator_cache.page_figures(project, **PERIOD).counted_at is None  # counted now: current
    assert indicator_cache.page_figures(project, **PERIOD).counted_at is None  # from the cache: current
    monkeypatch.setattr(indicator_cache, "TTL", 0)  # a missed invalidation cannot keep numbers for ever
    figures = indicator_cache.page_figures(project, **PERIOD)
    assert figures.counted_at is not None and figures.report.get("OUT_AROPE").cumulative.total == 1
    calls = []
    monkeypatch.setattr(indicator_cache, "page_table", lambda project, **period: calls.append(period) or "recounted")
    assert cached_project_indicators(project, **PERIOD) == "recounted" and calls == [PERIOD]


def test_another_day_shows_yesterdays_numbers_as_last_counted(project, monkeypatch):
    ParticipationFactory(project=project, start_date=dt.date(2018, 3, 1))
    cached_project_indicators(project, **PERIOD)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(indicator_cache.timezone, "localdate", lambda: tomorrow)  # the 3-month windows moved
    assert indicator_cache.page_figures(project, **PERIOD).counted_at is not None
