from .clients import Benefit, Client, ClientStatus
from .consent import ConsentEvent, ConsentMethod, ConsentState

__all__ = [
    "Benefit",
    "Client",
    "ClientStatus",
    "ConsentEvent",
    "ConsentMethod",
    "ConsentState",
]
