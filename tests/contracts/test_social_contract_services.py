"""Every allowed and refused transition of the kontrakt socjalny (DOMAIN.md §1.4)."""

import datetime as dt

import pytest

from contracts.models import ContractAmendment, ContractEvent, ContractKind, ContractStatus, GoalAchievement
from contracts.services import social_contracts as services
from core.errors import DomainError
from tests.contracts.factories import make_contract

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def ratings(contract, value=GoalAchievement.ACHIEVED):
    return {g.pk: {"achievement": value, "note": "ocena"} for g in contract.goals.all()}


def test_create_writes_a_draft_with_its_parts_and_a_history_record(family, head, social_worker):
    contract = make_contract(family=family, person=head, worker=social_worker, goals=["Cel 1", "Cel 2"])
    assert contract.status == ContractStatus.DRAFT
    assert contract.institution == family.institution and contract.social_worker == social_worker
    assert [g.text for g in contract.goals.all()] == ["Cel 1", "Cel 2"]
    assert contract.actions.count() == 2 and contract.evaluations.count() == 1
    event = contract.events.get()
    assert event.to_status == ContractStatus.DRAFT and event.by == social_worker


def test_parties_must_belong_to_the_family(family, other_family, social_worker):
    stranger = other_family.members.first()
    with pytest.raises(DomainError):
        make_contract(family=family, person=stranger, worker=social_worker)


def test_type_b_keeps_only_the_referred_person(family, head, social_worker):
    other = family.members.exclude(pk=head.pk).first()
    contract = services.contract_create(
        family=family,
        fields={
            "kind": ContractKind.B,
            "person": head,
            "concluded_on": TODAY,
            "period_start": TODAY,
            "period_end": TODAY + dt.timedelta(days=90),
            "causes": "x",
            "main_goal": "Praca",
            "unemployment_causes": "Brak kwalifikacji",
            "pup_referral": "PUP/12/2024",
        },
        covered_members=[other],
        by=social_worker,
    )
    assert contract.covered_members.count() == 0


def test_draft_can_be_edited_and_keeps_row_ids(family, head, social_worker):
    contract = make_contract(family=family, person=head, worker=social_worker, goals=["Stary cel"])
    goal = contract.goals.get()
    services.contract_update(
        contract=contract,
        fields={"person": head, "main_goal": "Nowy cel główny"},
        goals=[{"id": goal.pk, "text": "Poprawiony cel"}, {"id": None, "text": "Dodatkowy cel"}],
        actions=[],
        evaluations=[],
        by=social_worker,
    )
    contract.refresh_from_db()
    assert contract.main_goal == "Nowy cel główny"
    assert list(contract.goals.values_list("pk", "text"))[0] == (goal.pk, "Poprawiony cel")
    assert contract.goals.count() == 2 and contract.actions.count() == 0


def test_signed_contract_cannot_be_edited(family, head, social_worker):
    contract = make_contract(family=family, person=head, worker=social_worker, signed=True)
    with pytest.raises(DomainError) as error:
        services.contract_update(contract=contract, fields={"person": head}, by=social_worker)
    assert error.value.conflict


def test_sign_moves_draft_to_active_with_the_signed_date(family, head, social_worker):
    contract = make_contract(family=family, person=head, worker=social_worker)
    contract = services.contract_sign(contract=contract, signed_on=TODAY, by=social_worker)
    assert contract.status == ContractStatus.ACTIVE and contract.signed_on == TODAY
    assert contract.events.last().from_status == ContractStatus.DRAFT


def test_sign_twice_is_refused_as_a_conflict(family, head, social_worker):
    contract = make_contract(family=family, person=head, worker=social_worker, signed=True)
    with pytest.raises(DomainError) as error:
        services.contract_sign(contract=contract, signed_on=TODAY, by=social_worker)
    assert error.value.conflict


