"""Review dates: every item names the date by which an editor checks it again.

- no date: "none" (shown as a gap for editors to fill);
- the date is today or has passed: "overdue" — the item is flagged on the map and in curation;
- the date falls within the next `SOON_DAYS` days: "soon";
- otherwise: "ok".
"""

from __future__ import annotations

from datetime import date, timedelta

SOON_DAYS = 30


def review_state(review_on: date | None, today: date) -> str:
    if review_on is None:
        return "none"
    if review_on <= today:
        return "overdue"
    if review_on <= today + timedelta(days=SOON_DAYS):
        return "soon"
    return "ok"
