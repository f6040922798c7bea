from reporting.models.budget import BudgetLine, Expense, ExpenseChange, ExpenseChangeKind
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
from reporting.models.proposals import OutcomeProposal, ProposalStatus
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
    "ExpenseChange",
    "ExpenseChangeKind",
    "FollowUp",
    "FollowUpKind",
    "FollowUpReminder",
    "IndicatorTarget",
    "OutcomeEvent",
    "OutcomeProposal",
    "Participation",
    "ParticipantUpload",
    "ParticipationAmendment",
    "ProjectRules",
    "ProposalStatus",
    "ReportKind",
    "ReportRun",
    "ReportStatus",
    "ReportSubmission",
    "Support",
    "SupportSource",
]
