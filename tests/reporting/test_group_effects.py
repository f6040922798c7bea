"""The group-session columns of "which services work" (issue 13 item 7): attendance rate, completion,
employment and the participants' rating, only of the project's participants and its period."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.services import sessions as services
from reporting.selectors.group_effects import group_effects
from tests.contracts import referral_factories as fixtures
from tests.contracts.test_sessions import accepted
from tests.families.factories import PersonFactory
from tests.reporting.factories import ParticipationFactory

family = fixtures.family
workshop = fixtures.workshop


def _group(family, workshop, social_worker, partner, project, *, people):
    group = services.group_create(by=partner, service=workshop, name="Warsztaty 2018", project=project)
    persons = [PersonFactory(family=family, first_name=f"P{n}", last_name=f"Kowal{n:02d}") for n in range(people)]
    referrals = [accepted(p, workshop, social_worker, partner) for p in persons]
    services.group_enrol(group=group, by=partner, referrals=referrals)
    days = [dt.date(2018, 3, 5), dt.date(2018, 3, 7), dt.date(2020, 3, 9)]  # the last one after the project
    sessions = [
        services.session_create(
            group=group,
            by=partner,
            held_on=day,
            starts_at=dt.time(9),
            hours=Decimal("4"),
            place="Sala",
            topic="Temat",
            trainer_name="Jan Trener",
        )  # fmt: skip
        for day in days
    ]
    return group, persons, sessions


def test_attendance_rate_counts_only_participants_and_the_project_period(
    family, workshop, social_worker, partner, project
):
    group, persons, sessions = _group(family, workshop, social_worker, partner, project, people=3)
    ParticipationFactory(project=project, person=persons[0])
    ParticipationFactory(project=project, person=persons[1])  # persons[2]: no participation, not counted
    enrolments = {e.person_id: e for e in group.enrolments.all()}
    services.attendance_save(session=sessions[0], by=partner, present={e.pk for e in enrolments.values()})
    services.attendance_save(session=sessions[1], by=partner, present={enrolments[persons[0].pk].pk})
    services.attendance_save(session=sessions[2], by=partner, present=set())
    services.enrolment_rate(enrolment=enrolments[persons[0].pk], by=partner, rating=5)
    services.enrolment_rate(enrolment=enrolments[persons[1].pk], by=partner, rating=4)
    services.enrolment_rate(enrolment=enrolments[persons[2].pk], by=partner, rating=1)
    (row,) = group_effects(project)
    assert row.participants == 2
    assert row.hours_held == Decimal("16") and row.hours_attended == Decimal("12")
    assert row.attendance_rate == Decimal("75.0")
    assert row.average_rating == Decimal("4.5") and row.rated == 2


@pytest.mark.parametrize("people", [1, 8])
def test_dashboard_shows_the_group_columns_in_constant_queries(
    client, family, workshop, social_worker, partner, project, manager, people, django_assert_max_num_queries
):
    group, persons, sessions = _group(family, workshop, social_worker, partner, project, people=people)
    for person in persons:
        ParticipationFactory(project=project, person=person)
    services.attendance_save(
        session=sessions[0], by=partner, present=set(group.enrolments.values_list("pk", flat=True))
    )
    client.force_login(manager)
    with django_assert_max_num_queries(22):
        page = client.get(reverse("reporting:dashboard", args=[project.pk]))
    assert page.status_code == 200
    assert 'id="group-effects"' in page.content.decode()
