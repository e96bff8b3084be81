"""Within one request, the same granted check is logged once (the view checks first, the service
checks again); outside a request, and for a different action or object, every check is logged."""

from __future__ import annotations

import pytest
from django.http import Http404

from werkbrug.core import context, policy
from werkbrug.core.models import AccessLogRecord


def _in_request(func):
    token = context.granted_checks.set(set())
    try:
        func()
    finally:
        context.granted_checks.reset(token)


def test_the_same_granted_check_in_one_request_is_logged_once(team):
    before = AccessLogRecord.objects.count()

    def request():
        policy.authorize(team.jobcoach, "team.change", team.trajectory)
        policy.authorize(team.jobcoach, "team.change", team.trajectory)  # the service, again
        policy.authorize(team.jobcoach, "trajectory.view", team.trajectory)  # another action
        policy.authorize(team.jobcoach, "client.view", team.client)  # another object

    _in_request(request)
    assert AccessLogRecord.objects.count() - before == 3


def test_outside_a_request_every_check_is_logged(team):
    before = AccessLogRecord.objects.count()
    policy.authorize(team.jobcoach, "team.change", team.trajectory)
    policy.authorize(team.jobcoach, "team.change", team.trajectory)
    assert AccessLogRecord.objects.count() - before == 2


def test_denials_are_always_logged(team):
    before = AccessLogRecord.objects.count()

    def request():
        for _ in range(2):
            with pytest.raises(Http404):
                policy.authorize(team.outsider, "team.change", team.trajectory)

    _in_request(request)
    assert list(AccessLogRecord.objects.filter(pk__gt=0).order_by("-pk").values_list("granted", flat=True)[:2]) == [
        False, False]
    assert AccessLogRecord.objects.count() - before == 2
