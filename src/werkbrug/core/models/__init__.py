from .access_log import AccessLogRecord, AccessLogRetentionCut, AccessLogSeal
from .organisations import Organisation, Region
from .people import DemoLoad, RoleAssignment, User

__all__ = [
    "AccessLogRecord",
    "AccessLogRetentionCut",
    "AccessLogSeal",
    "DemoLoad",
    "Organisation",
    "Region",
    "RoleAssignment",
    "User",
]
