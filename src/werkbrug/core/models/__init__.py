from .access_log import AccessLogRecord, AccessLogSeal
from .organisations import Organisation, Region
from .people import DemoLoad, RoleAssignment, User

__all__ = [
    "AccessLogRecord",
    "AccessLogSeal",
    "DemoLoad",
    "Organisation",
    "Region",
    "RoleAssignment",
    "User",
]
