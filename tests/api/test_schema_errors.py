"""Every API operation documents its problem+json error answers (400, 401, 403, 404)."""

from __future__ import annotations

from drf_spectacular.generators import SchemaGenerator

from tests.support.api import PROBLEM


def test_every_operation_documents_the_problem_answers():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert set(schema["components"]["schemas"]["Problem"]["required"]) == {"type", "title", "status", "code"}
    undocumented = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404"):
                content = operation["responses"].get(status, {}).get("content", {})
                if content.get(PROBLEM, {}).get("schema") != {"$ref": "#/components/schemas/Problem"}:
                    undocumented.append((method, path, status))
    assert not undocumented, undocumented[:10]


def test_a_real_problem_answer_has_the_documented_fields(client, jobcoach):
    client.force_login(jobcoach)
    body = client.get("/api/v1/trajectories/987654321/", HTTP_ACCEPT="application/json")
    assert body.status_code == 404 and body["Content-Type"].startswith(PROBLEM)
    problem = body.json()
    schema = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]["Problem"]
    assert set(schema["required"]) <= set(problem)
    assert set(problem) <= set(schema["properties"])
