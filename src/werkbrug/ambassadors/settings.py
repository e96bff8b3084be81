"""The region's ambassador settings, stored under `Region.settings["ambassadors"]`.

- `deadline_hours`, `deadline_mode`: the answer deadline (see `deadlines.py`);
- `ladder`: the escalation steps in order, any of `stand_in` (the holder's named stand-ins),
  `colleague` (any other ambassador of the organisation present), `coordinator` (the network
  coordinator: `network_coordinator`, a person's id, or else the region's administrators) and
  `manager` (the organisation's managers); default all four in that order;
- `step_hours`: the time between two steps once the deadline has passed (default 8, counted like
  the deadline);
- `nobody_present`: a question to an organisation whose ambassadors are all absent is `refuse`d
  with a message, or routed to the `coordinator` (default).
"""

from __future__ import annotations

from dataclasses import dataclass

from werkbrug.core.models import Region
from werkbrug.core.office_hours import DEFAULT as DEFAULT_OFFICE
from werkbrug.core.office_hours import OfficeHours, office_hours_for

from .deadlines import DEFAULT_HOURS, Mode

KEY = "ambassadors"
LADDER = ("stand_in", "colleague", "coordinator", "manager")
NOBODY_PRESENT = ("refuse", "coordinator")
DEFAULT_STEP_HOURS = 8


@dataclass(frozen=True)
class AmbassadorSettings:
    deadline_hours: int = DEFAULT_HOURS
    deadline_mode: str = Mode.CALENDAR
    office: OfficeHours = DEFAULT_OFFICE
    ladder: tuple[str, ...] = LADDER
    step_hours: int = DEFAULT_STEP_HOURS
    nobody_present: str = "coordinator"
    network_coordinator_id: int | None = None


def for_region(region: Region) -> AmbassadorSettings:
    raw = (region.settings or {}).get(KEY) or {}
    hours = raw.get("deadline_hours", DEFAULT_HOURS)
    mode = raw.get("deadline_mode", Mode.CALENDAR)
    if not isinstance(hours, int) or hours <= 0:
        hours = DEFAULT_HOURS
    if mode not in Mode.__members__.values():
        mode = Mode.CALENDAR
    ladder = raw.get("ladder")
    ladder = tuple(s for s in ladder if s in LADDER) if isinstance(ladder, list) else LADDER
    step = raw.get("step_hours", DEFAULT_STEP_HOURS)
    step = step if isinstance(step, int) and 0 < step <= 24 * 30 else DEFAULT_STEP_HOURS
    nobody = raw.get("nobody_present")
    coordinator = raw.get("network_coordinator")
    return AmbassadorSettings(
        hours, str(mode), office_hours_for(region), ladder, step,
        nobody if nobody in NOBODY_PRESENT else "coordinator",
        coordinator if isinstance(coordinator, int) else None,
    )
