"""Review dates: every item names the date by which an editor checks it again.

- no date: "none" (shown as a gap for editors to fill);
- the date is today or has passed: "overdue" — the item is flagged on the map and in curation;
- the date falls within the next `SOON_DAYS` days: "soon";
- otherwise: "ok".

An item is *due for review* when its state is "overdue" (`due_for_review`, the same rule as a
query). Its owner is told once, on the first office moment (the region's office hours) after an
item of theirs came due: one notice per owner, without the items' titles, linking to their list
of items to review (`knowledge_map.tasks`).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q

SOON_DAYS = 30


def review_state(review_on: date | None, today: date) -> str:
    if review_on is None:
        return "none"
    if review_on <= today:
        return "overdue"
    if review_on <= today + timedelta(days=SOON_DAYS):
        return "soon"
    return "ok"


def due_for_review(today: date) -> Q:
    """The items whose `review_state` is "overdue" on `today`, as a query."""
    return Q(review_on__isnull=False, review_on__lte=today)
