"""The plan as a document: one version as a PDF (WeasyPrint, `web.pdf`), for the team's plan
page, the portal and the API alike.

The document names the client by pseudonym only, never by name: a printed plan leaves the
screen, and the pseudonym is what the team and the client find it by. It names the version and
whether it is the agreed one, every goal and action with its owner and due date, who agreed
when (the client included, and who recorded the client's answer), and the moment it was
printed, in Dutch time. The caller has authorized `plan.print` (one access-log record, code E).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from werkbrug.web.pdf import render_pdf

from . import selectors
from .models import PlanVersion


def plan_pdf(request: HttpRequest, *, trajectory, version: PlanVersion) -> HttpResponse:
    document = selectors.plan_document(trajectory=trajectory, version=version)
    context = {"document": document, "client": trajectory.client, "printed_at": timezone.now()}
    name = f"plan-{trajectory.client.pseudonym}-v{version.number}.pdf"
    return render_pdf(request, "plans/pdf/plan.html", context, filename=name)
