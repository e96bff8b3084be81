"""Review reminders: the owner of a knowledge item is told when its review date comes.

The beat runs `remind_reviews` every half hour; in each region it acts only while the region's
office is open (`core.office_hours`: weekdays, opening hours, Dutch public holidays), so an item
that came due on Saturday is told on Monday at the opening, never at night. Each owner gets one
notice for all their items that came due since they were last told (`Kind.KNOWLEDGE_REVIEW`):
the notice names no item, it links to their list of items to review.
"""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from werkbrug.core import office_hours
from werkbrug.core.models import Region, User
from werkbrug.notifications import selectors as notification_selectors
from werkbrug.notifications import services as notifications
from werkbrug.notifications.kinds import Kind as NotificationKind

from .selectors import review_owners


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
