"""Every FHIR answer is checked against fhir.resources' R4B models (FHIR_VALIDATION): loud in
tests, a logged 500 where an operator turns it on ("log"), not done by default ("off")."""

from __future__ import annotations

import json
import logging

import pytest

from werkbrug.interchange.fhir.base import fhir_response
from werkbrug.interchange.fhir.validation import InvalidResource, check, validated

pytestmark = pytest.mark.django_db

# A goal given as one object where CarePlan.goal is a list of references: wrong cardinality.
BROKEN = {"resourceType": "CarePlan", "id": "7", "status": "active", "intent": "plan",
          "subject": {"reference": "Patient/abc"}, "goal": {"reference": "#goal-1"},
          "note": [{"text": "Werkt graag buiten, heeft last van paniekaanvallen"}]}
VALID = {**BROKEN, "goal": [{"reference": "#goal-1"}]}


def test_a_valid_resource_is_sent_as_built():
    body = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "invalid",
                                                           "diagnostics": "één fout"}]}
    assert json.loads(fhir_response(body, status=400).content) == body
    assert json.loads(fhir_response(VALID).content) == VALID


@pytest.mark.parametrize("body", [
    BROKEN,
    {**VALID, "period": {"start": "5-12-2026"}},  # a Dutch date
    {**VALID, "extension": [{"valueCode": "agreed"}]},  # an extension without its url
    {**VALID, "agreement": "agreed"},  # not an element of CarePlan
    {**VALID, "activity": []},  # FHIR JSON has no empty arrays
    {**VALID, "title": None},  # nor nulls
    {"resourceType": "Werkplan", "id": "7"},
])
def test_an_invalid_resource_fails_loudly_in_tests(body):
    with pytest.raises(InvalidResource):
        fhir_response(body)


def test_an_invalid_resource_inside_a_bundle_is_found():
    bundle = {"resourceType": "Bundle", "type": "searchset",
              "entry": [{"fullUrl": "https://werkbrug.test/fhir/R4/CarePlan/7", "resource": BROKEN}]}
    with pytest.raises(InvalidResource, match=r"entry\.0\.resource\.goal"):
        validated(bundle)
    bundle["entry"][0]["resource"] = {**VALID, "activity": []}
    with pytest.raises(InvalidResource, match=r"entry\[0\]\.resource\.activity"):
        check(json.dumps(bundle))


def test_with_log_an_invalid_resource_is_a_logged_500_without_its_contents(settings, caplog):
    settings.FHIR_VALIDATION = "log"
    with caplog.at_level(logging.ERROR, logger="werkbrug.interchange.fhir.base"):
        response = fhir_response(BROKEN)
    assert response.status_code == 500
    body = json.loads(response.content)
    assert body["resourceType"] == "OperationOutcome" and body["issue"][0]["code"] == "exception"
    assert "paniekaanvallen" not in response.content.decode()
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "CarePlan" in logged and "goal" in logged
    assert "paniekaanvallen" not in logged and "Patient/abc" not in logged
    assert fhir_response(VALID).status_code == 200


def test_off_sends_as_built_without_checking(settings):
    settings.FHIR_VALIDATION = "off"
    assert fhir_response(BROKEN).status_code == 200


def test_the_fixture_checks_the_capability_statement_bundles_and_outcomes(client, fhir, team, fhir_answers_validate):
    assert client.get("/fhir/R4/metadata").status_code == 200
    assert fhir(f"Patient?patient={team.client.pseudonym}").status_code == 200
    assert fhir("Patient/unknown-id").status_code == 404
    assert fhir_answers_validate == ["CapabilityStatement", "Bundle", "OperationOutcome"]
