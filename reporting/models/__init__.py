from reporting.models.budget import BudgetLine, Expense
from reporting.models.participation import (
    IndicatorTarget,
    OutcomeEvent,
    Participation,
    ParticipationAmendment,
)

__all__ = [
    "BudgetLine",
    "Expense",
    "IndicatorTarget",
    "OutcomeEvent",
    "Participation",
    "ParticipationAmendment",
]
