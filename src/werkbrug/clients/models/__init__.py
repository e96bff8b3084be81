from .clients import Benefit, Client, ClientStatus
from .consent import (
    ConsentDisplayState,
    ConsentEvent,
    ConsentMethod,
    ConsentState,
    current_consent_q,
    current_consent_sql,
)
from .known import ClientMerge, JoinRequest, JoinRequestStatus

__all__ = [
    "Benefit",
    "Client",
    "ClientStatus",
    "ClientMerge",
    "JoinRequest",
    "JoinRequestStatus",
    "ConsentDisplayState",
    "ConsentEvent",
    "ConsentMethod",
    "ConsentState",
    "current_consent_q",
    "current_consent_sql",
]
