"""Writes on social contracts (DOMAIN.md §1.4). Every status change goes through
core.workflow.apply_transition with CONTRACT_TRANSITIONS: atomic, the row locked, who may and the
status checked, saved with update_fields, a ContractEvent written. Illegal transitions raise
DomainError. Every write checks the acting user `by` (contracts.access)."""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contracts.access import can_manage_contract, can_write_contracts_for
from contracts.models import (
    COMPLETED_STATUSES,
    RUNNING_STATUSES,
    TERMINATED_STATUSES,
    ContractAction,
    ContractAmendment,
    ContractEvaluation,
    ContractEvent,
    ContractKind,
    ContractStatus,
    GoalAchievement,
    SocialContract,
)
from contracts.models.social_contracts import CANNOT_MANAGE, CONTRACT_FIELDS, CONTRACT_TRANSITIONS
from contracts.services._rows import mark_done, sync_children
from core.errors import DomainError, full_clean_or_error
from core.locking import claim_version
from core.workflow import apply_transition
from support_network.registers import NumberKind, next_number

logger = logging.getLogger(__name__)


GOAL_FIELDS = ["text"]
ACTION_FIELDS = ["description", "owner", "owner_person", "owner_institution", "deadline"]
EVALUATION_FIELDS = ["due_on"]

# Reminders: evaluation dates and action deadlines this many days ahead (and overdue ones).
REMINDER_DAYS_AHEAD = 7
# A running contract whose period ended this many days ago without completion expires.
EXPIRY_GRACE_DAYS = 30


def _event(contract, *, from_status, on, by, reason="") -> ContractEvent:
    return ContractEvent.objects.create(
        contract=contract, from_status=from_status, to_status=contract.status, on=on, by=by, reason=reason
    )


def _locked(contract) -> SocialContract:
    return SocialContract.objects.select_for_update().get(pk=contract.pk)


def _require_manager(by, contract) -> None:
    if by is None or not can_manage_contract(by, contract):
        raise DomainError(CANNOT_MANAGE)


def _transition(contract, action: str, *, by, on, reason, values=None, prepare=None) -> SocialContract:
    """Apply CONTRACT_TRANSITIONS[action]; the ContractEvent is dated `on`."""

    def record(row, previous) -> None:
        _event(row, from_status=previous, on=on, by=by, reason=reason)

    return apply_transition(contract, CONTRACT_TRANSITIONS, action, by=by, values=values, prepare=prepare, event=record)


def _set_children(contract, *, covered_members, goals, actions, evaluations) -> None:
    members = [m for m in covered_members if m.pk != contract.person_id]
    contract.covered_members.set(members)
    sync_children(contract, "goals", goals, GOAL_FIELDS)
    sync_children(contract, "actions", actions, ACTION_FIELDS)
    sync_children(contract, "evaluations", evaluations, EVALUATION_FIELDS)


def _check_parties(*, family, person, covered_members) -> None:
    if person.family_id != family.pk or any(m.family_id != family.pk for m in covered_members):
        raise DomainError(_("Strony kontraktu muszą być członkami tej rodziny."))


@transaction.atomic
def contract_create(
    *, family, fields: dict, covered_members=(), goals=(), actions=(), evaluations=(), by, number: str = ""
) -> SocialContract:
    """A draft contract of `family` written by the social worker `by` (who becomes its worker).
    `number` only for a contract carried over from the paper register; otherwise the OPS register
    gives it one when it is signed."""
    if not can_write_contracts_for(by, family):
        raise DomainError(_("Kontrakt socjalny z tą rodziną zawiera jej pracownik socjalny."))
    covered_members = list(covered_members)
    _check_parties(family=family, person=fields["person"], covered_members=covered_members)
    if fields.get("kind") == ContractKind.B:
        covered_members = []
    contract = SocialContract(
        family=family,
        institution_id=family.institution_id,
        social_worker=by,
        created_by=by,
        number=number,
        **{name: fields[name] for name in CONTRACT_FIELDS if name in fields},
    )
    full_clean_or_error(contract, exclude=["institution", "family", "social_worker", "created_by"])
    contract.save()
    _set_children(contract, covered_members=covered_members, goals=goals, actions=actions, evaluations=evaluations)
    _event(contract, from_status="", on=timezone.localdate(), by=by, reason=_("Utworzono projekt kontraktu."))
    logger.info("contract %s created by user %s", contract.pk, by.pk)
    return contract