def test_sign_needs_goals_and_a_date_not_in_the_future(family, head, social_worker):
    contract = make_contract(family=family, person=head, worker=social_worker, goals=[])
    with pytest.raises(DomainError):
        services.contract_sign(contract=contract, signed_on=TODAY, by=social_worker)
    contract = make_contract(family=family, person=head, worker=social_worker)
    with pytest.raises(DomainError):
        services.contract_sign(contract=contract, signed_on=TODAY + dt.timedelta(days=1), by=social_worker)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT


def test_refusal_to_sign_is_its_own_terminal_state(family, head, social_worker):
    contract = make_contract(family=family, person=head, worker=social_worker)
    contract = services.contract_refuse(
        contract=contract, refused_on=TODAY, reason="Osoba odmówiła podpisania.", by=social_worker
    )
    assert contract.status == ContractStatus.REFUSED and contract.closed_on == TODAY
    with pytest.raises(DomainError):
        services.contract_sign(contract=contract, signed_on=TODAY, by=social_worker)


def test_refusal_needs_a_reason_and_a_draft(family, head, social_worker):
    contract = make_contract(family=family, person=head, worker=social_worker)
    with pytest.raises(DomainError):
        services.contract_refuse(contract=contract, refused_on=TODAY, reason="  ", by=social_worker)
    services.contract_sign(contract=contract, signed_on=TODAY, by=social_worker)
    with pytest.raises(DomainError) as error:
        services.contract_refuse(contract=contract, refused_on=TODAY, reason="x", by=social_worker)
    assert error.value.conflict


def test_amendment_keeps_the_earlier_text_readable(family, head, social_worker):
    contract = make_contract(family=family, person=head, worker=social_worker, signed=True, goals=["Cel pierwotny"])
    old_end = contract.period_end
    amendment = services.contract_amend(
        contract=contract,
        amended_on=TODAY,
        content="Przedłużenie o 3 miesiące.",
        reason="Choroba klienta",
        new_period_end=old_end + dt.timedelta(days=90),
        new_action={"description": "Konsultacja z lekarzem", "owner": "client", "deadline": TODAY},
        new_evaluation_on=TODAY + dt.timedelta(days=100),
        by=social_worker,
    )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.AMENDED
    assert contract.period_end == old_end + dt.timedelta(days=90)
    assert amendment.previous["period_end"] == old_end.isoformat()
    assert amendment.previous["goals"] == ["Cel pierwotny"]
    assert len(amendment.previous["actions"]) == 2 and contract.actions.count() == 3
    assert contract.evaluations.count() == 2
    second = services.contract_amend(contract=contract, amended_on=TODAY, content="b", reason="c", by=social_worker)
    assert second.number == 2 and contract.events.filter(to_status=ContractStatus.AMENDED).count() == 2


def test_amendments_are_immutable(family, head, social_worker):
    contract = make_contract(family=family, person=head, worker=social_worker, signed=True)
    amendment = services.contract_amend(contract=contract, amended_on=TODAY, content="a", reason="b", by=social_worker)
    amendment.content = "przerobione"
    with pytest.raises(ValueError):
        amendment.save()
    assert ContractAmendment.objects.get().content == "a"


def test_amending_a_draft_or_a_closed_contract_is_refused(family, head, social_worker):
    contract = make_contract(family=family, person=head, worker=social_worker)
    with pytest.raises(DomainError):
        services.contract_amend(contract=contract, amended_on=TODAY, content="a", reason="b", by=social_worker)
    services.contract_sign(contract=contract, signed_on=TODAY, by=social_worker)
    services.contract_close(
        contract=contract,
        status=ContractStatus.COMPLETED_ACHIEVED,
        closed_on=TODAY,
        reason="Cele osiągnięte",
        ratings=ratings(contract),
        by=social_worker,
    )
    with pytest.raises(DomainError):
        services.contract_amend(contract=contract, amended_on=TODAY, content="a", reason="b", by=social_worker)


