"""Pages: my appointments, a trajectory's appointments, plan / change / cancel, the .ics file, and
the personal calendar feed (its page and the feed itself).

Thin views. Every view that names a trajectory or an appointment fetches it with the action it
is about to do before it reads any input, for every method: missing and forbidden answer the
same 404. Writes are checked first (`policy.check`) and the service authorizes and logs.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from werkbrug.core import policy
from werkbrug.core.links import absolute_url
from werkbrug.core.models import User
from werkbrug.trajectories import selectors as trajectories
from werkbrug.trajectories.workflow import trajectory_is_open
from werkbrug.web.forms import apply_validation_error

from . import ical, selectors, services
from .forms import AppointmentForm, CancelForm


@login_required
def index(request: HttpRequest) -> HttpResponse:
    appointments = list(selectors.my_appointments(user=request.user))
    now = timezone.now()
    return render(request, "appointments/index.html", {
        "upcoming": [a for a in appointments if a.ends_at >= now],
        "recent": [a for a in appointments if a.ends_at < now][::-1],
        "can_plan": policy.can(request.user, "appointment.create", None),
    })


@login_required
def trajectory_list(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    trajectory = trajectories.trajectory_get(user=request.user, pk=trajectory_pk, action="appointment.list")
    return render(request, "appointments/trajectory.html", {
        "trajectory": trajectory, "client": trajectory.client,
        "appointments": selectors.appointments_of_trajectory(trajectory=trajectory),
        "can_plan": trajectory_is_open(trajectory) and policy.can(request.user, "appointment.open_form", trajectory),
    })


def _form(request: HttpRequest, *, trajectory, editing: bool = False, initial=None) -> AppointmentForm:
    user = request.user
    if trajectory is not None:
        people = selectors.participant_choices(trajectory=trajectory)
        region_id = trajectory.region_id
    else:
        people = User.objects.filter(organisation_id=user.organisation_id, is_active=True, kind="professional") \
            .select_related("organisation").order_by("first_name", "last_name")
        region_id = user.region_id
    return AppointmentForm(
        request.POST if request.method == "POST" else None, initial=initial, trajectory=trajectory, people=people,
        experts=selectors.expert_choices(trajectory=trajectory, region_id=region_id),
        actions=selectors.plan_action_choices(trajectory=trajectory),
        requests=None if editing else selectors.request_choices(user=user, trajectory=trajectory),
        meetings=None if editing or trajectory is not None else selectors.meeting_choices(user=user), editing=editing,
    )


def _plan(request: HttpRequest, trajectory) -> HttpResponse:
    form = _form(request, trajectory=trajectory, initial={"kind": "three_way", "with_client": True,
                                                          "participants": [request.user.pk]})
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_plan(planned_by=request.user, trajectory=trajectory,
                                                    **form.service_fields())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The appointment is planned; everyone taking part has been told."))
            return redirect("appointments:detail", pk=appointment.pk)
    return render(request, "appointments/form.html", {
        "form": form, "trajectory": trajectory, "client": trajectory.client if trajectory else None,
    })


@login_required
def trajectory_new(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    if request.method == "POST":
        trajectory = trajectories.trajectory_check(user=request.user, pk=trajectory_pk, action="appointment.create")
    else:
        trajectory = trajectories.trajectory_get(user=request.user, pk=trajectory_pk, action="appointment.open_form")
    return _plan(request, trajectory)


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """An appointment without a client: a support-group meeting, a deployment for a group or topic."""
    policy.authorize(request.user, "appointment.create", None)
    return _plan(request, None)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_get(user=request.user, pk=pk)
    return render(request, "appointments/detail.html", {
        "appointment": appointment, "trajectory": appointment.trajectory,
        "client": appointment.trajectory.client if appointment.trajectory_id else None,
        "changes": selectors.appointment_changes(appointment=appointment),
        "can_change": not appointment.is_cancelled and policy.can(request.user, "appointment.change", appointment),
        "cancel_form": CancelForm(),
    })


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        appointment = selectors.appointment_check(user=request.user, pk=pk, action="appointment.change")
    else:
        appointment = selectors.appointment_get(user=request.user, pk=pk, action="appointment.edit")
    if appointment.is_cancelled:
        messages.error(request, _("This appointment is cancelled."))
        return redirect("appointments:detail", pk=appointment.pk)
    initial = {
        "kind": appointment.kind, "starts_at": timezone.localtime(appointment.starts_at),
        "ends_at": timezone.localtime(appointment.ends_at), "place": appointment.place,
        "video_link": appointment.video_link, "with_client": appointment.with_client,
        "participants": [p.pk for p in appointment.participants.all()], "expert": appointment.expert_id,
        "employer_contact_name": appointment.employer_contact_name,
        "employer_contact_email": appointment.employer_contact_email, "plan_action": appointment.plan_action_id,
    }
    form = _form(request, trajectory=appointment.trajectory, editing=True, initial=initial)
    if appointment.trajectory is None:
        # Without a client, whoever takes part stays choosable, whichever organisation they are of.
        form.fields["participants"].queryset = (form.fields["participants"].queryset
                                                | User.objects.filter(appointments=appointment)).distinct()
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_update(appointment=appointment, changed_by=request.user,
                                        reason=form.cleaned_data.get("reason", ""), **form.service_fields())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The appointment is changed; everyone taking part has been told."))
            return redirect("appointments:detail", pk=appointment.pk)
    return render(request, "appointments/form.html", {
        "form": form, "appointment": appointment, "trajectory": appointment.trajectory,
        "client": appointment.trajectory.client if appointment.trajectory_id else None,
    })


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_check(user=request.user, pk=pk, action="appointment.cancel")
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.appointment_cancel(appointment=appointment, cancelled_by=request.user, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The appointment is cancelled; everyone taking part has been told."))
    return redirect("appointments:detail", pk=appointment.pk)


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def ics(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_get(user=request.user, pk=pk)
    return _calendar_response(ical.appointment_ics(appointment), f"werkbrug-afspraak-{appointment.pk}.ics")


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """The personal feed: make, renew or switch it off. The address is shown once, when made."""
    policy.authorize(request.user, "calendar_feed.manage", None)
    feed_url = ""
    if request.method == "POST":
        if request.POST.get("do") == "revoke":
            services.calendar_feed_revoke(person=request.user)
            messages.success(request, _("Your calendar feed is switched off; its address no longer works."))
            return redirect("appointments:calendar")
        _feed, secret = services.calendar_feed_issue(person=request.user)
        feed_url = absolute_url(reverse("appointments:feed", kwargs={"token": secret}))
    feed = selectors.feed_of(person=request.user)
    return render(request, "appointments/calendar.html", {"feed": feed, "feed_url": feed_url})


@never_cache
@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed a calendar app reads without signing in: the secret in the address is the key.
    A revoked or renewed address answers 404. It carries no client-level data (see ical.py), so
    reading it is not an access to a client's file and is not logged."""
    found = selectors.feed_find(secret=token)
    if found is None:
        raise Http404
    appointments = selectors.feed_appointments(person=found.person)
    return _calendar_response(ical.feed_ics(appointments), "werkbrug.ics")

