"""Pages to correct or withdraw a registration and to cancel a request. Thin: check first, parse
input, call one service (`registrations.py` through `services`), render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from werkbrug.core import policy
from werkbrug.web.forms import apply_validation_error

from . import selectors, services, workflow
from .forms import CorrectionForm, ReasonForm
from .models import Deployment, DeploymentStatus, ExpertProfile


def _registration(request: HttpRequest, pk: int) -> Deployment:
    """Check first: a POST is checked without a record (the service logs it), a GET is logged once."""
    deployment = selectors.deployment_fetch(user=request.user, pk=pk, action="deployment.correct")
    if request.method != "POST":
        policy.authorize(request.user, "deployment.correct", deployment)
    return deployment


def _back(request: HttpRequest, deployment: Deployment):
    if deployment.expert_id == request.user.pk:
        return redirect("experience_experts:deployments")
    profile = ExpertProfile.objects.filter(person_id=deployment.expert_id).first()
    return redirect("experience_experts:registrations", pk=profile.pk)


def _shown_for(request: HttpRequest, deployment: Deployment) -> str:
    """What the registration was for: the client is named only to the expert (the coordinator
    works with the figures, not with the client)."""
    if deployment.client_id is None:
        return deployment.topic
    return str(deployment.client) if deployment.expert_id == request.user.pk else _("a client")


@login_required
def deployment_correct(request: HttpRequest, pk: int) -> HttpResponse:
    deployment = _registration(request, pk)
    if deployment.status != DeploymentStatus.REGISTERED:
        raise Http404
    initial = {"date": deployment.date, "kind": deployment.kind, "minutes": deployment.minutes,
               "setting": deployment.setting, "organisation_served": deployment.organisation_served,
               "topic": deployment.topic, "outcome": deployment.outcome}
    form = CorrectionForm(request.POST or None, region_id=deployment.region_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if deployment.client_id is not None:
            data.pop("topic")  # a client's registration has no topic to correct
        try:
            services.deployment_correct(deployment=deployment, changed_by=request.user, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The registration is corrected. The earlier version is kept in its history."))
            return _back(request, deployment)
    return render(request, "experience_experts/deployment_correct.html", {
        "deployment": deployment, "form": form, "shown_for": _shown_for(request, deployment),
        "history": selectors.registration_history(deployment=deployment),
    })


@login_required
def deployment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    deployment = _registration(request, pk)
    if deployment.status != DeploymentStatus.REGISTERED:
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deployment_withdraw(deployment=deployment, withdrawn_by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The registration is withdrawn. It stays in the history and no longer counts."))
            return _back(request, deployment)
    return render(request, "experience_experts/deployment_withdraw.html", {
        "deployment": deployment, "form": form, "shown_for": _shown_for(request, deployment)})


@login_required
def deployment_history(request: HttpRequest, pk: int) -> HttpResponse:
    deployment = selectors.deployment_fetch(user=request.user, pk=pk, action="deployment.correct")
    policy.authorize(request.user, "deployment.correct", deployment)
    return render(request, "experience_experts/deployment_history.html", {
        "deployment": deployment, "shown_for": _shown_for(request, deployment),
        "history": selectors.registration_history(deployment=deployment),
    })


@login_required
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    """An expert's registrations for their coordinator (and the expert), to correct or withdraw."""
    profile = selectors.profile_get(user=request.user, pk=pk, action="ee_registrations.list")
    return render(request, "experience_experts/registrations.html", {
        "profile": profile, "deployments": selectors.registration_list(user=request.user, profile=profile)[:300],
        "own": profile.person_id == request.user.pk,
    })


@login_required
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.request_fetch(user=request.user, pk=pk, action="ee_request.cancel")
    if request.method != "POST":  # a POST is logged by the service, a GET here, once
        policy.authorize(request.user, "ee_request.cancel", item)
    if item.status in workflow.CLOSED:
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_cancel(request=item, cancelled_by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The request is cancelled."))
            if policy.can(request.user, "ee_request.view", item):
                return redirect("experience_experts:request", pk=item.pk)
            return redirect("experience_experts:requests")
    return render(request, "experience_experts/request_cancel.html", {"item": item, "form": form})
