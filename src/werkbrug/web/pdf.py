"""Reports as PDF with WeasyPrint, from the same templates as the HTML pages.

Static files are read from disk; every other URL is refused, so rendering a report never reaches
the network.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

BASE_URL = "http://werkbrug.invalid/"


def _fetcher():
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
            if url.startswith(prefix):
                path = finders.find(url.removeprefix(prefix).split("?")[0])
                if path:
                    return super().fetch("file://" + str(path), headers)
            raise ValueError(f"refused to fetch {url!r} while rendering a PDF")

    return StaticOnlyFetcher(allowed_protocols=["file", "http"])


def render_pdf(request: HttpRequest, template: str, context: dict, *, filename: str) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string(template, {**context, "pdf": True}, request=request)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).write_pdf()
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
