from reporting.models.budget import BudgetLine, Expense
from reporting.models.followups import FollowUp, FollowUpKind, FollowUpReminder
from reporting.models.participation import (
    IndicatorTarget,
    OutcomeEvent,
    Participation,
    ParticipationAmendment,
)
from reporting.models.reports import ReportKind, ReportRun, ReportStatus, ReportSubmission
from reporting.models.rules import ProjectRules

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
    "ProjectRules",
    "ReportKind",
    "ReportRun",
    "ReportStatus",
    "ReportSubmission",
]