@transaction.atomic
def contract_update(
    *, contract, fields: dict, covered_members=(), goals=(), actions=(), evaluations=(), by, lock_version=None
) -> SocialContract:
    """Edit a draft read at `lock_version`. A signed contract changes only through an amendment (aneks)."""
    contract = _locked(contract)
    _require_manager(by, contract)
    if contract.status != ContractStatus.DRAFT:
        raise DomainError(_("Zawartego kontraktu nie edytuje się – zmiany wprowadza aneks."), conflict=True)
    claim_version(contract, lock_version)
    covered_members = list(covered_members)
    _check_parties(family=contract.family, person=fields["person"], covered_members=covered_members)
    if fields.get("kind") == ContractKind.B:
        covered_members = []
    changed = []
    for name in CONTRACT_FIELDS:
        if name in fields and getattr(contract, name) != fields[name]:
            setattr(contract, name, fields[name])
            changed.append(name)
    full_clean_or_error(contract, exclude=["institution", "family", "social_worker", "created_by"])
    if changed:
        contract.save(update_fields=[*changed, "updated_at"])
    _set_children(contract, covered_members=covered_members, goals=goals, actions=actions, evaluations=evaluations)
    return contract


def _register_number(contract, year: int) -> str:
    """The contract's number from the OPS register, given when it is signed (a draft or a refused
    contract has none: the register of concluded contracts has no gaps)."""
    return next_number(
        institution_id=contract.institution_id,
        kind=NumberKind.CONTRACT,
        year=year,
        taken=lambda n: SocialContract.objects.filter(institution_id=contract.institution_id, number=n).exists(),
    )


def contract_sign(*, contract, signed_on: dt.date, by) -> SocialContract:
    """draft → active: the date written on the signed paper is entered after signing."""

    def signable(row) -> dict:
        if signed_on > timezone.localdate():
            raise DomainError(_("Data podpisania nie może być w przyszłości."))
        if signed_on < row.concluded_on - dt.timedelta(days=31):
            raise DomainError(_("Data podpisania jest dużo wcześniejsza niż data zawarcia kontraktu."))
        if not row.goals.exists():
            raise DomainError(_("Kontrakt bez celów szczegółowych nie może zostać podpisany."))
        if not row.actions.exists():
            raise DomainError(_("Kontrakt bez działań i terminów nie może zostać podpisany."))
        return {"signed_on": signed_on, "number": row.number or _register_number(row, signed_on.year)}

    return _transition(
        contract, "sign", by=by, on=signed_on, reason=_("Kontrakt podpisany przez strony."), prepare=signable
    )


def contract_refuse(*, contract, refused_on: dt.date, reason: str, by) -> SocialContract:
    """draft → refused: the person refused to conclude the contract (itself an art. 11 ust. 2 ground)."""

    def refusable(_row) -> dict:
        if not reason.strip():
            raise DomainError(_("Opisz okoliczności odmowy."))
        if refused_on > timezone.localdate():
            raise DomainError(_("Data odmowy nie może być w przyszłości."))
        return {"closed_on": refused_on}

    return _transition(contract, "refuse", by=by, on=refused_on, reason=reason, prepare=refusable)


def contract_text(contract) -> dict:
    """The contract as it reads now (kept in an amendment so the earlier text stays readable)."""
    return {
        "period_start": contract.period_start.isoformat(),
        "period_end": contract.period_end.isoformat(),
        "main_goal": contract.main_goal,
        "goals": [g.text for g in contract.goals.all()],
        "actions": [
            {"description": a.description, "owner": a.owner_label, "deadline": a.deadline.isoformat()}
            for a in contract.actions.select_related("owner_person", "owner_institution")
        ],
        "evaluations": [e.due_on.isoformat() for e in contract.evaluations.all()],
        "evaluation_method": contract.evaluation_method,
    }


def _check_amendment(contract, *, amended_on, content, reason, new_period_end) -> None:
    if not content.strip() or not reason.strip():
        raise DomainError(_("Aneks musi mieć treść i powód zmiany."))
    if amended_on < contract.signed_on:
        raise DomainError(_("Aneks nie może być wcześniejszy niż podpisanie kontraktu."))
    if amended_on > timezone.localdate():
        raise DomainError(_("Data aneksu nie może być w przyszłości."))
    if new_period_end is not None and new_period_end < contract.period_start:
        raise DomainError(_("Nowy koniec okresu nie może być wcześniejszy niż jego początek."))


