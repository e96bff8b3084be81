"""The generated attack suite ("Trust by construction"): every endpoint, every persona.

Every URL pattern of the URLconf (web and `/api/v1/`) is requested by every persona that may
not see the victim: a professional of the victim's region in each role but outside the
victim's team, another client, a person of another region, and someone not signed in. Path
parameters name the victim's objects (see `attack.PARAMETERS`); API bodies come from the
OpenAPI schema. For each persona × endpoint × method (GET, POST, PATCH, DELETE) × body
(valid-looking, invalid):

(a) no answer holds the victim's name, pseudonym, phone, address or any text of their file
    (sentinel values), nor the pseudonym of any client the persona has no team with;
(b) a missing object (every id replaced by one that does not exist) and a forbidden one get the
    same status code (and, in the API, the same problem type);
(c) every attempt on client-level data by a signed-in persona writes exactly one denied
    access-log record; and no attempt on another client's data gets through;
(d) no 5xx.

Every persona GETs every endpoint; the other methods, the invalid bodies and the missing-object
twins rotate over the personas from endpoint to endpoint (each persona meets each method), which
keeps the run near a minute and a half per file; WERKBRUG_ATTACK_FULL=1 runs the full product.
WERKBRUG_ATTACK_FINDINGS=<file> appends every finding to that file. Exposures that are by design
are listed, each with its reason, in `attack.LEGITIMATE`.

The web pages are attacked in test_attack_matrix_web.py. The counts appear in the "attack matrix"
section at the end of the run.
"""

from __future__ import annotations

import pytest

from tests.security import attack

pytestmark = [pytest.mark.attack, pytest.mark.slow]

ENDPOINTS = attack.endpoints()
# The API here, the web pages in test_attack_matrix_web.py: two files, so that CI's two
# workers (`--dist loadfile`) share the work.
API = [(i, e) for i, e in enumerate(ENDPOINTS) if e.api]


def test_every_path_parameter_is_known():
    """A new collection of objects in a URL needs one line in `attack.PARAMETERS`."""
    unknown = sorted({attack.parameter_key(key) for endpoint in ENDPOINTS for key in endpoint.keys()}
                     - set(attack.PARAMETERS))
    assert not unknown, f"add these route parameters to tests/security/attack.py PARAMETERS: {unknown}"


def test_every_api_operation_is_attacked():
    """Every operation of the OpenAPI schema is one of the URL patterns attacked here."""
    routes = {attack.normalise(e.template) for e in ENDPOINTS}
    missing = sorted(set(attack.operations()) - routes)
    assert not missing, missing
    assert len(attack.operations()) > 50


@pytest.mark.parametrize("index, endpoint", API, ids=[e.template for _, e in API])
def test_attack_api(world, db, record_property, index, endpoint):
    tally = attack.attack(world, endpoint, index)
    record_property("attack_counts", tally.counts())
    attack.write_findings(endpoint, tally)
    assert not tally.findings, f"{endpoint.template}:\n" + attack.summarise(tally.findings)
