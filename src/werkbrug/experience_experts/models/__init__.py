from .choices import CLIENT_CONTACT_KINDS, DeploymentKind, Setting
from .deployments import Deployment, DeploymentStatus
from .profiles import Absence, CoordinatorAssignment, ExpertProfile, LivedExperienceDomain
from .registrations import DeploymentVersion, VersionChange
from .requests import ClientWish, DeploymentRequest, OfferOutcome, RequestOffer, RequestStatus
from .support_groups import (
    DEFAULT_MEETINGS,
    DEFAULT_THEMES,
    Attendance,
    SupportGroup,
    SupportGroupMeeting,
    SupportGroupParticipant,
)
from .wellbeing import CheckIn, ExpertSignal, SignalKind

__all__ = [
    "CLIENT_CONTACT_KINDS", "DEFAULT_MEETINGS", "DEFAULT_THEMES", "Absence", "Attendance", "CheckIn", "ClientWish", "CoordinatorAssignment",
    "Deployment", "DeploymentKind", "DeploymentVersion", "VersionChange", "DeploymentRequest", "DeploymentStatus", "ExpertProfile", "ExpertSignal",
    "LivedExperienceDomain", "OfferOutcome", "RequestOffer", "RequestStatus", "Setting", "SignalKind",
    "SupportGroup", "SupportGroupMeeting", "SupportGroupParticipant",
]
