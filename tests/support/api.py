"""Assertions for API answers, shared by the apps' API tests."""

from __future__ import annotations

PROBLEM = "application/problem+json"


def assert_problem(response, status: int, field: str | None = None, *, code: str | None = None) -> dict:
    """The answer is a problem+json document with `status`; naming `field` (an error on that
    field) or `code` (the problem's code or one of its errors' codes). Returns the body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    if field is not None:
        assert field in {e["field"] for e in body["errors"]}, body
    if code is not None:
        assert code in {e["code"] for e in body.get("errors", [])} | {body["code"]}, body
    return body
