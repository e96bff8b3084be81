"""The generated attack suite on the web pages; see test_attack_matrix.py for what is checked."""

from __future__ import annotations

import pytest

from tests.security import attack

pytestmark = [pytest.mark.attack, pytest.mark.slow]

WEB = [(i, e) for i, e in enumerate(attack.endpoints()) if not e.api]


@pytest.mark.parametrize("index, endpoint", WEB, ids=[e.template for _, e in WEB])
def test_attack_web(world, db, record_property, index, endpoint):
    tally = attack.attack(world, endpoint, index)
    record_property("attack_counts", tally.counts())
    attack.write_findings(endpoint, tally)
    assert not tally.findings, f"{endpoint.template}:\n" + attack.summarise(tally.findings)
