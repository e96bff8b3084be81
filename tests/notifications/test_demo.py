"""The demo region has notifications waiting for every persona, and a week of digests."""

import pytest

from werkbrug.core.models import User
from werkbrug.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_every_persona_has_something_waiting_and_a_week_of_digests(demo_region):
    personas = User.objects.filter(region=demo_region, username__startswith="demo.", is_active=True)
    assert personas.count() > 5
    for person in personas:
        if not (person.roles or person.is_client):
            continue
        mine = Notification.objects.filter(recipient=person)
        assert mine.filter(read_at__isnull=True).exists(), person.username
        digest_days = {n.mailed_at.date() for n in mine.filter(mailed_at__isnull=False)}
        assert len(digest_days) >= 7, person.username


def test_the_digest_week_is_of_digest_kinds_and_the_editor_is_asked_to_review(demo_region, client):
    from werkbrug.core.choices import Role
    from werkbrug.knowledge_map.models import Item
    from werkbrug.notifications.demo import _pairs
    from werkbrug.notifications.kinds import INFO, Channel, Kind

    for person in User.objects.filter(region=demo_region, username__startswith="demo.", is_active=True):
        has_digest_kind = any(INFO[kind].default_channel == Channel.DIGEST for kind, _page in _pairs(person))
        mailed = Notification.objects.filter(recipient=person, mailed_at__isnull=False)
        if has_digest_kind:  # a week of digests of kinds people get in the digest
            days = {n.mailed_at.date() for n in mailed if INFO[n.kind].default_channel == Channel.DIGEST}
            assert len(days) >= 7, person.username
    editor = Item.objects.get(region=demo_region, key="kennislunch").owner
    assert editor.has_role(Role.EDITOR)
    notice = Notification.objects.filter(recipient=editor, kind=Kind.KNOWLEDGE_REVIEW, read_at__isnull=True).first()
    assert notice is not None and notice.link == "/knowledge-map/review/"
    client.force_login(editor)
    page = client.get(notice.link).content.decode()
    assert "Kennislunch werk en herstel" in page  # the demo's item past its review date
