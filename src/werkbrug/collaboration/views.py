"""Pages for signals and referrals. Thin: parse, call one service or selector, render.

Every view that names a trajectory, signal or referral fetches it through a selector that
authorizes the action it is about to do, before it reads any input, for every method (one
access-log record; the service's own check of the same action writes no second one).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkbrug.core import policy
from werkbrug.trajectories.workflow import trajectory_is_open
from werkbrug.web.forms import apply_validation_error

from . import selectors, services
from .forms import CompleteForm, ReasonForm, ReferralForm, SignalForm
from .models import ReferralState


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Referrals addressed to the user's organisation."""
    state = request.GET.get("state", "")
    referrals = selectors.incoming_referrals(user=request.user, state=state)
    page = Paginator(referrals, 25).get_page(request.GET.get("page"))
    return render(request, "collaboration/incoming.html", {
        "page": page, "state": state, "states": ReferralState.choices,
        "query": f"state={state}" if state else "",
    })


@login_required
def signals(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk, action="signal.view")
    items = list(selectors.trajectory_signals(trajectory=trajectory))
    for item in items:
        item.mine = next((r for r in item.recipients.all() if r.person_id == request.user.pk), None)
    return render(request, "collaboration/signals.html", {
        "trajectory": trajectory, "signals": items,
        # A closed trajectory is archived: read-only, no write form is shown.
        "is_open": trajectory_is_open(trajectory),
        "may_send": not request.user.is_client and trajectory_is_open(trajectory),
    })


@login_required
def signal_create(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk, action="signal.create")
    members = [m for m in selectors.team_members(trajectory=trajectory) if m.person_id != request.user.pk]
    if request.method == "POST":
        form = SignalForm(request.POST, members=members)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.signal_create(
                    trajectory=trajectory, author=request.user, category=data["category"], urgency=data["urgency"],
                    text=data["text"], recipients=data["recipients"], whole_team=data["whole_team"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The signal has been sent."))
                return redirect("collaboration:signals", trajectory_pk=trajectory.pk)
    else:
        form = SignalForm(members=members)
    return render(request, "collaboration/signal_form.html", {"trajectory": trajectory, "form": form})


@login_required
@require_POST
def signal_acknowledge(request: HttpRequest, trajectory_pk: int, pk: int) -> HttpResponse:
    signal = selectors.signal_get(user=request.user, pk=pk, trajectory_pk=trajectory_pk, action="signal.acknowledge")
    try:
        services.signal_acknowledge(signal=signal, person=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You have acknowledged the signal."))
    return redirect("collaboration:signals", trajectory_pk=trajectory_pk)


@login_required
def referrals(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk, action="referral.view")
    return render(request, "collaboration/referrals.html", {
        "trajectory": trajectory, "referrals": selectors.trajectory_referrals(trajectory=trajectory),
        "may_refer": not request.user.is_client and trajectory_is_open(trajectory),
    })


@login_required
def referral_create(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk, action="referral.create")
    if request.method == "POST":
        form = ReferralForm(request.POST, region_id=trajectory.region_id)
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = services.referral_create(
                    trajectory=trajectory, referred_by=request.user, organisation=data["organisation"],
                    service=data["service"], question=data["question"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The referral has been sent to %(org)s.") % {"org": referral.organisation})
                return redirect("collaboration:referrals", trajectory_pk=trajectory.pk)
    else:
        form = ReferralForm(region_id=trajectory.region_id)
    return render(request, "collaboration/referral_form.html", {"trajectory": trajectory, "form": form})


@login_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get(user=request.user, pk=pk)
    user = request.user
    is_receiver = user.is_professional and user.organisation_id == referral.organisation_id
    in_team = selectors.is_team_member(user=user, trajectory=referral.trajectory)
    is_open = trajectory_is_open(referral.trajectory)  # a closed trajectory's referral is archived
    return render(request, "collaboration/referral_detail.html", {
        "referral": referral,
        "is_receiver": is_receiver,
        "in_team": in_team,
        "may_respond": is_open and is_receiver and referral.state == ReferralState.REQUESTED,
        "may_complete": is_open and referral.state == ReferralState.ACCEPTED and (is_receiver or in_team),
        "may_withdraw": is_open and in_team and referral.state in (ReferralState.REQUESTED, ReferralState.ACCEPTED),
        "may_join": is_open and is_receiver and not in_team and referral.state == ReferralState.ACCEPTED,
        "reject_form": ReasonForm(prefix="reject"),
        "withdraw_form": ReasonForm(prefix="withdraw"),
        "complete_form": CompleteForm(prefix="complete"),
    })


def _act(request: HttpRequest, pk: int, to_state: str, step) -> HttpResponse:
    """One step of the referral workflow: authorized (and logged) before the form is read."""
    referral = selectors.referral_for(user=request.user, pk=pk, to_state=to_state)
    try:
        step(referral, request.POST)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The referral has been updated."))
    return redirect("collaboration:referral", pk=pk)


@login_required
@require_POST
def referral_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, ReferralState.ACCEPTED, lambda r, _post: services.referral_accept(referral=r, actor=request.user))


@login_required
@require_POST
def referral_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, ReferralState.REJECTED, lambda r, post: services.referral_reject(
        referral=r, actor=request.user, reason=post.get("reject-reason", "")))


@login_required
@require_POST
def referral_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, ReferralState.WITHDRAWN, lambda r, post: services.referral_withdraw(
        referral=r, actor=request.user, reason=post.get("withdraw-reason", "")))


@login_required
@require_POST
def referral_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, ReferralState.COMPLETED, lambda r, post: services.referral_complete(
        referral=r, actor=request.user, successful=post.get("complete-outcome", ""), reason=post.get("complete-reason", "")))


@login_required
@require_POST
def referral_join(request: HttpRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_for_join(user=request.user, pk=pk)
    try:
        services.referral_join_team(referral=referral, person=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("collaboration:referral", pk=pk)
    messages.success(request, _("You have joined the client's team."))
    if policy.can(request.user, "referral.view", referral.trajectory):
        return redirect("collaboration:referrals", trajectory_pk=referral.trajectory_id)
    return redirect("collaboration:referral", pk=pk)
