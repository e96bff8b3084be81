"""The client page: the record, its trajectories (newest first, closed ones too), one log record."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from werkbrug.core.models import AccessLogRecord
from werkbrug.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db


def test_client_page_lists_the_trajectories_newest_first(team, client, django_assert_max_num_queries):
    old = Trajectory.objects.create(region=team.client.region, client=team.client, status="closed",
                                    started_on=date(2020, 3, 1), ended_on=date(2021, 1, 1), plan_director=team.jobcoach)
    client.force_login(team.jobcoach)
    c = client
    url = reverse("clients:detail", args=[team.client.pk])
    c.get(url)
    before = AccessLogRecord.objects.count()
    with django_assert_max_num_queries(5):
        page = c.get(url).content.decode()
    assert AccessLogRecord.objects.count() == before + 1
    new_link = f'href="/trajectories/{team.trajectory.pk}/"'
    old_link = f'href="/trajectories/{old.pk}/"'
    assert new_link in page and old_link in page and page.index(new_link) < page.index(old_link)
    assert "1 maart 2020" in page and "Afgesloten" in page and team.client.pseudonym in page


def test_client_page_is_404_for_missing_and_not_allowed(team, client):
    client.force_login(team.outsider)
    c = client
    assert c.get(reverse("clients:detail", args=[team.client.pk])).status_code == 404
    assert c.get(reverse("clients:detail", args=[team.client.pk + 1000])).status_code == 404
