from .referrals import Referral, ReferralEvent, ReferralOutcome, ReferralService, ReferralState
from .signals import Signal, SignalCategory, SignalRecipient, Urgency

__all__ = [
    "Referral",
    "ReferralEvent",
    "ReferralOutcome",
    "ReferralService",
    "ReferralState",
    "Signal",
    "SignalCategory",
    "SignalRecipient",
    "Urgency",
]
