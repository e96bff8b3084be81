"""The demo region shows the client's rights: ticked-off actions and correction requests."""

from __future__ import annotations

import pytest

from werkbrug.plans.models import ActionStatusChange
from werkbrug.portal.models import CorrectionRequest

pytestmark = pytest.mark.django_db


def test_demo_clients_ticked_off_actions_and_asked_for_corrections(demo_region, client):
    assert ActionStatusChange.objects.filter(changed_by__kind="client", new="done").exists()
    requests = list(CorrectionRequest.objects.select_related("trajectory", "requested_by"))
    assert requests and all(r.requested_by_id == r.client.user_id for r in requests)
    assert {r.state for r in requests} == {"open", "answered"}
    # the demo client persona reaches their rights' pages
    request = requests[0]
    client.force_login(request.requested_by)
    for url in ("/portal/intake/", "/portal/referrals/", "/portal/jobs/", "/portal/download/", "/portal/corrections/"):
        assert client.get(url).status_code == 200, url
    assert request.text in client.get("/portal/corrections/").content.decode()
