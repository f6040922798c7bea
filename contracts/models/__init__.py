from contracts.models.referrals import Referral, ReferralEvent, ReferralStatus

__all__ = ["Referral", "ReferralEvent", "ReferralStatus"]
