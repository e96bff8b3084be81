from .events import AdministrationEvent, EventAction
from .identities import OIDCIdentity

__all__ = ["AdministrationEvent", "EventAction", "OIDCIdentity"]
