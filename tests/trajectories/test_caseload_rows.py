"""The caseload table's rows, written by the template: each value escaped, each row linked."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_the_rows_escape_the_clients_name_and_link_the_trajectory(team, as_user):
    from werkbrug.clients.models import Client

    Client.objects.filter(pk=team.client.pk).update(
        first_name='<script>alert("x")</script>', last_name="O'Brien & Zn"
    )
    html = as_user(team.jobcoach).get("/trajectories/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#x27;Brien &amp; Zn" in html
    assert f'<a href="/trajectories/{team.trajectory.pk}/">' in html


@pytest.mark.django_db
def test_an_empty_caseload_says_so(team, as_user):
    html = as_user(team.outsider).get("/trajectories/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Geen cliënten gevonden." in html
