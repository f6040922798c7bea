"""Sortable columns and the shared pager on the lists of issue 12 item 11 that lacked them: report runs,
budget expenses, the indicator drill-down, agreements, teams, a team's past meetings and reminders. Every
key both ways with one and several rows, in a constant number of queries; unknown keys are ignored."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from contracts.services import social_contracts as contract_services
from contracts.views.contracts import REMINDER_SORT
from reporting.models import ReportRun, ReportStatus
from reporting.views.budget import EXPENSE_SORT
from reporting.views.indicators import DRILLDOWN_SORT
from reporting.views.reports import REPORT_RUN_SORT
from support_network.models import Agreement, AgreementStatus, Meeting
from support_network.views import AGREEMENT_SORT, MEETING_SORT, TEAM_SORT
from tests.contracts.factories import make_contract
from tests.families.factories import FamilyFactory, PersonFactory
from tests.reporting.factories_indicators import BudgetLineFactory, ExpenseFactory, ParticipationFactory, progress
from tests.support_network.factories import TeamFactory

pytestmark = pytest.mark.django_db
PERIOD = {"from": "2018-01-01", "to": "2018-12-31"}
START = dt.date(2024, 3, 1)


def _report_runs(n, *, project, manager, **_):
    first = dt.date(2018, 1, 1)
    for i in range(n):
        ReportRun.objects.create(project=project, period_from=first, period_to=first + dt.timedelta(days=i),
                                 requested_by=manager, status=ReportStatus.DONE)  # fmt: skip
    return reverse("reporting:report_list", args=[project.pk]), {}


def _expenses(n, *, project, **_):
    for i in range(n):
        ExpenseFactory(line=BudgetLineFactory(project=project, category=f"Pozycja {i}"), document_number=f"FV/{i}")
    return reverse("reporting:budget", args=[project.pk]), {}


def _drilldown(n, *, project, **_):
    for _i in range(n):
        progress(ParticipationFactory(project=project, end_date=dt.date(2018, 6, 30)), dt.date(2018, 7, 1))
    return reverse("reporting:indicator_drilldown", args=[project.pk, "OUT_AROPE", "cumulative"]), PERIOD


def _agreements(n, *, mops, pup, **_):
    for i in range(n):
        agreement = Agreement.objects.create(title=f"Porozumienie {i}", subject="s", status=AgreementStatus.PLANNED,
                                             deadline=dt.date(2017, 9, 1) + dt.timedelta(days=i))  # fmt: skip
        agreement.parties.set([mops, pup])
    return reverse("support_network:agreement_list"), {}


def _teams(n, *, mops, project, **_):
    for i in range(n):
        team = TeamFactory(institution=mops, project=project, name=f"Zespół {i}")
        Meeting.objects.create(team=team, starts_at=timezone.now() + dt.timedelta(days=i + 1), place="x", agenda="y")
    return reverse("support_network:team_list"), {}


LISTS = [  # who, rows, sort keys, query limit
    ("manager", _report_runs, REPORT_RUN_SORT, 14),
    ("manager", _expenses, EXPENSE_SORT, 16),
    ("manager", _drilldown, DRILLDOWN_SORT, 14),
    ("social_worker", _agreements, AGREEMENT_SORT, 10),
    ("social_worker", _teams, TEAM_SORT, 10),
]


def _sort_both_ways(client, url, query, keys, limit, django_assert_max_num_queries):
    for key in keys:
        for value in (key, f"-{key}"):
            with django_assert_max_num_queries(limit):
                response = client.get(url, {**query, "sortuj": value, "zostaw": "tak"})
            assert response.status_code == 200
            direction = "descending" if value.startswith("-") else "ascending"
            assert f'aria-sort="{direction}"' in response.text
            assert "zostaw=tak" in response.text  # the header links keep the list's other parameters


@pytest.mark.parametrize("n", [1, 4])
@pytest.mark.parametrize(("who", "rows", "keys", "limit"), LISTS, ids=lambda v: getattr(v, "__name__", None))
def test_every_sort_key_both_ways_answers_with_constant_queries(
    n, who, rows, keys, limit, mops, pup, project, manager, social_worker, login, request,
    django_assert_max_num_queries,
):  # fmt: skip
    url, query = rows(n, mops=mops, pup=pup, project=project, manager=manager)
    client = login(request.getfixturevalue(who))
    client.get(url, query)
    _sort_both_ways(client, url, query, keys, limit, django_assert_max_num_queries)


@pytest.mark.parametrize(("who", "rows", "keys", "limit"), LISTS, ids=lambda v: getattr(v, "__name__", None))
@pytest.mark.parametrize("bad", ["pk", "-", "parties__name", "' OR 1=1", "ż" * 300])
def test_an_unknown_sort_key_is_ignored(who, rows, keys, limit, bad, mops, pup, project, manager, login, request):
    url, query = rows(1, mops=mops, pup=pup, project=project, manager=manager)
    response = login(request.getfixturevalue(who)).get(url, {**query, "sortuj": bad})
    assert response.status_code == 200 and 'aria-sort="ascending"' not in response.text


def test_expenses_sorted_by_amount_and_paged_by_the_shared_pager(project, manager, login):
    line = BudgetLineFactory(project=project)
    for amount in range(1, 28):
        ExpenseFactory(line=line, amount=amount)
    client = login(manager)
    url = reverse("reporting:budget", args=[project.pk])
    first = client.get(url, {"sortuj": "-kwota"}).context["expenses"]
    assert [int(e.amount) for e in first] == list(range(27, 2, -1))  # 25 a page
    assert "sortuj=-kwota&amp;strona=2" in client.get(url, {"sortuj": "-kwota"}).text
    assert [int(e.amount) for e in client.get(url, {"sortuj": "-kwota", "strona": "2"}).context["expenses"]] == [2, 1]


def test_the_drilldown_pager_keeps_the_order(project, manager, login):
    for _i in range(3):
        progress(ParticipationFactory(project=project, end_date=dt.date(2018, 6, 30)), dt.date(2018, 7, 1))
    url = reverse("reporting:indicator_drilldown", args=[project.pk, "OUT_AROPE", "cumulative"])
    page = login(manager).get(url, {**PERIOD, "sortuj": "-id"}).context["page"]
    assert [p.pk for p in page] == sorted((p.pk for p in page), reverse=True)
    assert "sortuj=-id" in page.query


@pytest.mark.parametrize("n", [1, 4])
def test_past_meetings_sort_by_date_and_place_and_page(n, social_worker, team, login, django_assert_max_num_queries):
    now = timezone.now()
    for i in range(n):
        Meeting.objects.create(team=team, starts_at=now - dt.timedelta(days=i + 1), place=f"Sala {n - i}", agenda="a")
    client = login(social_worker)
    url = reverse("support_network:team_detail", args=[team.pk])
    newest_first = [m.pk for m in client.get(url).context["past"]]
    for key in MEETING_SORT:
        for value in (key, f"-{key}"):
            with django_assert_max_num_queries(12):
                response = client.get(url, {"sortuj": value})
            assert response.status_code == 200
    assert [m.pk for m in client.get(url, {"sortuj": "data"}).context["past"]] == newest_first[::-1]
    places = [m.place for m in client.get(url, {"sortuj": "-miejsce"}).context["past"]]
    assert places == sorted(places, reverse=True)


@pytest.mark.parametrize("n", [1, 4])
def test_reminders_sort_by_every_column_with_constant_queries(
    n, mops, project, team, social_worker, login, django_assert_max_num_queries
):
    family = FamilyFactory(institution=mops, project=project, team=team, social_worker=social_worker)
    with time_machine.travel(dt.datetime(2024, 3, 1, 9, 0), tick=False):
        for i in range(n):
            person = PersonFactory(family=family, last_name=f"Nazwisko{i}")
            contract = make_contract(family=family, person=person, worker=social_worker, today=START)
            contract_services.contract_sign(contract=contract, signed_on=START, by=social_worker)
    client = login(social_worker)
    url = reverse("contracts:reminders")
    with time_machine.travel(dt.datetime(2024, 3, 10, 9, 0), tick=False):
        _sort_both_ways(client, url, {}, REMINDER_SORT, 14, django_assert_max_num_queries)
        names = [r.contract.person.last_name for r in client.get(url, {"sortuj": "-osoba"}).context["page"]]
        assert names == sorted(names, reverse=True) and len(names) >= n
        assert client.get(url, {"sortuj": "' OR 1=1"}).status_code == 200
