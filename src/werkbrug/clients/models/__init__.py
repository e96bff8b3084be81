from .clients import Benefit, Client, ClientStatus
from .consent import (
    ConsentDisplayState,
    ConsentEvent,
    ConsentMethod,
    ConsentState,
    current_consent_q,
    current_consent_sql,
)

__all__ = [
    "Benefit",
    "Client",
    "ClientStatus",
    "ConsentDisplayState",
    "ConsentEvent",
    "ConsentMethod",
    "ConsentState",
    "current_consent_q",
    "current_consent_sql",
]
