"""The OpenAPI schema's error answers: every operation documents its problem+json answers.

Every operation can answer 400 (invalid input), 401 (not signed in), 403 (not allowed) and 404
(not found, or not yours: the two look the same); all of them as `application/problem+json`
(RFC 9457, see `exceptions.py`). drf-spectacular documents only the success answer, so this
postprocessing hook adds the four to every operation that does not name them itself.
"""

from __future__ import annotations

PROBLEM_CONTENT_TYPE = "application/problem+json"
ERROR_ANSWERS = {
    "400": "The request is not valid.",
    "401": "You are not signed in.",
    "403": "You are not allowed to do this.",
    "404": "This was not found (or is not yours to see).",
}

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An error, as a problem document (RFC 9457).",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "message": {"type": "string"},
                    "code": {"type": "string"},
                },
                "required": ["field", "message", "code"],
            },
        },
    },
    "required": ["type", "title", "status", "code"],
}


def problem_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the problem+json error answers."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in ("get", "put", "post", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_ANSWERS.items():
                responses.setdefault(
                    status, {"content": {PROBLEM_CONTENT_TYPE: {"schema": reference}}, "description": description}
                )
    return result
