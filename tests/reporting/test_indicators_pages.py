import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.models import IndicatorTarget, ProjectRules
from tests.reporting import fixtures_indicators as fx
from tests.reporting.factories_indicators import ParticipationFactory, progress

populated_project = fx.populated_project
pytestmark = pytest.mark.django_db
QUERY = {"from": "2018-01-01", "to": "2018-12-31"}


def test_indicator_page_shows_numbers_without_names(populated_project, auditor, login):
    response = login(auditor).get(reverse("reporting:indicators", args=[populated_project.pk]), QUERY)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-value="OUT_AROPE-cumulative">6<' in body
    assert "Tajemnicza" not in body and "Brakowska" not in body
    assert "Braki danych" in body


def test_invalid_period_falls_back_with_a_message(project, manager, login):
    response = login(manager).get(reverse("reporting:indicators", args=[project.pk]), {"from": "2018-13-01",
                                                                                       "to": "x\x00"})  # fmt: skip
    assert response.status_code == 200 and "Niepoprawny okres" in response.content.decode()


def test_drilldown_lists_counted_ids_only(populated_project, manager, login):
    url = reverse("reporting:indicator_drilldown", args=[populated_project.pk, "KES", "cumulative"])
    body = login(manager).get(url, {**QUERY, "part": "numerator"}).content.decode()
    assert body.count("<tr>") == 1 + 3  # header + three participations with progress
    assert "Tajemnicza" not in body
    assert login(manager).get(reverse("reporting:indicator_drilldown",
                                      args=[populated_project.pk, "NOPE", "period"])).status_code == 404  # fmt: skip


@pytest.mark.parametrize("n", [1, 30])
def test_indicator_pages_query_count(project, manager, login, n, django_assert_max_num_queries):
    for _ in range(n):
        p = ParticipationFactory(project=project, end_date=dt.date(2018, 6, 30))
        progress(p, dt.date(2018, 7, 1))
    client = login(manager)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("reporting:indicators", args=[project.pk]), QUERY).status_code == 200
    with django_assert_max_num_queries(14):
        url = reverse("reporting:indicator_drilldown", args=[project.pk, "OUT_AROPE", "cumulative"])
        assert client.get(url, QUERY).status_code == 200


def test_manager_sets_targets_and_windows(project, manager, coordinator, login):
    url = reverse("reporting:indicator_settings", args=[project.pk])
    assert login(coordinator).post(url, {}).status_code == 403
    response = login(manager).post(url, {"result_window_days": "28", "effectiveness_window_months": "3",
                                         "target_OUT_AROPE": "60", "target_KES": "40",
                                         "lock_version": "1"})  # fmt: skip
    assert response.status_code == 302
    assert IndicatorTarget.objects.get(project=project, code="OUT_AROPE").value == Decimal("60")
    assert ProjectRules.objects.get(project=project).result_window_days == 28
    response = login(manager).post(url, {"result_window_days": "-1", "effectiveness_window_months": "x",
                                         "target_KES": "101"})  # fmt: skip
    assert response.status_code == 200
    assert IndicatorTarget.objects.get(project=project, code="KES").value == Decimal("40")
