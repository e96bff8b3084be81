"""The benchmark's comparison endpoint answers what the real one answers, minus policy and log.

`bench/bench_urls.py` mounts `/bench/bare/clients/<pk>/` (benchmark settings only). The load test
reads the difference in throughput between it and `/api/v1/clients/<pk>/` as the cost of the
policy and the access log, so both must do the same data work and give the same answer.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from werkbrug.clients.models import ConsentMethod
from werkbrug.core.choices import Role
from werkbrug.core.models import AccessLogRecord
from werkbrug.trajectories.services import trajectory_start

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def bench_urls(settings, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    settings.ROOT_URLCONF = "bench_urls"
    yield
    sys.modules.pop("bench_urls", None)


def test_bare_answers_the_same_as_the_real_endpoint_without_a_record(client, team, make_client, bench_urls):
    with_bsn = make_client(team.jobcoach, bsn="111222333")
    trajectory_start(client=with_bsn, started_by=team.jobcoach, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL)
    client.force_login(team.jobcoach)  # GGZ: an organisation with the legal basis for the BSN
    for target in (team.client, with_bsn):
        real = client.get(f"/api/v1/clients/{target.pk}/")
        before = AccessLogRecord.objects.count()
        bare = client.get(f"/bench/bare/clients/{target.pk}/")
        assert real.status_code == bare.status_code == 200
        assert bare.json() == real.json()
        assert AccessLogRecord.objects.count() == before  # no record, no policy
    assert real.json()["bsn"] == "111222333"
    assert client.get("/bench/bare/clients/999999/").status_code == 404
