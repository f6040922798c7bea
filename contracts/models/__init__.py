from contracts.models.referrals import (
    EmploymentForm,
    Referral,
    ReferralAttendance,
    ReferralEvent,
    ReferralEventKind,
    ReferralOutcome,
    ReferralStatus,
)

__all__ = [
    "EmploymentForm",
    "Referral",
    "ReferralAttendance",
    "ReferralEvent",
    "ReferralEventKind",
    "ReferralOutcome",
    "ReferralStatus",
]
