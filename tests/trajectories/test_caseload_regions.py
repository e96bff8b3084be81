"""The caseload, the client page and the home page ask the same queries whatever the number of
regions in the database (national size: 35 regions), and their compiled SQL serves a professional
of every region."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from werkbrug.clients.models import ConsentMethod
from werkbrug.core.choices import OrganisationType, Role
from werkbrug.core.models import Region
from werkbrug.trajectories import compiled

pytestmark = pytest.mark.django_db


def _region_with_caseload(number: int, make_org, make_person, make_client):
    """Another region with its own organisation, jobcoach and three clients in trajectories."""
    from werkbrug.trajectories.services import trajectory_start

    region = Region.objects.create(name=f"Regio {number}", slug=f"regio-{number}")
    jobcoach = make_person(make_org(OrganisationType.GGZ, f"GGZ {number}", in_region=region), Role.JOBCOACH)
    clients = []
    for i in range(3):
        client = make_client(jobcoach, last_name=f"Regio{number}Client{i}")
        trajectory_start(client=client, started_by=jobcoach, role=Role.JOBCOACH, consent_method=ConsentMethod.PAPER,
                         started_on=date(2026, 1, 1))
        clients.append(client)
    return jobcoach, clients


def _queries(c, urls: list[str]) -> list[int]:
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = c.get(url)
        assert response.status_code == 200, url
        counts.append(len(queries.captured_queries))
    return counts


def test_the_pages_queries_do_not_grow_with_the_number_of_regions(as_user, make_org, make_person, make_client):
    jobcoach, clients = _region_with_caseload(1, make_org, make_person, make_client)
    urls = [reverse("trajectories:index"), reverse("trajectories:index") + "?page=2",
            reverse("trajectories:index") + "?q=client&sort=-started", reverse("clients:detail", args=[clients[0].pk]),
            reverse("web:home")]
    c = as_user(jobcoach)
    _queries(c, urls)  # the first requests compile the shapes
    one_region = _queries(c, urls)
    others = [_region_with_caseload(n, make_org, make_person, make_client) for n in range(2, 6)]
    assert _queries(c, urls) == one_region
    # Each region's professional is served by the SQL compiled for the first one, with their own rows.
    for other, their_clients in others:
        page = as_user(other).get(reverse("trajectories:index")).content.decode()
        assert page.count('scope="row"') == 3 and "Regio1Client" not in page
        assert as_user(other).get(reverse("clients:detail", args=[their_clients[0].pk])).status_code == 200
        assert as_user(other).get(reverse("clients:detail", args=[clients[0].pk])).status_code == 404
    assert not any(template is compiled._NOT_REUSABLE for template in compiled._cache.values())
    assert any(key[2] == "my_work.header" for key in compiled._cache)
