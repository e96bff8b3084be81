"""Checking the resources Werkbrug sends against fhir.resources' models.

The library ships FHIR R5 as its default package and R4B (4.3) beside it, but no R4 (4.0.1)
package since version 8. R4B changed medication, product and subscription-topic resources
against R4; the resources Werkbrug sends (Patient, CarePlan, CareTeam, Task, Consent,
Communication, AuditEvent, Appointment, Questionnaire(Response), Subscription, Bundle,
OperationOutcome, CapabilityStatement) have the same elements and cardinalities in R4B.

Validating costs about 3 ms per CarePlan (bench/fhir_validation.py): a full page of 100
CarePlans a quarter of a second or more, so production sends the handlers' dicts as they are
and the tests check every answer (`FHIR_VALIDATION`, docs/interchange.md). The check is strict:
the body must validate *and* be exactly what the model serialises back, so nothing the model
would quietly drop or rewrite (a null, an empty array, a number as a string) is sent.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError as ModelError


class InvalidResource(Exception):
    """A resource Werkbrug built is not valid FHIR: a server bug, never the caller's."""


def validated(body: dict[str, Any]) -> str:
    """`body` validated with the R4B model of its resourceType (a Bundle's entries, contained
    resources and extensions with it) and serialised from that model as FHIR JSON."""
    from fhir.resources.R4B import get_fhir_model_class

    resource_type = body.get("resourceType") if isinstance(body, dict) else None
    try:
        model = get_fhir_model_class(str(resource_type)).model_validate(body)
    except ModelError as exc:
        # Where and what, never the values: they may be a client's health data.
        raise InvalidResource(f"{resource_type}: " + "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors(include_url=False, include_input=False))) from None
    except (ValueError, TypeError) as exc:
        # An unknown resourceType, or a value the model could not read at all.
        raise InvalidResource(f"{str(resource_type)[:40]}: {type(exc).__name__}") from None
    return model.model_dump_json(by_alias=True, exclude_none=True)


def check(content: str) -> None:
    """The JSON Werkbrug is about to send validates, and the model gives back the same JSON."""
    body = json.loads(content)
    if json.loads(validated(body)) != body:
        raise InvalidResource(f"{body.get('resourceType')}: the model does not give back what is sent "
                              f"({', '.join(_differences(body, json.loads(validated(body))))[:500]})")


def _differences(sent: Any, model: Any, path: str = "") -> list[str]:
    """Where the sent JSON and the model's differ (paths only)."""
    if isinstance(sent, dict) and isinstance(model, dict):
        return [found for key in sorted(set(sent) | set(model))
                for found in _differences(sent.get(key), model.get(key), f"{path}.{key}".lstrip("."))]
    if isinstance(sent, list) and isinstance(model, list) and len(sent) == len(model):
        return [found for n, (a, b) in enumerate(zip(sent, model, strict=True))
                for found in _differences(a, b, f"{path}[{n}]")]
    return [] if sent == model else [path or "(resource)"]
