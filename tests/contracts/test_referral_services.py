import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from contracts import tasks as contract_tasks
from contracts.models import ReferralAttendance, ReferralEvent, ReferralEventKind, ReferralStatus
from contracts.models.referrals import PLACE_HOLDING_STATUSES
from contracts.services.referrals import (
    referral_accept,
    referral_complete,
    referral_create,
    referral_delete_draft,
    referral_drop,
    referral_record_attendance,
    referral_record_outcome,
    referral_reject,
    referral_send,
    referral_start,
    referrals_mark_overdue,
)
from core.errors import DomainError
from support_network import selectors as catalogue_selectors
from tests.contracts import referral_factories as fixtures
from tests.families.factories import PersonFactory

S = ReferralStatus

# fixtures shared by the referral tests
family = fixtures.family
other_partner = fixtures.other_partner
other_pup = fixtures.other_pup
person = fixtures.person
workshop = fixtures.workshop


def make(person, service, by, **kwargs):
    return referral_create(person=person, service=service, by=by, reason="Powrót na rynek pracy.", **kwargs)


def statuses(referral):
    return list(referral.events.filter(kind=ReferralEventKind.STATUS).values_list("status", flat=True))


def test_the_full_closed_loop_leaves_a_dated_event_by_whom_for_every_change(person, workshop, social_worker, partner):
    referral = make(person, workshop, social_worker, wished_start=dt.date(2030, 1, 1))
    referral = referral_send(referral=referral, by=social_worker)
    assert referral.status == S.SENT and referral.answer_due is not None
    referral_accept(referral=referral, by=partner, note="Zajęcia od poniedziałku")
    referral_start(referral=referral, by=partner)
    referral_record_attendance(referral=referral, by=partner, held_on=timezone.localdate(), hours=Decimal("12"))
    referral = referral_complete(
        referral=referral,
        by=partner,
        outcome={
            "completed": True,
            "employed": True,
            "employer": "Zakład Usług Komunalnych sp. z o.o.",
            "employment_form": "umowa_o_prace",
            "employment_start": dt.date(2026, 12, 1),
        },
    )
    assert referral.status == S.COMPLETED
    assert statuses(referral) == [S.DRAFT, S.SENT, S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED]
    events = list(referral.events.all())
    assert all(e.at is not None for e in events)
    assert [e.by for e in events if e.kind == "status"] == [social_worker, social_worker, partner, partner, partner]
    outcome_event = referral.events.get(kind=ReferralEventKind.OUTCOME)
    assert "Zakład Usług Komunalnych" in outcome_event.note and "01.12.2026" in outcome_event.note
    assert "12 godz." in referral.events.get(kind=ReferralEventKind.ATTENDANCE).note


def test_rejecting_needs_a_reason(person, workshop, social_worker, partner):
    referral = referral_send(referral=make(person, workshop, social_worker), by=social_worker)
    with pytest.raises(DomainError):
        referral_reject(referral=referral, by=partner, reason="   ")
    referral.refresh_from_db()
    assert referral.status == S.SENT
    referral_reject(referral=referral, by=partner, reason="Brak wymaganego wykształcenia.")
    referral.refresh_from_db()
    assert referral.status == S.REJECTED and referral.rejection_reason == "Brak wymaganego wykształcenia."


def test_dropping_needs_a_reason(person, workshop, social_worker, partner):
    referral = referral_send(referral=make(person, workshop, social_worker), by=social_worker)
    referral_accept(referral=referral, by=partner)
    with pytest.raises(DomainError):
        referral_drop(referral=referral, by=partner, reason="")
    referral_drop(referral=referral, by=partner, reason="Nie zgłosiła się na zajęcia.")
    referral.refresh_from_db()
    assert referral.status == S.DROPPED and referral.drop_reason


@pytest.mark.parametrize(
    "action",
    [
        lambda r, u: referral_accept(referral=r, by=u),
        lambda r, u: referral_start(referral=r, by=u),
        lambda r, u: referral_complete(referral=r, by=u),
        lambda r, u: referral_reject(referral=r, by=u, reason="x"),
    ],
)
def test_a_draft_cannot_skip_sending(person, workshop, social_worker, partner, action):
    referral = make(person, workshop, social_worker)
    with pytest.raises(DomainError):
        action(referral, partner)
    referral.refresh_from_db()
    assert referral.status == S.DRAFT
    assert referral.events.count() == 1


