from reporting.models.budget import BudgetLine, Expense
from reporting.models.followups import FollowUp, FollowUpKind, FollowUpReminder
from reporting.models.participation import (
    IndicatorTarget,
    OutcomeEvent,
    Participation,
    ParticipationAmendment,
)
from reporting.models.placements import (
    ConversationParty,
    ConversationResult,
    FollowUpConversation,
    Placement,
    PlacementKind,
)
from reporting.models.reports import ReportKind, ReportRun, ReportStatus, ReportSubmission
from reporting.models.rules import ProjectRules
from reporting.models.supports import Support, SupportSource
from reporting.models.uploads import ParticipantUpload

__all__ = [
    "BudgetLine",
    "ConversationParty",
    "ConversationResult",
    "FollowUpConversation",
    "Placement",
    "PlacementKind",
    "Expense",
    "FollowUp",
    "FollowUpKind",
    "FollowUpReminder",
    "IndicatorTarget",
    "OutcomeEvent",
    "Participation",
    "ParticipantUpload",
    "ParticipationAmendment",
    "ProjectRules",
    "ReportKind",
    "ReportRun",
    "ReportStatus",
    "ReportSubmission",
    "Support",
    "SupportSource",
]