@transaction.atomic
def contract_amend(
    *,
    contract,
    amended_on: dt.date,
    content: str,
    reason: str,
    new_period_end: dt.date | None = None,
    new_action: dict | None = None,
    new_evaluation_on: dt.date | None = None,
    by,
) -> ContractAmendment:
    """active/amended → amended: an aneks with its date, content and reason; the text before the
    change is stored with it. It may extend the period, add an action or an evaluation date."""
    amendments = []

    def write_amendment(row) -> dict:
        _check_amendment(row, amended_on=amended_on, content=content, reason=reason, new_period_end=new_period_end)
        amendments.append(
            ContractAmendment.objects.create(
                contract=row,
                number=row.amendments.count() + 1,
                amended_on=amended_on,
                content=content,
                reason=reason,
                new_period_end=new_period_end,
                previous=contract_text(row),
                by=by,
            )
        )
        if new_action:
            ContractAction.objects.create(contract=row, order=row.actions.count(), **new_action)
        if new_evaluation_on is not None:
            ContractEvaluation.objects.create(contract=row, due_on=new_evaluation_on)
        return {"period_end": new_period_end} if new_period_end is not None else {}

    def event_reason():
        return _("Aneks nr %(n)s: %(reason)s") % {"n": amendments[0].number, "reason": reason}

    apply_transition(
        contract,
        CONTRACT_TRANSITIONS,
        "amend",
        by=by,
        prepare=write_amendment,
        event=lambda row, previous: _event(row, from_status=previous, on=amended_on, by=by, reason=event_reason()),
    )
    return amendments[0]


def _rate_goals(contract, ratings: dict) -> None:
    goals = list(contract.goals.all())
    missing = [g for g in goals if not ratings.get(g.pk, {}).get("achievement")]
    if missing:
        raise DomainError(_("Oceń osiągnięcie każdego celu szczegółowego."))
    for goal in goals:
        rating = ratings[goal.pk]
        if rating["achievement"] not in GoalAchievement.values:
            raise DomainError(_("Nieznana ocena celu."))
        goal.achievement = rating["achievement"]
        goal.achievement_note = rating.get("note", "")
        goal.save(update_fields=["achievement", "achievement_note"])


@transaction.atomic
def contract_close(*, contract, status: str, closed_on: dt.date, reason: str, ratings: dict, by) -> SocialContract:
    """active/amended → completed_* or terminated_*, with a goal-by-goal achievement rating
    (`ratings`: {goal_id: {"achievement": GoalAchievement, "note": str}})."""
    if status not in (*COMPLETED_STATUSES, *TERMINATED_STATUSES):
        raise DomainError(_("Nieznany sposób zakończenia kontraktu."))

    def rated(row) -> dict:
        if not reason.strip():
            raise DomainError(_("Podaj uzasadnienie zakończenia kontraktu."))
        if closed_on < row.signed_on:
            raise DomainError(_("Data zakończenia nie może być wcześniejsza niż podpisanie kontraktu."))
        if closed_on > timezone.localdate():
            raise DomainError(_("Data zakończenia nie może być w przyszłości."))
        _rate_goals(row, ratings)
        if status == ContractStatus.COMPLETED_ACHIEVED and row.goals.exclude(achievement="achieved").exists():
            raise DomainError(
                _("„Cele osiągnięte” wymaga oceny „osiągnięty” dla każdego celu – wybierz „osiągnięte częściowo”.")
            )
        return {"closed_on": closed_on}

    return _transition(contract, f"close_{status}", by=by, on=closed_on, reason=reason, prepare=rated)


@transaction.atomic
def contract_expire(*, contract, today: dt.date) -> bool:
    """A running contract whose period ended EXPIRY_GRACE_DAYS ago without an evaluation expires.
    Returns False (and changes nothing) when it is not due or someone else closed it first."""
    contract = _locked(contract)
    if contract.status not in RUNNING_STATUSES:
        return False
    if today <= contract.period_end + dt.timedelta(days=EXPIRY_GRACE_DAYS):
        return False
    reason = ngettext(
        "Okres kontraktu upłynął %(days)s dzień temu bez oceny końcowej.",
        "Okres kontraktu upłynął %(days)s dni temu bez oceny końcowej.",
        EXPIRY_GRACE_DAYS,
    ) % {"days": EXPIRY_GRACE_DAYS}
    _transition(contract, "expire", by=None, on=today, reason=reason, values={"closed_on": today})
    return True


