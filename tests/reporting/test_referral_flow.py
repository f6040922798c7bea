"""Issue 13 items 1–2: a referral's attendance becomes a support of the participation, its outcome a
proposal the manager confirms; only confirmed outcomes reach the indicators and the SL2014 export."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from contracts.models import ReferralAttendance, ReferralStatus
from contracts.services import referrals as rs
from core.errors import DomainError
from reporting.codes import EmploymentForm, Indicator, OutcomeKind
from reporting.importing import layout
from reporting.models import OutcomeEvent, OutcomeProposal, ParticipationAmendment, ProposalStatus, Support
from reporting.selectors.indicators import project_indicators
from reporting.services import referral_flow as flow
from reporting.services.import_export import export_rows
from support_network.models import Module
from tests.contracts import referral_factories as fixtures
from tests.reporting.factories_indicators import ParticipationFactory

# fixtures shared with the referral tests
family = fixtures.family
person = fixtures.person
workshop = fixtures.workshop

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2018, 9, 1, 12, 0)


@pytest.fixture(autouse=True)
def _in_2018():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def participation(project, person):
    return ParticipationFactory(project=project, person=person, start_date=dt.date(2018, 3, 1),
                                end_date=dt.date(2018, 6, 30))  # fmt: skip


def _accepted(person, service, social_worker, partner):
    referral = rs.referral_create(person=person, service=service, by=social_worker, reason="aktywizacja")
    rs.referral_send(referral=referral, by=social_worker)
    return rs.referral_accept(referral=referral, by=partner)


def _attend(referral, partner, *days):
    for day in days:
        rs.referral_record_attendance(referral=referral, by=partner, held_on=day, hours=Decimal(4))


def _employment(referral, partner, start=dt.date(2018, 6, 15), **extra):
    return rs.referral_record_outcome(
        referral=referral, by=partner, completed=True, employed=True, employer="Firma", employment_start=start,
        employment_form=EmploymentForm.CONTRACT, employment_fte=Decimal("1.00"), employment_months=6, **extra,
    )  # fmt: skip


def _employed(project):
    table = project_indicators(project, date_from=dt.date(2018, 1, 1), date_to=dt.date(2019, 12, 31),
                               as_of=dt.date(2025, 1, 1))  # fmt: skip
    return table.get(Indicator.RES_EMPLOYED).column("cumulative").total


def _row(project, person):
    rows = list(export_rows(project))
    keys = [column.key for column in layout.EXPORT_COLUMNS]
    return dict(zip(keys, rows[1], strict=True))


def test_attendance_makes_one_support_with_the_services_form_and_dates(participation, person, workshop,
                                                                      social_worker, partner):  # fmt: skip
    workshop.sl2014_form, workshop.sl2014_form_detail = "szkolenie/kurs", "warsztaty"
    workshop.save()
    referral = _accepted(person, workshop, social_worker, partner)
    assert not Support.objects.exists()  # accepted, not yet attended: no dates yet
    _attend(referral, partner, dt.date(2018, 4, 10), dt.date(2018, 4, 3), dt.date(2018, 4, 17))
    support = Support.objects.get()
    assert (support.participation, support.referral, support.source) == (participation, referral, "referral")
    assert (support.form, support.form_detail) == ("szkolenie/kurs", "warsztaty")
    assert (support.start_date, support.end_date) == (dt.date(2018, 4, 3), dt.date(2018, 4, 17))
    ReferralAttendance.objects.filter(held_on=dt.date(2018, 4, 17)).delete()
    assert Support.objects.get().end_date == dt.date(2018, 4, 10)
    ReferralAttendance.objects.filter(referral=referral).delete()
    assert not Support.objects.exists()


def test_the_module_gives_the_form_when_the_service_names_none(participation, person, workshop, social_worker,
                                                               partner):  # fmt: skip
    assert workshop.module == Module.EMPLOYMENT and workshop.sl2014_form == ""
    _attend(_accepted(person, workshop, social_worker, partner), partner, dt.date(2018, 4, 3))
    assert Support.objects.get().form == "usługa aktywnej integracji o charakterze zawodowym"


def test_support_outside_the_period_or_without_participation_never_counts(project, person, workshop,
                                                                         social_worker, partner):  # fmt: skip
    referral = _accepted(person, workshop, social_worker, partner)
    _attend(referral, partner, dt.date(2018, 4, 3))
    assert not Support.objects.exists()  # no participation in any project
    project.end_date = dt.date(2018, 3, 31)
    project.save()
    ParticipationFactory(project=project, person=person, start_date=dt.date(2018, 3, 1))
    _attend(referral, partner, dt.date(2018, 4, 1))
    assert not Support.objects.exists()  # the day after the project's end
    _attend(referral, partner, dt.date(2018, 3, 31))  # its last day counts
    assert Support.objects.get().end_date == dt.date(2018, 3, 31)


def test_a_first_support_before_the_start_is_a_pending_change_the_manager_confirms(
    participation, person, workshop, social_worker, partner, manager
):
    referral = _accepted(person, workshop, social_worker, partner)
    _attend(referral, partner, dt.date(2018, 2, 20))
    participation.refresh_from_db()
    assert (participation.start_date, participation.proposed_start_date) == (dt.date(2018, 3, 1), dt.date(2018, 2, 20))
    with pytest.raises(DomainError):
        flow.participation_confirm_start(participation=participation, by=partner)
    flow.participation_confirm_start(participation=participation, by=manager, lock_version=participation.lock_version)
    participation.refresh_from_db()
    assert (participation.start_date, participation.proposed_start_date) == (dt.date(2018, 2, 20), None)
    assert not ParticipationAmendment.objects.exists()  # never reported: no amendment
    with pytest.raises(DomainError):
        flow.participation_confirm_start(participation=participation, by=manager)  # a second click


def test_a_reported_participation_changes_its_start_by_a_logged_amendment(participation, person, workshop,
                                                                         social_worker, partner, manager,
                                                                         monkeypatch):  # fmt: skip
    monkeypatch.setattr(flow, "claims_counting", lambda ids: {participation.pk: ["WNP/1"]})
    _attend(_accepted(person, workshop, social_worker, partner), partner, dt.date(2018, 2, 20))
    type(participation).objects.filter(pk=participation.pk).update(entry_confirmed_at=participation.created_at)
    participation.refresh_from_db()
    flow.participation_confirm_start(participation=participation, by=manager)
    amendment = ParticipationAmendment.objects.get()
    assert (amendment.field, amendment.new_value) == ("start_date", "20.02.2018")


def test_a_start_on_or_after_the_recorded_one_changes_nothing(participation, person, workshop, social_worker,
                                                              partner):  # fmt: skip
    _attend(_accepted(person, workshop, social_worker, partner), partner, dt.date(2018, 3, 1))
    participation.refresh_from_db()
    assert participation.proposed_start_date is None


def test_end_to_end_referral_to_indicator_and_export_row(participation, person, workshop, social_worker, partner,
                                                         manager, project):  # fmt: skip
    referral = _accepted(person, workshop, social_worker, partner)
    _attend(referral, partner, dt.date(2018, 4, 3), dt.date(2018, 4, 10), dt.date(2018, 4, 17))
    before_row = _row(project, person)
    assert before_row[layout.H_SUPPORT_FORM] == "usługa aktywnej integracji o charakterze zawodowym"
    assert before_row[layout.H_SUPPORT_START] == dt.date(2018, 4, 3)
    assert _employed(project) == 0
    _employment(referral, partner)
    proposal = OutcomeProposal.objects.get()
    assert (proposal.status, proposal.kind, proposal.fte, proposal.planned_months) == (
        ProposalStatus.PROPOSED,
        OutcomeKind.EMPLOYMENT,
        Decimal("1.00"),
        6,
    )
    assert proposal.recorded_by == partner and proposal.referral == referral
    assert _employed(project) == 0 and _row(project, person) == before_row  # proposed: counts nowhere
    assert flow.outcome_proposals_confirm(ids=[proposal.pk], by=manager) == 1
    event = OutcomeEvent.objects.get()
    assert event.proposal.referral == referral and event.fte == Decimal("1.00") and event.planned_months == 6
    assert _employed(project) == 1
    assert _row(project, person) != before_row
    assert flow.outcome_proposals_confirm(ids=[proposal.pk], by=manager) == 0  # confirmed twice: one event
    assert OutcomeEvent.objects.count() == 1


def test_rejected_outcome_counts_nowhere(participation, person, workshop, social_worker, partner, manager, project):
    referral = _accepted(person, workshop, social_worker, partner)
    _attend(referral, partner, dt.date(2018, 4, 3))
    before_row = _row(project, person)
    _employment(referral, partner)
    flow.outcome_proposals_reject(ids=list(OutcomeProposal.objects.values_list("pk", flat=True)), by=manager)
    assert OutcomeProposal.objects.get().status == ProposalStatus.REJECTED
    assert not OutcomeEvent.objects.exists() and _employed(project) == 0 and _row(project, person) == before_row


def test_only_the_projects_manager_decides(participation, person, workshop, social_worker, partner, coordinator):
    referral = _accepted(person, workshop, social_worker, partner)
    _attend(referral, partner, dt.date(2018, 4, 3))
    _employment(referral, partner)
    ids = list(OutcomeProposal.objects.values_list("pk", flat=True))
    for user in (partner, coordinator, social_worker):
        with pytest.raises(DomainError):
            flow.outcome_proposals_confirm(ids=ids, by=user)
    assert not OutcomeEvent.objects.exists()


def test_every_kind_is_proposed_and_several_confirm_at_once(participation, person, workshop, social_worker,
                                                            partner, manager):  # fmt: skip
    referral = _accepted(person, workshop, social_worker, partner)
    _attend(referral, partner, dt.date(2018, 4, 3))
    _employment(
        referral,
        partner,
        qualification_obtained=True,
        qualification_name="spawacz",
        qualification_on=dt.date(2018, 5, 2),
        job_seeking_kind="registered",
        job_seeking_on=dt.date(2018, 5, 3),
        school_started_on=dt.date(2018, 5, 4),
        progress_categories="bc",
        progress_on=dt.date(2018, 5, 5),
    )
    kinds = sorted(OutcomeProposal.objects.values_list("kind", "progress_category"))
    assert kinds == sorted([("employment", ""), ("qualification", ""), ("job_seeking", ""), ("education", ""),
                            ("social_progress", "b"), ("social_progress", "c")])  # fmt: skip
    ids = list(OutcomeProposal.objects.values_list("pk", flat=True))
    assert flow.outcome_proposals_confirm(ids=ids, by=manager) == 6
    assert OutcomeEvent.objects.count() == 6


def test_a_source_edited_after_confirmation_flags_until_confirmed_again(participation, person, workshop,
                                                                       social_worker, partner, manager):  # fmt: skip
    referral = _accepted(person, workshop, social_worker, partner)
    _attend(referral, partner, dt.date(2018, 4, 3))
    _employment(referral, partner)
    proposal = OutcomeProposal.objects.get()
    flow.outcome_proposals_confirm(ids=[proposal.pk], by=manager)
    _employment(referral, partner)  # saved again, nothing changed: no flag
    proposal.refresh_from_db()
    assert not proposal.source_changed
    _employment(referral, partner, start=dt.date(2018, 6, 20))
    proposal.refresh_from_db()
    assert proposal.source_changed and OutcomeEvent.objects.get().occurred_on == dt.date(2018, 6, 15)
    flow.outcome_proposals_confirm(ids=[proposal.pk], by=manager)
    proposal.refresh_from_db()
    assert not proposal.source_changed and OutcomeEvent.objects.get().occurred_on == dt.date(2018, 6, 20)


def test_an_outcome_typed_by_hand_first_is_linked_not_doubled(participation, person, workshop, social_worker,
                                                              partner, manager):  # fmt: skip
    OutcomeEvent.objects.create(
        participation=participation,
        kind=OutcomeKind.EMPLOYMENT,
        occurred_on=dt.date(2018, 6, 15),
        employment_form=EmploymentForm.CONTRACT,
    )
    referral = _accepted(person, workshop, social_worker, partner)
    _attend(referral, partner, dt.date(2018, 4, 3))
    _employment(referral, partner)
    flow.outcome_proposals_confirm(ids=list(OutcomeProposal.objects.values_list("pk", flat=True)), by=manager)
    assert OutcomeEvent.objects.get().proposal.referral == referral


def test_dropped_referral_keeps_its_support_rejected_one_has_none(participation, person, workshop, social_worker,
                                                                  partner):  # fmt: skip
    referral = _accepted(person, workshop, social_worker, partner)
    _attend(referral, partner, dt.date(2018, 4, 3))
    rs.referral_drop(referral=referral, by=partner, reason="rezygnacja")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DROPPED and Support.objects.count() == 1


def test_a_person_enrolled_after_the_attendance_gets_the_support_and_the_proposal(project, person, workshop,
                                                                                 social_worker, partner):  # fmt: skip
    referral = _accepted(person, workshop, social_worker, partner)
    _attend(referral, partner, dt.date(2018, 4, 3))
    _employment(referral, partner)
    assert not Support.objects.exists() and not OutcomeProposal.objects.exists()
    participation = ParticipationFactory(project=project, person=person, start_date=dt.date(2018, 4, 3))
    assert Support.objects.get().participation == participation
    assert OutcomeProposal.objects.get().participation == participation
