from reporting.models.budget import BudgetLine, Expense
from reporting.models.followups import FollowUp, FollowUpKind, FollowUpReminder
from reporting.models.participation import (
    IndicatorTarget,
    OutcomeEvent,
    Participation,
    ParticipationAmendment,
)

__all__ = [
    "BudgetLine",
    "Expense",
    "FollowUp",
    "FollowUpKind",
    "FollowUpReminder",
    "IndicatorTarget",
    "OutcomeEvent",
    "Participation",
    "ParticipationAmendment",
]