def test_a_second_accept_is_a_conflict_and_changes_nothing(person, workshop, social_worker, partner):
    referral = referral_send(referral=make(person, workshop, social_worker), by=social_worker)
    referral_accept(referral=referral, by=partner)
    with pytest.raises(DomainError) as exc:
        referral_accept(referral=referral, by=partner)
    assert exc.value.conflict
    assert statuses(referral).count(S.ACCEPTED) == 1


def test_create_with_the_same_key_returns_the_first_referral(person, workshop, social_worker):
    first = make(person, workshop, social_worker, key="a" * 32)
    second = make(person, workshop, social_worker, key="a" * 32)
    assert first.pk == second.pk
    assert person.referrals.count() == 1


def test_attendance_with_the_same_key_is_recorded_once(person, workshop, social_worker, partner):
    referral = referral_send(referral=make(person, workshop, social_worker), by=social_worker)
    referral_accept(referral=referral, by=partner)
    today = timezone.localdate()
    for _ in range(2):
        referral_record_attendance(referral=referral, by=partner, held_on=today, hours=Decimal("6"), key="b" * 32)
    assert ReferralAttendance.objects.filter(referral=referral).count() == 1
    referral.refresh_from_db()
    assert referral.status == S.IN_PROGRESS  # the first attendance starts an accepted referral


def test_attendance_in_the_future_is_refused(person, workshop, social_worker, partner):
    referral = referral_send(referral=make(person, workshop, social_worker), by=social_worker)
    referral_accept(referral=referral, by=partner)
    with pytest.raises(DomainError):
        referral_record_attendance(
            referral=referral, by=partner, held_on=timezone.localdate() + dt.timedelta(days=1), hours=2
        )


def test_employment_outcome_needs_employer_form_and_start(person, workshop, social_worker, partner):
    referral = referral_send(referral=make(person, workshop, social_worker), by=social_worker)
    referral_accept(referral=referral, by=partner)
    referral_start(referral=referral, by=partner)
    with pytest.raises(DomainError):
        referral_record_outcome(referral=referral, by=partner, completed=True, employed=True, employer="X")
    outcome = referral_record_outcome(
        referral=referral,
        by=partner,
        completed=True,
        qualification_obtained=True,
        qualification_name="Operator wózków widłowych",
        qualification_on=dt.date(2026, 11, 20),
    )
    assert outcome.qualification_on == dt.date(2026, 11, 20)


# --- capacity ----------------------------------------------------------------------------------


def test_a_full_service_puts_the_referral_on_the_waiting_list_with_its_position(
    family, workshop, social_worker, partner
):
    workshop.capacity = 2
    workshop.save()
    people = [PersonFactory(family=family) for _ in range(4)]
    sent = [referral_send(referral=make(p, workshop, social_worker), by=social_worker) for p in people]
    assert [r.status for r in sent] == [S.SENT, S.SENT, S.WAITING, S.WAITING]
    from contracts.selectors.referrals import referral_rows

    rows = {r.pk: r for r in referral_rows(person_referrals(sent))}
    assert rows[sent[2].pk].waiting_position == 1
    assert rows[sent[3].pk].waiting_position == 2
    # no overbooking: the catalogue shows no free place
    service = catalogue_selectors.catalogue().get(pk=workshop.pk)
    assert (service.places_free, service.places_reserved, service.waiting) == (0, 2, 2)


def person_referrals(referrals):
    from contracts.models import Referral

    return Referral.objects.filter(pk__in=[r.pk for r in referrals])


@pytest.mark.parametrize("free_it", ["reject", "drop", "complete"])
def test_a_freed_place_sends_the_first_waiting_referral(family, workshop, social_worker, partner, free_it):
    workshop.capacity = 1
    workshop.save()
    first, second, third = (
        referral_send(referral=make(PersonFactory(family=family), workshop, social_worker), by=social_worker)
        for _ in range(3)
    )
    assert (second.status, third.status) == (S.WAITING, S.WAITING)
    if free_it == "reject":
        referral_reject(referral=first, by=partner, reason="Nie spełnia warunków.")
    else:
        referral_accept(referral=first, by=partner)
        referral_start(referral=first, by=partner)
        if free_it == "drop":
            referral_drop(referral=first, by=partner, reason="Rezygnacja.")
        else:
            referral_complete(referral=first, by=partner)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == S.SENT and second.answer_due is not None
    assert third.status == S.WAITING
    promoted = second.events.filter(status=S.SENT).get()
    assert promoted.by is None and "listy rezerwowej" in promoted.note


def test_catalogue_and_service_agree_on_which_statuses_hold_a_place():
    assert set(catalogue_selectors.IN_USE_STATUSES) | set(catalogue_selectors.RESERVED_STATUSES) == set(
        PLACE_HOLDING_STATUSES
    )
    assert catalogue_selectors.WAITING_STATUS == S.WAITING


