"""Placements with a duration (public works, internships, subsidised jobs) and the two talks one
month after a job starts (issue 13 items 5–6)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from contracts.models import ReferralOutcome
from core.errors import DomainError
from reporting.models import (
    FollowUp,
    FollowUpConversation,
    FollowUpKind,
    OutcomeEvent,
    OutcomeProposal,
    Placement,
    PlacementKind,
    ProposalStatus,
    Support,
)
from reporting.selectors.placements import overdue_employment_followups
from reporting.services.placements import conversation_record, placement_add, placement_end
from tests.contracts.referral_factories import ReferralFactory
from tests.families.factories import PersonFactory
from tests.reporting.factories import ParticipationFactory
from tests.support_network.factories import ServiceFactory

pytestmark = pytest.mark.django_db

WORKS = {"kind": PlacementKind.PUBLIC_WORKS, "employer": "Zakład Usług Komunalnych", "hours_per_month": 160,
         "planned_start": dt.date(2017, 3, 6), "planned_end": dt.date(2017, 8, 4)}  # fmt: skip
TODAY = dt.date(2017, 10, 1)
QUERIES = {"home": 20, "talks": 20}  # the same bound for 1 and for 12 follow-ups


@pytest.fixture(autouse=True)
def _family_of_the_worker(family, social_worker):
    family.social_worker = social_worker
    family.save(update_fields=["social_worker"])


@pytest.fixture
def participation(project, person):
    return ParticipationFactory(project=project, person=person, start_date=dt.date(2017, 3, 1))


@pytest.fixture
def placement(participation, manager):
    return placement_add(participation=participation, values=WORKS, by=manager, today=TODAY)


@pytest.fixture
def followup(placement, manager):
    placement_end(placement=placement, actual_end=dt.date(2017, 8, 4), kept_on=True, lock_version=None, by=manager,
                  today=TODAY)  # fmt: skip
    return FollowUp.objects.get(kind=FollowUpKind.EMPLOYMENT_1M)


def _talk(party, held_on=dt.date(2017, 9, 5), result="still_employed"):
    return {"party": party, "held_on": held_on, "spoke_with": "kierownik zmiany", "result": result, "note": ""}


def test_a_placement_is_a_support_with_employer_dates_and_hours(placement, participation):
    support = Support.objects.get(participation=participation)
    assert (support.form, support.form_detail, support.start_date, support.end_date) == (
        "roboty publiczne", "Zakład Usług Komunalnych", dt.date(2017, 3, 6), None)  # fmt: skip
    assert (placement.support, placement.hours_per_month, placement.planned_end) == (support, 160, dt.date(2017, 8, 4))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"planned_start": dt.date(2017, 2, 28)}, "planned_start"),  # before the participation
        ({"planned_end": dt.date(2017, 3, 5)}, "planned_end"),  # before the start
        ({"planned_end": dt.date(2020, 1, 1)}, "planned_end"),  # after the project
        ({"hours_per_month": 0}, "hours_per_month"),
        ({"employer": "  "}, "employer"),
        ({"kind": "volunteering"}, "kind"),
    ],
)
def test_a_placement_with_bad_values_is_refused_and_nothing_is_saved(participation, manager, change, field):
    with pytest.raises(ValidationError) as exc:
        placement_add(participation=participation, values={**WORKS, **change}, by=manager, today=TODAY)
    assert field in exc.value.message_dict
    assert not Support.objects.exists() and not Placement.objects.exists()


def test_only_the_projects_manager_records_placements(participation, coordinator, social_worker):
    for user in (coordinator, social_worker):
        with pytest.raises(DomainError):
            placement_add(participation=participation, values=WORKS, by=user, today=TODAY)
    assert not Placement.objects.exists()


def test_the_end_with_employment_records_the_job_and_its_talks_one_month_later(followup, placement):
    placement.refresh_from_db()
    assert placement.actual_end == dt.date(2017, 8, 4) and placement.support.end_date == dt.date(2017, 8, 4)
    job = OutcomeEvent.objects.get(kind="employment")
    assert (job.occurred_on, job.employer) == (dt.date(2017, 8, 5), "Zakład Usług Komunalnych")
    assert (followup.outcome, followup.due_on) == (job, dt.date(2017, 9, 5))


def test_an_end_without_employment_schedules_no_talk(placement, manager):
    placement_end(placement=placement, actual_end=dt.date(2017, 7, 1), kept_on=False, lock_version=None, by=manager,
                  today=TODAY)  # fmt: skip
    assert not OutcomeEvent.objects.exists() and not FollowUp.objects.exists()


def test_the_followup_is_done_only_when_both_talks_are_recorded(followup, social_worker):
    conversation_record(followup=followup, values=_talk("employer"), by=social_worker, today=TODAY)
    followup.refresh_from_db()
    assert followup.done_on is None
    conversation_record(followup=followup, values=_talk("employee", dt.date(2017, 9, 7), "problem"), by=social_worker,
                        today=TODAY)  # fmt: skip
    followup.refresh_from_db()
    assert (followup.done_on, followup.done_by) == (dt.date(2017, 9, 7), social_worker)
    assert "jest problem" in followup.note


def test_the_same_talk_twice_is_a_conflict(followup, social_worker):
    conversation_record(followup=followup, values=_talk("employer"), by=social_worker, today=TODAY)
    with pytest.raises(DomainError) as exc:
        conversation_record(followup=followup, values=_talk("employer"), by=social_worker, today=TODAY)
    assert exc.value.conflict and FollowUpConversation.objects.count() == 1


def test_a_talk_before_the_job_or_in_the_future_is_refused(followup, social_worker):
    for day in (dt.date(2017, 8, 4), dt.date(2017, 10, 2)):
        with pytest.raises(ValidationError):
            conversation_record(followup=followup, values=_talk("employer", day), by=social_worker, today=TODAY)
    assert not FollowUpConversation.objects.exists()


def test_the_partner_who_placed_the_person_records_talks_others_do_not(followup, person, partner, pup, other_worker,
                                                                       social_worker,
                                                                       coordinator):  # fmt: skip
    with pytest.raises(DomainError):
        conversation_record(followup=followup, values=_talk("employer"), by=partner, today=TODAY)
    referral = ReferralFactory(person=person, service=ServiceFactory(provider=pup), created_by=social_worker)
    ReferralOutcome.objects.create(
        referral=referral,
        employed=True,
        employer="Piekarnia",
        employment_form="umowa_o_prace",
        employment_start=dt.date(2017, 8, 5),
        recorded_by=partner,
    )
    with pytest.raises(DomainError):  # a job through the partner's referral, but not this job
        conversation_record(followup=followup, values=_talk("employer"), by=partner, today=TODAY)
    job = followup.outcome  # the job is the confirmed outcome of the partner's referral
    OutcomeProposal.objects.create(
        participation=job.participation, referral=referral, kind=job.kind, occurred_on=job.occurred_on,
        employment_form=job.employment_form, recorded_by=partner, recorded_at=timezone.now(),
        status=ProposalStatus.CONFIRMED, decided_by=partner, decided_at=timezone.now(), event=job,
    )  # fmt: skip
    conversation_record(followup=followup, values=_talk("employer"), by=partner, today=TODAY)
    for user in (other_worker, coordinator):  # another MOPS; the coordinator only reads
        with pytest.raises(DomainError):
            conversation_record(followup=followup, values=_talk("employee"), by=user, today=TODAY)


def test_the_talks_page_records_a_talk_and_is_404_outside_scope(login, followup, social_worker, other_worker):
    url = reverse("reporting:followup_talks", args=[followup.pk])
    assert login(other_worker).get(url).status_code == 404
    client = login(social_worker)
    with time_machine.travel(dt.datetime(2017, 9, 10, 12, tzinfo=dt.UTC), tick=False):
        response = client.post(url, {"party": "employer", "held_on": "06.09.2017", "spoke_with": "p. Nowak",
                                     "result": "still_employed", "note": "bez uwag"})  # fmt: skip
        assert response.status_code == 302
        page = client.get(url).content.decode()
    assert "p. Nowak" in page and "nadal pracuje" in page
    assert FollowUpConversation.objects.get().recorded_by == social_worker


def test_the_manager_records_a_placement_and_its_end_on_the_participation_page(login, manager, participation):
    client = login(manager)
    with time_machine.travel(dt.datetime(2017, 9, 1, 12, tzinfo=dt.UTC), tick=False):
        response = client.post(reverse("reporting:placement_add", args=[participation.pk]), {
            "kind": "internship", "employer": "Piekarnia", "planned_start": "2017-04-03", "planned_end": "2017-08-31",
            "hours_per_month": "120"})  # fmt: skip
        assert response.status_code == 302
        placement = Placement.objects.get()
        url = reverse("reporting:placement_end", args=[participation.pk, placement.pk])
        response = client.post(url, {"actual_end": "31.08.2017", "kept_on": "on", "lock_version": "1"})
        assert response.status_code == 302
        stale = client.post(url, {"actual_end": "30.08.2017", "lock_version": "1"})
        assert stale.status_code == 409
        page = client.get(reverse("reporting:participant_detail", args=[participation.pk])).content.decode()
    assert "staż: Piekarnia" in page and "zatrudniony po zakończeniu" in page and "Rozmowy z pracodawcą" in page


@pytest.mark.parametrize(("day", "overdue"), [(dt.date(2017, 9, 5), False), (dt.date(2017, 9, 6), True)])
def test_a_talk_is_overdue_from_the_day_after_its_due_date(followup, social_worker, day, overdue):
    assert followup.due_on == dt.date(2017, 9, 5)
    assert overdue_employment_followups(social_worker, today=day).exists() is overdue


def test_the_home_page_shows_overdue_talks_to_the_worker_and_the_manager(login, followup, social_worker, manager,
                                                                         other_worker):  # fmt: skip
    with time_machine.travel(dt.datetime(2017, 9, 6, 12, tzinfo=dt.UTC), tick=False):
        for user, shown in ((social_worker, True), (manager, True), (other_worker, False)):
            page = login(user).get(reverse("home")).content.decode()
            assert ("overdue-talks" in page) is shown
            if shown:
                assert reverse("reporting:followup_talks", args=[followup.pk]) in page


@pytest.mark.parametrize("n", [1, 12])
def test_the_talks_page_and_the_home_card_take_constant_queries(login, social_worker, manager, project, family,
                                                                django_assert_max_num_queries, n):  # fmt: skip
    for _ in range(n):
        p = ParticipationFactory(project=project, person=PersonFactory(family=family), start_date=dt.date(2017, 3, 1))
        pl = placement_add(participation=p, values=WORKS, by=manager, today=TODAY)
        placement_end(placement=pl, actual_end=dt.date(2017, 8, 4), kept_on=True, lock_version=None, by=manager,
                      today=TODAY)  # fmt: skip
    followup = FollowUp.objects.filter(kind=FollowUpKind.EMPLOYMENT_1M).last()
    conversation_record(followup=followup, values=_talk("employer"), by=social_worker, today=TODAY)
    client = login(social_worker)
    with time_machine.travel(dt.datetime(2017, 9, 20, 12, tzinfo=dt.UTC), tick=False):
        with django_assert_max_num_queries(QUERIES["home"]):
            assert "overdue-talks" in client.get(reverse("home")).content.decode()
        with django_assert_max_num_queries(QUERIES["talks"]):
            assert client.get(reverse("reporting:followup_talks", args=[followup.pk])).status_code == 200
