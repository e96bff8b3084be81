"""Background work of the knowledge map: the layout warmed after a change, and review reminders.

The layout: after every committed change of a region's map (`services._record`) the whole map's
layout is computed into the cache by `warm_layout`, on the `exports` queue (heavy work that must
not hold up the scheduled checks), so the first visitor does not pay for it. One task per burst
of changes: an import of a hundred items queues one.

Review reminders: the owner of a knowledge item is told when its review date comes.

The beat runs `remind_reviews` every half hour; in each region it acts only while the region's
office is open (`core.office_hours`: weekdays, opening hours, Dutch public holidays), so an item
that came due on Saturday is told on Monday at the opening, never at night. Each owner gets one
notice for all their items that came due since they were last told (`Kind.KNOWLEDGE_REVIEW`):
the notice names no item, it links to their list of items to review.
"""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from werkbrug.core import office_hours
from werkbrug.core.models import Region, User
from werkbrug.notifications import selectors as notification_selectors
from werkbrug.notifications import services as notifications
from werkbrug.notifications.kinds import Kind as NotificationKind

from .selectors import map_layout_warm, review_owners

# Set while a warm-up is queued and not yet started: further changes in the meantime queue none
# (the queued task will read them). Expires on its own should a worker lose the task.
WARM_PENDING_KEY = "km-layout-warm-pending:{region_id}"
WARM_PENDING_SECONDS = 600


class _QueueWarmUp:
    """The on-commit callback for one region; equal callbacks are registered once per
    transaction, so a burst of changes (an import) queues one warm-up."""

    def __init__(self, region_id: int) -> None:
        self.region_id = region_id

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _QueueWarmUp) and other.region_id == self.region_id

    def __hash__(self) -> int:
        return hash(self.region_id)

    def __call__(self) -> None:
        # Across transactions (and processes): one queued task until it starts.
        key = WARM_PENDING_KEY.format(region_id=self.region_id)
        if cache.add(key, 1, WARM_PENDING_SECONDS):
            try:
                warm_layout.delay(self.region_id)
            except Exception:
                cache.delete(key)  # not queued: the next change tries again
                raise


def layout_warm_after_commit(region_id: int) -> None:
    """Queue `warm_layout` for the region once the current transaction commits."""
    callback = _QueueWarmUp(region_id)
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(func == callback for _sids, func, _robust in connection.run_on_commit):
        return
    # Robust: the change is committed whatever happens to its warm-up (a broker or cache that is
    # down is logged, not turned into an error for the editor).
    transaction.on_commit(callback, robust=True)


@shared_task(name="werkbrug.knowledge_map.tasks.warm_layout")
def warm_layout(region_id: int) -> int:
    """Compute the region's map layout into the cache; returns the number of items laid out."""
    # Cleared first: a change committed while this runs queues a new warm-up.
    cache.delete(WARM_PENDING_KEY.format(region_id=region_id))
    return len(map_layout_warm(region_id=region_id).boxes)


def _office_open(region: Region, now: datetime) -> bool:
    office = office_hours.office_hours_for(region)
    return office_hours.next_office_moment(now, office) == now


def reviews_remind(*, now: datetime | None = None) -> int:
    """Tell each owner once about their items that came due since they were last told; returns
    how many owners were told."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    link = reverse("knowledge_map:review")
    told = 0
    for region in Region.objects.all():
        if not _office_open(region, now):
            continue
        due = review_owners(region=region, today=today)
        if not due:
            continue
        last = notification_selectors.last_notified(kind=NotificationKind.KNOWLEDGE_REVIEW, recipient_ids=due)
        new = [owner_id for owner_id, items in due.items()
               if owner_id not in last or any(i.review_on > timezone.localdate(last[owner_id]) for i in items)]
        for owner in User.objects.filter(pk__in=new).order_by("pk"):
            told += bool(notifications.notify(recipient=owner, kind=NotificationKind.KNOWLEDGE_REVIEW, link=link))
    return told


@shared_task(name="werkbrug.knowledge_map.tasks.remind_reviews")
def remind_reviews() -> int:
    """Every half hour: owners whose items came due, told inside their region's office hours."""
    return reviews_remind()
