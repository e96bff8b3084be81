"""The client portal: the client's own plan, team, intake, referrals, jobs, signals, consents and
access log; ticking off their own actions, downloading their file, asking for a correction.

Every page authorizes once through `selectors.portal_client` (one access-log record, "own
file"); answers, ticks, consent changes and correction requests go through services, which
authorize themselves. The one page for professionals is a correction request, for the plan
director who answers it.
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
from werkbrug.core import policy
from werkbrug.core.models import Organisation
from werkbrug.plans import selectors as plan_selectors
from werkbrug.plans import services as plan_services
from werkbrug.plans import views as plan_views
from werkbrug.plans.document import plan_pdf as render_plan_pdf
from werkbrug.web.forms import apply_validation_error

from . import export, selectors, services
from .forms import ActionTickForm, ConsentChangeForm, CorrectionAnswerForm, CorrectionForm


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
    context.update({"can_edit": False, "agree_url": reverse("portal:agree"), "disagree_url": reverse("portal:disagree"),
                    "can_tick": trajectory.status == "active" and context["overview"].version is not None})
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
    return render(request, "portal/access_log.html", {"client": client, "page": page,
                                                      "rows": selectors.access_log_rows(page.object_list)})


@login_required
@require_POST
def action_tick(request: HttpRequest, action_pk: int) -> HttpResponse:
    """The client ticks off (or un-ticks) an action of their own plan that is theirs."""
    action = plan_selectors.action_find(pk=action_pk)
    if action is None:
        raise Http404
    policy.check(request.user, "plan.action_tick", action)  # the service logs the one record
    form = ActionTickForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        plan_services.action_tick(action=action, person=request.user, done=form.cleaned_data["done"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if form.cleaned_data["done"]:
            messages.success(request, _("Well done: “%(action)s” is ticked off. Your plan director sees it.")
                             % {"action": action.title})
        else:
            messages.success(request, _("“%(action)s” is open again.") % {"action": action.title})
    return redirect("portal:plan")


@login_required
def plan_pdf(request: HttpRequest) -> HttpResponse:
    """My plan as a PDF: the version everyone agreed to, else the current one."""
    trajectory = _trajectory_or_404(selectors.own_client(request.user))
    trajectory = plan_selectors.plan_get(user=request.user, trajectory_pk=trajectory.pk, action="plan.print")
    version = plan_selectors.agreed_or_current(trajectory=trajectory)
    if version is None:
        raise Http404
    return render_plan_pdf(request, trajectory=trajectory, version=version)


@login_required
def version_pdf(request: HttpRequest, number: int) -> HttpResponse:
    trajectory = _trajectory_or_404(selectors.own_client(request.user))
    trajectory = plan_selectors.plan_get(user=request.user, trajectory_pk=trajectory.pk, action="plan.print")
    return render_plan_pdf(request, trajectory=trajectory,
                           version=plan_selectors.version_get(trajectory=trajectory, number=number))


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    client = selectors.portal_client(user=request.user, action="portal.intake")
    return render(request, "portal/intake.html", {"client": client, "intakes": selectors.portal_intakes(client=client)})


@login_required
def referrals(request: HttpRequest) -> HttpResponse:
    client = selectors.portal_client(user=request.user, action="portal.referrals")
    found = selectors.portal_referrals(client=client)
    return render(request, "portal/referrals.html", {"client": client, "referrals": found or [],
                                                     "available": found is not None})


@login_required
def jobs(request: HttpRequest) -> HttpResponse:
    client = selectors.portal_client(user=request.user, action="portal.jobs")
    found = selectors.portal_jobs(client=client)
    return render(request, "portal/jobs.html", {"client": client, "groups": found or [], "available": found is not None})


@login_required
def download(request: HttpRequest) -> HttpResponse:
    client = selectors.portal_client(user=request.user)
    return render(request, "portal/download.html", {"client": client})


@login_required
def download_pdf(request: HttpRequest) -> HttpResponse:
    client = selectors.portal_client(user=request.user, action="portal.export")
    return export.pdf_response(request, client=client)


@login_required
def download_json(request: HttpRequest) -> HttpResponse:
    client = selectors.portal_client(user=request.user, action="portal.export")
    return export.json_response(client=client)


@login_required
def corrections(request: HttpRequest) -> HttpResponse:
    """GET: my correction requests and the form; POST: ask for a correction."""
    if request.method != "POST":
        client = selectors.portal_client(user=request.user, action="portal.corrections")
        form = CorrectionForm()
    else:
        client = selectors.own_client(request.user)
        policy.check(request.user, "portal.correction", client)  # the service logs the one record
        form = CorrectionForm(request.POST)
        if form.is_valid():
            try:
                services.correction_request_create(client=client, person=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Your request is sent to your plan director. You will find the answer here."))
                return redirect("portal:corrections")
    return render(request, "portal/corrections.html", {"client": client, "form": form,
                                                       "requests": selectors.portal_corrections(client=client)},
                  status=400 if form.is_bound else 200)


@login_required
def correction_request(request: HttpRequest, pk: int) -> HttpResponse:
    """For the plan director: the client's request, and the answer form."""
    action = "correction.handle" if request.method == "POST" else "correction.view"
    correction = selectors.correction_get(user=request.user, pk=pk, action=action)
    form = CorrectionAnswerForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.correction_request_answer(request=correction, person=request.user, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your answer is saved; the client is told."))
            return redirect("portal:correction_request", pk=correction.pk)
    return render(request, "portal/correction_request.html", {
        "correction": correction, "form": form,
        "can_answer": correction.state == "open" and policy.can(request.user, "correction.handle", correction),
    }, status=400 if form.is_bound else 200)
