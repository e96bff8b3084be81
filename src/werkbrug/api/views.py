"""A readable API documentation page, rendered on the server from the OpenAPI schema."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator


@login_required
def api_docs(request: HttpRequest) -> HttpResponse:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for route, methods in sorted(schema.get("paths", {}).items()):
        for method, op in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": route,
                    "summary": op.get("summary") or op.get("description", "").split("\n")[0],
                    "tag": (op.get("tags") or [""])[0],
                }
            )
    return render(request, "api/docs.html", {"operations": operations, "info": schema.get("info", {})})