def test_amendment_needs_content_and_reason(family, head, social_worker):
    contract = make_contract(family=family, person=head, worker=social_worker, signed=True)
    with pytest.raises(DomainError):
        services.contract_amend(contract=contract, amended_on=TODAY, content="", reason="b", by=social_worker)
    assert not contract.amendments.exists()


@pytest.mark.parametrize(
    "status",
    [
        ContractStatus.COMPLETED_PARTIAL,
        ContractStatus.TERMINATED_NONCOMPLIANCE,
        ContractStatus.TERMINATED_CIRCUMSTANCES,
        ContractStatus.TERMINATED_OTHER,
    ],
)
def test_running_contract_closes_with_a_goal_by_goal_rating(family, head, social_worker, status):
    contract = make_contract(family=family, person=head, worker=social_worker, signed=True, goals=["A", "B"])
    goals = list(contract.goals.all())
    services.contract_close(
        contract=contract,
        status=status,
        closed_on=TODAY,
        reason="Powód",
        ratings={goals[0].pk: {"achievement": "partly", "note": "n"}, goals[1].pk: {"achievement": "not_achieved"}},
        by=social_worker,
    )
    contract.refresh_from_db()
    assert contract.status == status and contract.closed_on == TODAY
    assert [g.achievement for g in contract.goals.all()] == ["partly", "not_achieved"]
    event = contract.events.last()
    assert event.to_status == status and event.reason == "Powód" and event.by == social_worker


def test_amended_contract_can_be_completed(family, head, social_worker):
    contract = make_contract(family=family, person=head, worker=social_worker, signed=True)
    services.contract_amend(contract=contract, amended_on=TODAY, content="a", reason="b", by=social_worker)
    services.contract_close(
        contract=contract,
        status=ContractStatus.COMPLETED_ACHIEVED,
        closed_on=TODAY,
        reason="ok",
        ratings=ratings(contract),
        by=social_worker,
    )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.COMPLETED_ACHIEVED


def test_closing_needs_every_goal_rated_and_consistent_with_the_outcome(family, head, social_worker):
    contract = make_contract(family=family, person=head, worker=social_worker, signed=True, goals=["A", "B"])
    with pytest.raises(DomainError):
        services.contract_close(
            contract=contract,
            status=ContractStatus.TERMINATED_OTHER,
            closed_on=TODAY,
            reason="x",
            ratings={},
            by=social_worker,
        )
    with pytest.raises(DomainError):
        services.contract_close(
            contract=contract,
            status=ContractStatus.COMPLETED_ACHIEVED,
            closed_on=TODAY,
            reason="x",
            ratings=ratings(contract, GoalAchievement.PARTLY),
            by=social_worker,
        )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE
    assert set(contract.goals.values_list("achievement", flat=True)) == {""}


@pytest.mark.parametrize("status", [ContractStatus.EXPIRED, ContractStatus.ACTIVE, ContractStatus.DRAFT, "bogus"])
def test_closing_into_a_non_closing_status_or_from_a_draft_is_refused(family, head, social_worker, status):
    contract = make_contract(family=family, person=head, worker=social_worker)
    with pytest.raises(DomainError):
        services.contract_close(
            contract=contract, status=status, closed_on=TODAY, reason="x", ratings=ratings(contract), by=social_worker
        )
    with pytest.raises(DomainError):
        services.contract_close(
            contract=contract,
            status=ContractStatus.TERMINATED_OTHER,
            closed_on=TODAY,
            reason="x",
            ratings=ratings(contract),
            by=social_worker,
        )


def test_closed_contract_cannot_be_closed_again(family, head, social_worker):
    contract = make_contract(family=family, person=head, worker=social_worker, signed=True)
    services.contract_close(
        contract=contract,
        status=ContractStatus.TERMINATED_OTHER,
        closed_on=TODAY,
        reason="x",
        ratings=ratings(contract),
        by=social_worker,
    )
    with pytest.raises(DomainError) as error:
        services.contract_close(
            contract=contract,
            status=ContractStatus.TERMINATED_OTHER,
            closed_on=TODAY,
            reason="x",
            ratings=ratings(contract),
            by=social_worker,
        )
    assert error.value.conflict


