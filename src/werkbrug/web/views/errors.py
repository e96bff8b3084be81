"""Plain-Dutch error pages. None of them touches the database."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader


def _render(name: str, status: int) -> HttpResponse:
    # No request context: context processors read the session and user, i.e. the database.
    body = loader.get_template(name).render({"status": status})
    response = HttpResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _problem(status: int, code: str) -> HttpResponse:
    """What the API answers where no API view ran (no route, an error before the view): the
    same problem details (RFC 9457) as the API's own errors."""
    from werkbrug.api.exceptions import problem_response

    response = problem_response(status, code)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _problem(400, "invalid")
    return _render("web/errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _problem(403, "permission_denied")
    return _render("web/errors/403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return _problem(404, "not_found")
    return _render("web/errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception, so it is still in sys.exc_info(): an
    # unreachable database (also when it fails inside middleware) answers 503, not 500.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable(request)
    if _is_api(request):
        return _problem(500, "error")
    return _render("web/errors/500.html", 500)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        from werkbrug.api.exceptions import problem_response

        response = problem_response(503, "service_unavailable", None)
    else:
        response = _render("web/errors/503.html", 503)
    response["Retry-After"] = "60"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (expired page, or not sent from this site): in the reader's language."""
    return _render("web/errors/csrf.html", 403)
