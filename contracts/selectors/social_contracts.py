"""Read queries for social contracts, scoped to the user; constant number of queries."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from contracts.access import contracts_visible_to
from contracts.models import RUNNING_STATUSES, ContractAction, ContractEvaluation, ContractEvent, SocialContract
from contracts.services.social_contracts import REMINDER_DAYS_AHEAD


def contract_list(user):
    return (
        contracts_visible_to(user)
        .select_related("family", "person", "social_worker", "institution")
        .annotate(
            open_evaluations=Count("evaluations", filter=Q(evaluations__held_on__isnull=True), distinct=True),
        )
        .order_by("-concluded_on", "-pk")
    )


def contract_detail_qs(user):
    return (
        contracts_visible_to(user)
        .select_related("family", "person", "social_worker", "institution", "created_by")
        .prefetch_related(
            "covered_members",
            "goals",
            "evaluations__held_by",
            "amendments__by",
            Prefetch("actions", queryset=ContractAction.objects.select_related("owner_person", "owner_institution")),
            Prefetch("events", queryset=ContractEvent.objects.select_related("by")),
        )
    )


@dataclass(frozen=True)
class Reminder:
    due_on: dt.date
    kind: str  # "evaluation" | "action"
    text: str
    contract: SocialContract
    overdue: bool


def reminders_for(user, *, today: dt.date, days_ahead: int = REMINDER_DAYS_AHEAD * 2) -> list[Reminder]:
    """Evaluation dates and action deadlines of the user's running contracts, due within
    `days_ahead` days or overdue, soonest first. Two queries."""
    horizon = today + dt.timedelta(days=days_ahead)
    base = Q(contract__social_worker=user, contract__status__in=RUNNING_STATUSES)
    evaluations = ContractEvaluation.objects.filter(base, held_on__isnull=True, due_on__lte=horizon).select_related(
        "contract__person"
    )
    actions = ContractAction.objects.filter(base, done_on__isnull=True, deadline__lte=horizon).select_related(
        "contract__person", "owner_person", "owner_institution"
    )
    items = [Reminder(e.due_on, "evaluation", "", e.contract, e.due_on < today) for e in evaluations] + [
        Reminder(a.deadline, "action", f"{a.description} ({a.owner_label})", a.contract, a.deadline < today)
        for a in actions
    ]
    return sorted(items, key=lambda r: (r.due_on, r.kind, r.contract.pk))