@transaction.atomic
def evaluation_record(*, evaluation, held_on: dt.date, result: str, by) -> ContractEvaluation:
    """Record a held evaluation (część II: ocena realizacji)."""
    evaluation = ContractEvaluation.objects.select_for_update().select_related("contract").get(pk=evaluation.pk)
    _require_manager(by, evaluation.contract)
    if evaluation.contract.status not in RUNNING_STATUSES:
        raise DomainError(_("Ocenę zapisuje się tylko dla trwającego kontraktu."), conflict=True)
    if evaluation.held_on is not None:
        raise DomainError(_("Ta ocena została już zapisana."), conflict=True)
    if not result.strip():
        raise DomainError(_("Opisz wynik oceny."))
    if held_on > timezone.localdate():
        raise DomainError(_("Data oceny nie może być w przyszłości."))
    evaluation.held_on = held_on
    evaluation.result = result
    evaluation.held_by = by
    evaluation.save(update_fields=["held_on", "result", "held_by"])
    return evaluation


@transaction.atomic
def action_mark_done(*, action, done_on: dt.date, by) -> ContractAction:
    action = ContractAction.objects.select_for_update().select_related("contract").get(pk=action.pk)
    _require_manager(by, action.contract)
    if action.contract.status not in RUNNING_STATUSES:
        raise DomainError(_("Wykonanie działania zapisuje się tylko w trwającym kontrakcie."), conflict=True)
    return mark_done(action, done_on)


# --- reminders ----------------------------------------------------------------------------------


def reminders_send_due(*, today: dt.date) -> int:
    """E-mail each social worker the evaluation dates and action deadlines of their running
    contracts due within REMINDER_DAYS_AHEAD days (or overdue) not reminded yet. Each item is
    claimed (reminded_at set) in the same transaction as the e-mail is sent, rows locked with
    SKIP LOCKED: a rerun or a concurrent run sends nothing twice. Returns the number of e-mails."""
    horizon = today + dt.timedelta(days=REMINDER_DAYS_AHEAD)
    worker_ids = set(
        ContractEvaluation.objects.filter(
            contract__status__in=RUNNING_STATUSES, held_on__isnull=True, reminded_at__isnull=True, due_on__lte=horizon
        ).values_list("contract__social_worker_id", flat=True)
    ) | set(
        ContractAction.objects.filter(
            contract__status__in=RUNNING_STATUSES, done_on__isnull=True, reminded_at__isnull=True, deadline__lte=horizon
        ).values_list("contract__social_worker_id", flat=True)
    )
    sent = 0
    for worker_id in sorted(worker_ids):
        if _remind_worker(worker_id=worker_id, today=today, horizon=horizon):
            sent += 1
    return sent


@transaction.atomic
def _remind_worker(*, worker_id: int, today: dt.date, horizon: dt.date) -> bool:
    evaluations = list(
        ContractEvaluation.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            contract__social_worker_id=worker_id,
            contract__status__in=RUNNING_STATUSES,
            held_on__isnull=True,
            reminded_at__isnull=True,
            due_on__lte=horizon,
        )
        .select_related("contract", "contract__social_worker")
        .order_by("due_on", "pk")
    )
    actions = list(
        ContractAction.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            contract__social_worker_id=worker_id,
            contract__status__in=RUNNING_STATUSES,
            done_on__isnull=True,
            reminded_at__isnull=True,
            deadline__lte=horizon,
        )
        .select_related("contract", "contract__social_worker")
        .order_by("deadline", "pk")
    )
    if not evaluations and not actions:
        return False
    worker = (evaluations[0] if evaluations else actions[0]).contract.social_worker
    now = timezone.now()
    ContractEvaluation.objects.filter(pk__in=[e.pk for e in evaluations]).update(reminded_at=now)
    ContractAction.objects.filter(pk__in=[a.pk for a in actions]).update(reminded_at=now)
    if not worker.email:
        logger.warning("reminders for user %s not e-mailed: no address", worker_id)
        return False
    context = {"worker": worker, "evaluations": evaluations, "actions": actions, "today": today}
    send_mail(
        subject=_("Przypomnienie: terminy w kontraktach socjalnych"),
        message=render_to_string("contracts/email/reminders.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[worker.email],
    )
    logger.info("reminder e-mail sent to user %s (%s items)", worker_id, len(evaluations) + len(actions))
    return True


def contracts_expire_due(*, today: dt.date) -> int:
    """Expire running contracts past their period plus the grace days (daily task)."""
    due = SocialContract.objects.filter(
        status__in=RUNNING_STATUSES, period_end__lt=today - dt.timedelta(days=EXPIRY_GRACE_DAYS)
    ).values_list("pk", flat=True)
    return sum(contract_expire(contract=SocialContract(pk=pk), today=today) for pk in list(due))
