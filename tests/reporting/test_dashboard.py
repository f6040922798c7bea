import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from contracts.models import Referral, ReferralAttendance, ReferralStatus
from reporting.selectors.dashboard import enrolment_by_month, follow_ups_due, services_effects
from tests.families.factories import PersonFactory
from tests.reporting import fixtures_indicators as fx
from tests.reporting.factories_indicators import ParticipationFactory, employment, progress
from tests.support_network.factories import ServiceFactory

populated_project = fx.populated_project
pytestmark = pytest.mark.django_db


def test_enrolment_by_month_is_cumulative(project):
    ParticipationFactory(project=project, start_date=dt.date(2017, 1, 15))
    ParticipationFactory(project=project, start_date=dt.date(2017, 3, 1))
    ParticipationFactory(project=project, start_date=dt.date(2017, 3, 31))
    series = enrolment_by_month(project)
    assert series[:4] == [("01.2017", 1), ("02.2017", 1), ("03.2017", 3), ("04.2017", 3)]
    assert len(series) == 36


@pytest.mark.parametrize(
    ("today", "four_weeks", "three_months"),
    [("2018-01-31", 1, 1), ("2018-02-28", 1, 1), ("2018-03-01", 0, 1), ("2018-04-30", 0, 1), ("2018-05-01", 0, 0)],
)
def test_follow_ups_due_from_end_dates(project, today, four_weeks, three_months):
    ParticipationFactory(project=project, start_date=dt.date(2018, 1, 2), end_date=dt.date(2018, 1, 31))
    ParticipationFactory(project=project, end_date=None)
    with time_machine.travel(dt.datetime.fromisoformat(today + "T12:00"), tick=False):
        due = follow_ups_due(project)
    assert (due.result_window_open, due.effect_window_open) == (four_weeks, three_months)


def _referral(person, service, status, manager, attended_on=dt.date(2018, 2, 1)):
    """A referral in `status`; attended once on `attended_on` (a used one becomes a support)."""
    now = timezone.now()
    referral = Referral.objects.create(
        person=person, service=service, institution=service.provider, created_by=manager, reason="wsparcie",
        status=status, sent_at=now, answer_due=now.date(),
        drop_reason="rezygnacja" if status == ReferralStatus.DROPPED else "",
    )  # fmt: skip
    if attended_on is not None:
        ReferralAttendance.objects.create(referral=referral, held_on=attended_on, hours=4, recorded_by=manager)
    return referral


def test_services_table_counts_participants_completions_and_effects(project, other_project, manager):
    counselling, cis = ServiceFactory(name="Doradztwo zawodowe"), ServiceFactory(name="Zajęcia CIS")
    people = [PersonFactory() for _ in range(4)]
    parts = [ParticipationFactory(project=project, person=p, start_date=dt.date(2018, 1, 1)) for p in people]
    employment(parts[0], dt.date(2018, 5, 1))
    employment(parts[1], dt.date(2017, 5, 1))  # before the start: not an effect
    progress(parts[2], dt.date(2018, 5, 1))
    _referral(people[0], counselling, ReferralStatus.COMPLETED, manager)
    _referral(people[1], counselling, ReferralStatus.IN_PROGRESS, manager)
    _referral(people[2], counselling, ReferralStatus.COMPLETED, manager)
    _referral(people[2], counselling, ReferralStatus.DROPPED, manager)  # same person twice: counted once
    _referral(people[3], counselling, ReferralStatus.SENT, manager)  # not used
    _referral(people[0], cis, ReferralStatus.ACCEPTED, manager)
    ParticipationFactory(project=other_project, person=people[0])  # another project's participation
    rows = {row.name: row for row in services_effects(project)}
    row = rows["Doradztwo zawodowe"]
    assert (row.participants, row.completions, row.employed, row.progressed) == (3, 2, 1, 1)
    assert str(row.employment_rate) == "33.3"
    assert (rows["Zajęcia CIS"].participants, rows["Zajęcia CIS"].employed) == (1, 1)


def test_services_table_counts_only_the_projects_period_and_participants(project, manager):
    """Issue 13: a 2026 referral never counts for a project that ended in 2019, nor a referral of a
    person without a participation in the project."""
    service = ServiceFactory(name="Klub Integracji Społecznej")
    inside, outsider = PersonFactory(), PersonFactory()
    part = ParticipationFactory(project=project, person=inside, start_date=dt.date(2018, 1, 1),
                                end_date=dt.date(2018, 12, 31))  # fmt: skip
    employment(part, dt.date(2018, 5, 1))
    _referral(inside, service, ReferralStatus.COMPLETED, manager, attended_on=dt.date(2026, 3, 1))
    _referral(outsider, service, ReferralStatus.COMPLETED, manager)
    assert services_effects(project) == []
    _referral(inside, service, ReferralStatus.IN_PROGRESS, manager, attended_on=dt.date(2018, 3, 1))
    row = services_effects(project)[0]
    assert (row.participants, row.completions, row.employed) == (1, 0, 1)


def test_dashboard_for_project_staff(populated_project, manager, coordinator, auditor, login):
    for user in (manager, coordinator, auditor):
        response = login(user).get(reverse("reporting:dashboard", args=[populated_project.pk]))
        body = response.content.decode()
        assert response.status_code == 200
        assert body.count("<svg") >= 4 and "Dostosowanie biura" in body and "KEZ_DISABLED" in body
        assert "Tajemnicza" not in body and "Grażyna" not in body


def test_dashboard_scope(project, other_coordinator, social_worker, partner, login):
    url = reverse("reporting:dashboard", args=[project.pk])
    assert login(other_coordinator).get(url).status_code == 404
    assert login(social_worker).get(url).status_code == 403
    assert login(partner).get(url).status_code == 403


@pytest.mark.parametrize("n", [1, 30])
def test_dashboard_query_count(project, manager, login, n, django_assert_max_num_queries):
    service = ServiceFactory()
    for _ in range(n):
        person = PersonFactory()
        p = ParticipationFactory(project=project, person=person, end_date=dt.date(2018, 6, 30))
        employment(p, dt.date(2018, 7, 1))
        _referral(person, service, ReferralStatus.COMPLETED, manager)
    client = login(manager)
    with django_assert_max_num_queries(21):  # 19 + the submitted reports to reconcile (none here) + group sessions
        assert client.get(reverse("reporting:dashboard", args=[project.pk])).status_code == 200


def test_project_list_and_nav(project, other_project, manager, login):
    client = login(manager)
    body = client.get(reverse("reporting:project_list")).content.decode()
    assert project.title in body and other_project.title not in body
    home = client.get(reverse("home")).content.decode()
    assert reverse("reporting:project_list") in home