def test_an_inactive_service_cannot_be_sent_to(person, workshop, social_worker):
    referral = make(person, workshop, social_worker)
    workshop.is_active = False
    workshop.save()
    with pytest.raises(DomainError):
        referral_send(referral=referral, by=social_worker)


# --- overdue -----------------------------------------------------------------------------------


def sent_on(day: dt.datetime, person, service, by):
    with time_machine.travel(day, tick=False):
        return referral_send(referral=make(person, service, by), by=by)


WARSAW = dt.timezone(dt.timedelta(hours=1))


def test_no_answer_within_five_working_days_is_overdue_only_from_the_sixth(person, workshop, social_worker):
    # sent on Friday 20.11.2026: the 5th working day is Friday 27.11; from the day after it is overdue
    referral = sent_on(dt.datetime(2026, 11, 20, 10, tzinfo=WARSAW), person, workshop, social_worker)
    assert referral.answer_due == dt.date(2026, 11, 27)
    with time_machine.travel(dt.datetime(2026, 11, 27, 23, tzinfo=WARSAW), tick=False):
        assert referrals_mark_overdue() == []
        assert not referral.is_overdue
    with time_machine.travel(dt.datetime(2026, 11, 28, 6, 30, tzinfo=WARSAW), tick=False):
        assert referral.is_overdue
        assert referrals_mark_overdue() == [referral.pk]
    referral.refresh_from_db()
    assert referral.overdue_at is not None


def test_a_public_holiday_moves_the_answer_date(person, workshop, social_worker):
    # sent Monday 9.11.2026; 11.11 is a holiday -> 5 working days end on Tuesday 17.11
    referral = sent_on(dt.datetime(2026, 11, 9, 10, tzinfo=WARSAW), person, workshop, social_worker)
    assert referral.answer_due == dt.date(2026, 11, 17)
    with time_machine.travel(dt.datetime(2026, 11, 17, 20, tzinfo=WARSAW), tick=False):
        assert referrals_mark_overdue() == []
    with time_machine.travel(dt.datetime(2026, 11, 18, 7, tzinfo=WARSAW), tick=False):
        assert referrals_mark_overdue() == [referral.pk]


def test_the_institution_sets_the_number_of_working_days(person, workshop, social_worker, pup):
    pup.referral_answer_days = 2
    pup.save()
    referral = sent_on(dt.datetime(2026, 11, 20, 10, tzinfo=WARSAW), person, workshop, social_worker)
    assert referral.answer_due == dt.date(2026, 11, 24)


def test_marking_overdue_is_idempotent_and_notifies_the_sender_once(person, workshop, social_worker):
    referral = sent_on(dt.datetime(2026, 11, 2, 10, tzinfo=WARSAW), person, workshop, social_worker)
    with time_machine.travel(dt.datetime(2026, 11, 20, 6, 30, tzinfo=WARSAW), tick=False):
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            assert contract_tasks.referrals_mark_overdue() == [referral.pk]
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert contract_tasks.referrals_mark_overdue() == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [social_worker.email]
    assert f"/umowy/skierowania/{referral.pk}/" in message.body
    assert person.last_name not in message.body and person.pesel not in message.body
    assert referral.events.filter(kind=ReferralEventKind.OVERDUE).count() == 1


