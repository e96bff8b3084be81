"""Counts and times every request for `/metrics`, labelled by the view that answered it."""

from __future__ import annotations

import time

from django.http import HttpRequest, HttpResponse

from .metrics import observe_request


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        # The route's name, never the path: paths carry ids and would make a series per object.
        view = (match.view_name or match._func_path) if match is not None else "unresolved"
        observe_request(view=view, method=request.method or "", status=response.status_code,
                        seconds=time.perf_counter() - started)
        return response
