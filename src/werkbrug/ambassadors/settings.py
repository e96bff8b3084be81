"""The region's ambassador settings, stored under `Region.settings["ambassadors"]`."""

from __future__ import annotations

from dataclasses import dataclass

from werkbrug.core.models import Region
from werkbrug.core.office_hours import DEFAULT as DEFAULT_OFFICE
from werkbrug.core.office_hours import OfficeHours, office_hours_for

from .deadlines import DEFAULT_HOURS, Mode

KEY = "ambassadors"


@dataclass(frozen=True)
class AmbassadorSettings:
    deadline_hours: int = DEFAULT_HOURS
    deadline_mode: str = Mode.CALENDAR
    office: OfficeHours = DEFAULT_OFFICE


def for_region(region: Region) -> AmbassadorSettings:
    raw = (region.settings or {}).get(KEY) or {}
    hours = raw.get("deadline_hours", DEFAULT_HOURS)
    mode = raw.get("deadline_mode", Mode.CALENDAR)
    if not isinstance(hours, int) or hours <= 0:
        hours = DEFAULT_HOURS
    if mode not in Mode.__members__.values():
        mode = Mode.CALENDAR
    return AmbassadorSettings(hours, str(mode), office_hours_for(region))