def test_expiry_happens_only_after_the_grace_days(family, head, social_worker):
    start = dt.date(2024, 1, 10)
    contract = make_contract(
        family=family, person=head, worker=social_worker, today=start, period_end=dt.date(2024, 3, 31)
    )
    services.contract_sign(contract=contract, signed_on=start, by=social_worker)
    last_day = dt.date(2024, 3, 31) + dt.timedelta(days=services.EXPIRY_GRACE_DAYS)
    assert services.contracts_expire_due(today=last_day) == 0
    assert services.contracts_expire_due(today=last_day + dt.timedelta(days=1)) == 1
    contract.refresh_from_db()
    assert contract.status == ContractStatus.EXPIRED
    assert ContractEvent.objects.filter(contract=contract, to_status=ContractStatus.EXPIRED, by=None).count() == 1
    assert services.contracts_expire_due(today=last_day + dt.timedelta(days=2)) == 0


def test_draft_and_closed_contracts_never_expire(family, head, social_worker):
    make_contract(family=family, person=head, worker=social_worker, today=dt.date(2020, 1, 1))
    assert services.contracts_expire_due(today=dt.date(2024, 1, 1)) == 0


def test_evaluation_is_recorded_once_on_a_running_contract(family, head, social_worker):
    contract = make_contract(family=family, person=head, worker=social_worker)
    evaluation = contract.evaluations.get()
    with pytest.raises(DomainError):
        services.evaluation_record(evaluation=evaluation, held_on=TODAY, result="ok", by=social_worker)
    services.contract_sign(contract=contract, signed_on=TODAY, by=social_worker)
    services.evaluation_record(evaluation=evaluation, held_on=TODAY, result="Realizuje zobowiązania", by=social_worker)
    with pytest.raises(DomainError):
        services.evaluation_record(evaluation=evaluation, held_on=TODAY, result="ponownie", by=social_worker)
    evaluation.refresh_from_db()
    assert evaluation.result == "Realizuje zobowiązania" and evaluation.held_by == social_worker


def test_action_is_marked_done_once(family, head, social_worker):
    contract = make_contract(family=family, person=head, worker=social_worker, signed=True)
    action = contract.actions.first()
    services.action_mark_done(action=action, done_on=TODAY, by=social_worker)
    with pytest.raises(DomainError):
        services.action_mark_done(action=action, done_on=TODAY, by=social_worker)


# --- the acting user: only the family's social worker writes its contract ---------------------


def test_a_user_outside_the_caseload_cannot_write_the_contract(family, head, social_worker, other_worker, coordinator):
    with pytest.raises(DomainError):
        make_contract(family=family, person=head, worker=coordinator)
    contract = make_contract(family=family, person=head, worker=social_worker)
    for outsider in (other_worker, coordinator):
        with pytest.raises(DomainError) as exc:
            services.contract_sign(contract=contract, signed_on=TODAY, by=outsider)
        assert not exc.value.conflict and "pracownik socjalny rodziny" in exc.value.message
        with pytest.raises(DomainError):
            services.contract_update(contract=contract, fields={"person": head}, by=outsider)
    contract = services.contract_sign(contract=contract, signed_on=TODAY, by=social_worker)
    with pytest.raises(DomainError):
        services.contract_amend(contract=contract, amended_on=TODAY, content="a", reason="b", by=coordinator)
    with pytest.raises(DomainError):
        services.action_mark_done(action=contract.actions.first(), done_on=TODAY, by=other_worker)
    with pytest.raises(DomainError):
        services.evaluation_record(evaluation=contract.evaluations.first(), held_on=TODAY, result="x", by=coordinator)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE and contract.amendments.count() == 0
