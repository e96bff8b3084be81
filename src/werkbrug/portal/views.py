"""The client portal: the client's own plan, team, signals, consents and access log.

Every page authorizes once through `selectors.portal_client` (one access-log record, "own
file"); answers and consent changes go through the same services as the professionals' pages,
which authorize themselves.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_grant, consent_withdraw
from werkbrug.core.choices import DataCategory
from werkbrug.core.models import Organisation
from werkbrug.plans import selectors as plan_selectors
from werkbrug.plans import views as plan_views

from . import selectors
from .forms import ConsentChangeForm


def _trajectory_or_404(client):
    trajectory = selectors.portal_trajectory(client=client)
    if trajectory is None:
        raise Http404
    return trajectory


@login_required
def index(request: HttpRequest) -> HttpResponse:
    client = selectors.portal_client(user=request.user)
    trajectory = selectors.portal_trajectory(client=client)
    overview = plan_selectors.plan_overview(trajectory=trajectory) if trajectory else None
    me = plan_views.my_participant(overview, request.user) if overview else None
    return render(request, "portal/index.html", {
        "client": client, "trajectory": trajectory, "overview": overview, "me": me,
        "team": selectors.portal_team(trajectory=trajectory),
        "recordings": selectors.professional_recordings(client=client),
        "next_actions": [a for item in (overview.content if overview else []) for a in item["actions"] if a.status == "open"][:5],
    })


def portal_plan_context(request: HttpRequest, trajectory, *, answer_form=None) -> dict:
    context = plan_views.plan_context(request, trajectory, answer_form=answer_form)
    context.update({"can_edit": False, "agree_url": reverse("portal:agree"), "disagree_url": reverse("portal:disagree")})
    return context


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    client = selectors.portal_client(user=request.user, action="portal.plan")
    trajectory = _trajectory_or_404(client)
    return render(request, "portal/plan.html", portal_plan_context(request, trajectory))


def _answer(request: HttpRequest, kind: str) -> HttpResponse:
    client = selectors.own_client(request.user)  # `plan_views._answer` authorizes (and logs) first
    trajectory = _trajectory_or_404(client)
    return plan_views._answer(request, trajectory.pk, kind, template="portal/plan.html",
                              after=reverse("portal:plan"), context_fn=portal_plan_context)


@login_required
@require_POST
def agree(request: HttpRequest) -> HttpResponse:
    return _answer(request, "agree")


@login_required
@require_POST
def disagree(request: HttpRequest) -> HttpResponse:
    return _answer(request, "disagree")


@login_required
def versions(request: HttpRequest) -> HttpResponse:
    client = selectors.portal_client(user=request.user, action="portal.plan")
    trajectory = _trajectory_or_404(client)
    return render(request, "plans/versions.html", {"trajectory": trajectory, "base": "portal",
                                                   "versions": plan_selectors.versions(trajectory=trajectory)})


@login_required
def version(request: HttpRequest, number: int) -> HttpResponse:
    client = selectors.portal_client(user=request.user, action="portal.plan")
    trajectory = _trajectory_or_404(client)
    v = plan_selectors.version_get(trajectory=trajectory, number=number)
    overview = plan_selectors.plan_overview(trajectory=trajectory, version=v)
    return render(request, "plans/version.html", {"trajectory": trajectory, "overview": overview, "version": v, "base": "portal"})


@login_required
def diff(request: HttpRequest) -> HttpResponse:
    client = selectors.portal_client(user=request.user, action="portal.plan")
    trajectory = _trajectory_or_404(client)
    return render(request, "plans/diff.html", {**plan_views.diff_context(trajectory, request.GET), "base": "portal"})


@login_required
def signals(request: HttpRequest) -> HttpResponse:
    client = selectors.portal_client(user=request.user, action="portal.signals")
    return render(request, "portal/signals.html", {"client": client, "signals": selectors.portal_signals(client=client),
                                                   "available": selectors.signals_for_client is not None})


@login_required
def consents(request: HttpRequest) -> HttpResponse:
    client = selectors.portal_client(user=request.user, action="portal.consents")
    trajectory = selectors.portal_trajectory(client=client)
    return render(request, "portal/consents.html", {"client": client,
                                                    "groups": selectors.portal_consents(client=client, trajectory=trajectory),
                                                    "recordings": selectors.professional_recordings(client=client)})


@login_required
@require_POST
def consent_change(request: HttpRequest) -> HttpResponse:
    client = selectors.own_client(request.user)  # the service authorizes and logs the change
    form = ConsentChangeForm(request.POST)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    organisation = Organisation.objects.filter(pk=data["organisation"], region_id=client.region_id).first()
    if organisation is None:
        raise Http404
    service = consent_grant if data["give"] else consent_withdraw
    try:
        service(client=client, organisation=organisation, category=data["category"], recorded_by=request.user,
                method=ConsentMethod.PORTAL, expected_version=data["version"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        category = dict(form.fields["category"].choices)[data["category"]]
        if data["give"]:
            messages.success(request, _("You gave %(org)s consent for: %(category)s.") % {"org": organisation, "category": category})
        else:
            messages.success(request, _("You withdrew the consent of %(org)s for: %(category)s. This counts from now on.")
                             % {"org": organisation, "category": category})
    return redirect("portal:consents")


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    client = selectors.portal_client(user=request.user, action="portal.access_log")
    page = Paginator(selectors.portal_access_log(client=client), 50).get_page(request.GET.get("page"))
    categories = dict(DataCategory.choices)
    purposes = {
        "own file": _("you yourself"),
        "team member": _("member of your team"),
        "recording consent": _("recording your consent"),
        "registration": _("registration"),
    }
    rows = [
        {"record": r, "category": categories.get(r.data_category, r.data_category),
         "purpose": purposes.get(r.purpose, r.purpose)}
        for r in page.object_list
    ]
    return render(request, "portal/access_log.html", {"client": client, "page": page, "rows": rows})
