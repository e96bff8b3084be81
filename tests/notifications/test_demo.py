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
