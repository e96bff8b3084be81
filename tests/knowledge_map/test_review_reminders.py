"""Knowledge items due for review: their owner is told once, inside the region's office hours,
with one notice that names no item and links to the owner's list of items to review."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from werkbrug.knowledge_map.tasks import remind_reviews, reviews_remind
from werkbrug.notifications.kinds import Kind
from werkbrug.notifications.models import Notification

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")


def _at(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS)


def _notices(person):
    return list(Notification.objects.filter(recipient=person, kind=Kind.KNOWLEDGE_REVIEW))


def _run(moment: datetime) -> int:
    with time_machine.travel(moment, tick=False):
        return reviews_remind()


def test_an_item_due_on_saturday_is_told_on_monday_at_the_opening_and_only_once(make_item, editor):
    Notification.objects.all().delete()
    with time_machine.travel(_at(2027, 3, 1, 12), tick=False):
        item = make_item("kennislunch", owner=editor, review_on=date(2027, 3, 6))  # a Saturday
    for moment, told in [
        (_at(2027, 3, 5, 16, 30), 0),  # Friday: not due yet
        (_at(2027, 3, 6, 10), 0),  # Saturday, the day it is due: the office is closed
        (_at(2027, 3, 7, 12), 0),  # Sunday
        (_at(2027, 3, 8, 7, 0), 0),  # Monday before the opening (08:30)
        (_at(2027, 3, 8, 8, 30), 1),  # Monday at the opening
        (_at(2027, 3, 8, 9, 0), 0),  # half an hour later: told already
        (_at(2027, 3, 9, 9, 0), 0),  # the next day: nothing new came due
    ]:
        assert _run(moment) == told, moment
    [notice] = _notices(editor)
    assert notice.link == reverse("knowledge_map:review")
    assert notice.title == "Kennisitems toe aan herziening"
    assert item.title not in notice.title
    assert notice.created_at == _at(2027, 3, 8, 8, 30)


def test_one_notice_per_owner_for_all_their_items(make_item, editor, pro):
    Notification.objects.all().delete()
    with time_machine.travel(_at(2027, 3, 1, 12), tick=False):
        make_item("een", owner=editor, review_on=date(2027, 3, 1))
        make_item("twee", owner=editor, review_on=date(2027, 2, 1))
        make_item("drie", owner=pro, review_on=date(2027, 3, 1))
        make_item("later", owner=pro, review_on=date(2027, 6, 1))  # not yet due
        make_item("zonder", review_on=date(2027, 2, 1))  # nobody owns it
        make_item("concept", owner=editor, review_on=date(2027, 2, 1), status="draft")
    assert _run(_at(2027, 3, 1, 14)) == 2
    assert len(_notices(editor)) == 1 and len(_notices(pro)) == 1


def test_an_item_that_comes_due_later_is_told_again_and_archived_ones_never(make_item, editor):
    from werkbrug.knowledge_map.services import item_transition

    Notification.objects.all().delete()
    with time_machine.travel(_at(2027, 3, 1, 12), tick=False):
        make_item("een", owner=editor, review_on=date(2027, 3, 1))
        make_item("twee", owner=editor, review_on=date(2027, 3, 3))
        archived = make_item("oud", owner=editor, review_on=date(2027, 3, 2))
        item_transition(item=archived, actor=editor, to="archived")
    assert _run(_at(2027, 3, 1, 9)) == 1
    Notification.objects.filter(recipient=editor).update(read_at=_at(2027, 3, 1, 10))
    assert _run(_at(2027, 3, 2, 9)) == 0  # only the archived item came due
    assert _run(_at(2027, 3, 3, 9)) == 1  # "twee" came due
    assert len(_notices(editor)) == 2


@pytest.mark.parametrize(("moment", "told"), [
    (_at(2027, 4, 27, 11), 0),  # King's Day (Tuesday 27 April 2027): no working day
    (_at(2027, 4, 28, 9, 30), 0),  # the region opens at 10:00
    (_at(2027, 4, 28, 10, 0), 1),  # at its opening
    (_at(2027, 4, 28, 17, 30), 0),  # after its closing (17:00)
])
def test_the_regions_own_office_hours_and_holidays(make_item, editor, region, moment, told):
    region.settings = {**(region.settings or {}), "office_hours": {"opens": "10:00", "closes": "17:00"}}
    region.save()
    Notification.objects.all().delete()
    with time_machine.travel(_at(2027, 4, 1, 12), tick=False):
        make_item("een", owner=editor, review_on=date(2027, 4, 26))
    assert _run(moment) == told


def test_the_celery_task_and_the_beat_schedule(make_item, editor):
    from django.conf import settings

    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "werkbrug.knowledge_map.tasks.remind_reviews" in schedule
    Notification.objects.all().delete()
    with time_machine.travel(_at(2027, 3, 1, 12), tick=False):
        make_item("een", owner=editor, review_on=date(2027, 3, 1))
        assert remind_reviews.delay().get() == 1


def test_the_list_shows_only_my_items_due_for_review(make_item, editor, pro, as_user):
    with time_machine.travel(_at(2027, 3, 8, 12), tick=False):
        make_item("mijn-oude", title="Mijn oude item", owner=pro, review_on=date(2027, 3, 1))
        make_item("mijn-nieuwe", title="Mijn nieuwe item", owner=pro, review_on=date(2027, 9, 1))
        make_item("van-eef", title="Item van Eef", owner=editor, review_on=date(2027, 3, 1))
        reviews_remind()
        notice = Notification.objects.get(recipient=pro, kind=Kind.KNOWLEDGE_REVIEW)
        web = as_user(pro)
        opened = web.get(reverse("notifications:open", kwargs={"pk": notice.pk}))
        assert opened.status_code == 302 and opened["Location"] == "/knowledge-map/review/"
        page = web.get(opened["Location"]).content.decode()
    assert "Mijn items om te herzien" in page
    assert "Mijn oude item" in page and "1 maart 2027" in page
    assert "Mijn nieuwe item" not in page and "Item van Eef" not in page
    assert "/knowledge-map/items/" in page and "/edit/" not in page  # not an editor: the item's page


def test_clients_do_not_get_the_list(client_user, as_user):
    assert as_user(client_user).get(reverse("knowledge_map:review")).status_code in (403, 404)


def test_editors_find_their_list_from_the_curation_page(editor, as_user):
    page = as_user(editor).get(reverse("knowledge_map:manage")).content.decode()
    assert f'href="{reverse("knowledge_map:review")}"' in page and "Mijn items om te herzien" in page