def test_the_daily_task_is_scheduled_in_beat(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "contracts.tasks.referrals_mark_overdue" in tasks


def test_an_answered_referral_is_never_overdue(person, workshop, social_worker, partner):
    referral = sent_on(dt.datetime(2026, 11, 2, 10, tzinfo=WARSAW), person, workshop, social_worker)
    referral_accept(referral=referral, by=partner)
    with time_machine.travel(dt.datetime(2026, 11, 20, 6, 30, tzinfo=WARSAW), tick=False):
        assert referrals_mark_overdue() == []


# --- timeline ----------------------------------------------------------------------------------


def test_every_change_shows_on_the_persons_timeline_for_the_social_worker(
    person, workshop, social_worker, partner, django_assert_max_num_queries
):
    from families.timeline import person_timeline

    referral = referral_send(referral=make(person, workshop, social_worker), by=social_worker)
    referral_accept(referral=referral, by=partner)
    from contracts.timeline import referral_entries

    with django_assert_max_num_queries(4):  # this room's provider alone
        list(referral_entries(person=person, user=social_worker))
    entries = [e for e in person_timeline(person, user=social_worker) if e.kind == "referral"]
    assert len(entries) == 3
    assert entries[0].url == f"/umowy/skierowania/{referral.pk}/"
    assert "przyjęte" in entries[0].title and "Warsztaty z poradnictwa zawodowego" in entries[0].title


def test_timeline_of_someone_elses_person_has_no_referral_entries(person, workshop, social_worker, other_worker):
    from families.timeline import person_timeline

    referral_send(referral=make(person, workshop, social_worker), by=social_worker)
    assert [e for e in person_timeline(person, user=other_worker) if e.kind == "referral"] == []


def test_timeline_query_count_does_not_grow_with_referrals(
    family, workshop, social_worker, django_assert_max_num_queries
):
    from families.timeline import family_timeline

    for _ in range(15):
        referral_send(referral=make(PersonFactory(family=family), workshop, social_worker), by=social_worker)
    from contracts.timeline import referral_entries

    with django_assert_max_num_queries(4):  # this room's provider alone, whatever the number of referrals
        list(referral_entries(family=family, user=social_worker))
    entries = family_timeline(family, user=social_worker)
    assert len([e for e in entries if e.kind == "referral"]) == 30
    assert ReferralEvent.objects.count() == 30


# --- the acting user: services refuse who may not act (the rule lives in the service) -------


def test_only_caseworkers_write_referrals(person, workshop, partner, coordinator):
    for outsider in (partner, coordinator):
        with pytest.raises(DomainError) as exc:
            make(person, workshop, outsider)
        assert not exc.value.conflict and "Skierowania wystawiają" in exc.value.message


def test_the_partner_cannot_send_and_the_sender_cannot_answer(person, workshop, social_worker, partner):
    draft = make(person, workshop, social_worker)
    with pytest.raises(DomainError) as exc:
        referral_send(referral=draft, by=partner)
    assert not exc.value.conflict
    referral = referral_send(referral=draft, by=social_worker)
    for answer in (referral_accept, referral_start):
        with pytest.raises(DomainError) as exc:
            answer(referral=referral, by=social_worker)
        assert "instytucja, do której je wysłano" in exc.value.message
    referral.refresh_from_db()
    assert referral.status == S.SENT and statuses(referral) == [S.DRAFT, S.SENT]


def test_another_institution_cannot_answer_record_or_drop(person, workshop, social_worker, partner, other_partner):
    referral = referral_send(referral=make(person, workshop, social_worker), by=social_worker)
    referral_accept(referral=referral, by=partner)
    with pytest.raises(DomainError):
        referral_record_attendance(referral=referral, by=other_partner, held_on=timezone.localdate(), hours=2)
    with pytest.raises(DomainError):
        referral_drop(referral=referral, by=other_partner, reason="Rezygnacja.")
    referral.refresh_from_db()
    assert referral.status == S.ACCEPTED and not referral.attendances.exists()


def test_a_worker_of_another_mops_cannot_refer_someone_elses_person(person, workshop, other_worker):
    with pytest.raises(DomainError) as exc:
        make(person, workshop, other_worker)
    assert not exc.value.conflict and "tylko osobę z rodzin" in exc.value.message
    assert not person.referrals.exists()


def test_a_worker_of_another_mops_cannot_send_withdraw_or_discard_the_referral(
    person, workshop, social_worker, other_worker
):
    draft = make(person, workshop, social_worker)
    with pytest.raises(DomainError):
        referral_send(referral=draft, by=other_worker)
    with pytest.raises(DomainError):
        referral_delete_draft(referral=draft, by=other_worker)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and statuses(draft) == [S.DRAFT]


def test_referral_key_of_another_user_does_not_return_their_referral(person, workshop, social_worker, colleague):
    """Issue 11, finding 14: the idempotency key is bound to its author."""
    first = make(person, workshop, social_worker, key="c" * 32)
    with pytest.raises(DomainError) as exc:
        make(person, workshop, colleague, key="c" * 32)
    assert not exc.value.conflict  # refused like a malformed key, not replayed
    assert list(person.referrals.values_list("pk", flat=True)) == [first.pk]


def test_attendance_key_of_another_referral_is_refused(person, workshop, social_worker, partner):
    first = referral_send(referral=make(person, workshop, social_worker), by=social_worker)
    second = referral_send(referral=make(person, workshop, social_worker), by=social_worker)
    for referral in (first, second):
        referral_accept(referral=referral, by=partner)
    today = timezone.localdate()
    referral_record_attendance(referral=first, by=partner, held_on=today, hours=Decimal("2"), key="e" * 32)
    with pytest.raises(DomainError):
        referral_record_attendance(referral=second, by=partner, held_on=today, hours=Decimal("2"), key="e" * 32)
    assert not ReferralAttendance.objects.filter(referral=second).exists()
