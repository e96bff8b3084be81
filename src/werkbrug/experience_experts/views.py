"""Pages for experience experts. Thin: parse input, call one service or selector, render."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkbrug.core import policy
from werkbrug.core.choices import Role
from werkbrug.web.charts import Series, bar_chart
from werkbrug.web.forms import apply_validation_error

from . import balance, selectors, services, workflow
from .forms import (
    AbsenceForm,
    AttendanceForm,
    CheckInForm,
    CoordinatorForm,
    DeploymentForm,
    DomainForm,
    MeetingForm,
    ParticipantForm,
    ProfileCreateForm,
    ProfileForm,
    ReportForm,
    RequestForm,
    ScheduleForm,
    SupportGroupForm,
)
from .models import (
    Deployment,
    DeploymentKind,
    DeploymentStatus,
    ExpertProfile,
    RequestStatus,
    Setting,
)


def _today() -> date:
    return timezone.localdate()


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    policy.authorize(user, "experience_experts.use", None)
    profile = selectors.own_profile(user)
    context = {
        "profile": profile,
        "offers": selectors.offers_for_expert(user=user) if profile else [],
        "planned": profile and profile.person.deployments.filter(status=DeploymentStatus.PLANNED).count(),
        "signals": selectors.coordinator_signals(user=user)[:20],
        "is_coordinator": user.has_role(Role.EE_COORDINATOR),
        "can_report": policy.can(user, "ee_report.view", None),
        "can_groups": policy.can(user, "support_group.list", None),
        "can_request": policy.can(user, "ee_request.create", None),
    }
    return render(request, "experience_experts/index.html", context)


# --- profiles and domains ---------------------------------------------------------------------


@login_required
def profiles(request: HttpRequest) -> HttpResponse:
    items = selectors.profile_list(user=request.user)
    # a profile nobody has yet: only coordinators (and region administrators) may make one
    can_create = policy.can(request.user, "ee_profile.create", None)
    return render(request, "experience_experts/profiles.html", {"profiles": items, "can_create": can_create})


@login_required
def profile_create(request: HttpRequest) -> HttpResponse:
    """A coordinator makes the profile of an experience expert of the region."""
    user = request.user
    policy.authorize(user, "ee_profile.create", None)
    form = ProfileCreateForm(request.POST or None, region_id=user.region_id,
                             can_assign=policy.can(user, "ee_profile.assign_coordinator", None))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.profile_create(created_by=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The profile is made."))
            return redirect("experience_experts:profile", pk=created.pk)
    return render(request, "experience_experts/form.html", {
        "form": form, "title": _("New profile of an experience expert"), "back": reverse("experience_experts:profiles"),
        "intro": _("Choose the experience expert and fill in their contract hours and their own limit of client contact."),
    })


@login_required
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = selectors.profile_get(user=user, pk=pk)
    can_assign = policy.can(user, "ee_profile.assign_coordinator", item)
    return render(request, "experience_experts/profile.html", {
        "profile": item, "can_change": policy.can(user, "ee_profile.change", item),
        "can_balance": policy.can(user, "ee_balance.view", item),
        "can_wellbeing": policy.can(user, "ee_wellbeing.view", item),
        "can_registrations": policy.can(user, "ee_registrations.list", item),
        "can_see_notes": policy.can(user, "ee_absence.view_note", item),
        "absence_form": AbsenceForm(),
        "coordinator_form": CoordinatorForm(region_id=item.region_id, initial={"coordinator": item.coordinator})
        if can_assign else None,
        # The expert always sees who made whom their coordinator, and when.
        "assignments": selectors.coordinator_assignments(profile=item)[:5]
        if item.person_id == user.pk or can_assign else [],
    })


@login_required
@require_POST
def profile_coordinator(request: HttpRequest, pk: int) -> HttpResponse:
    """The region administrator assigns the expert's coordinator (the expert is told)."""
    item = selectors.profile_get(user=request.user, pk=pk, action="ee_profile.assign_coordinator")
    form = CoordinatorForm(request.POST, region_id=item.region_id)
    if not form.is_valid():
        messages.error(request, _("Choose an experience-expert coordinator of this region."))
        return redirect("experience_experts:profile", pk=item.pk)
    try:
        services.coordinator_assign(profile=item, coordinator=form.cleaned_data["coordinator"], assigned_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The coordinator is assigned; the expert is told."))
    return redirect("experience_experts:profile", pk=item.pk)


@login_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.profile_get(user=request.user, pk=pk, action="ee_profile.change")
    initial = {f: getattr(item, f) for f in ("higher_vocational", "education_field", "training_name", "training_year",
                                            "contract_hours", "client_contact_limit", "availability")}
    initial.update(domains=list(item.domains.all()), buddy=item.buddy)
    form = ProfileForm(request.POST or None, profile=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        buddy = data.pop("buddy")
        try:
            services.profile_update(profile=item, changed_by=request.user, domains=data.pop("domains"), **data)
            if buddy != item.buddy:
                services.buddy_pair(profile=item, buddy=buddy, changed_by=request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("experience_experts:profile", pk=item.pk)
    return render(request, "experience_experts/form.html", {
        "form": form, "title": _("Edit profile of %(name)s") % {"name": item.person},
        "back": reverse("experience_experts:profile", args=[item.pk]),
    })


@login_required
@require_POST
def absence_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.profile_get(user=request.user, pk=pk, action="ee_profile.change")
    form = AbsenceForm(request.POST)
    if form.is_valid():
        try:
            services.absence_add(profile=item, added_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The absence is saved."))
    else:
        messages.error(request, _("Give a valid start and end date."))
    return redirect("experience_experts:profile", pk=item.pk)


@login_required
@require_POST
def absence_remove(request: HttpRequest, pk: int, absence_pk: int) -> HttpResponse:
    item = selectors.profile_get(user=request.user, pk=pk, action="ee_profile.change")
    absence = get_object_or_404(item.absences, pk=absence_pk)
    services.absence_remove(absence=absence, removed_by=request.user)
    messages.success(request, _("The absence is removed."))
    return redirect("experience_experts:profile", pk=item.pk)


@login_required
def domains(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "ee_domain.list", None)
    can_change = policy.can(request.user, "ee_domain.change", None)
    form = DomainForm(request.POST or None)
    if request.method == "POST":
        policy.authorize(request.user, "ee_domain.change", None)  # check first, before the form is read
        if "toggle" in request.POST:
            raw = request.POST["toggle"]
            domain = selectors.domains_for(request.user.region_id, active_only=False).filter(
                pk=int(raw) if raw.isdigit() else 0).first()
            if domain is None:
                raise Http404
            services.domain_update(domain=domain, changed_by=request.user, active=not domain.active)
            return redirect("experience_experts:domains")
        if form.is_valid():
            try:
                services.domain_create(region=request.user.region, name=form.cleaned_data["name"], created_by=request.user)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The domain is added."))
                return redirect("experience_experts:domains")
    return render(request, "experience_experts/domains.html", {
        "domains": selectors.domains_for(request.user.region_id, active_only=False), "form": form,
        "can_change": can_change,
    })


# --- requests ---------------------------------------------------------------------------------


@login_required
def requests(request: HttpRequest) -> HttpResponse:
    return render(request, "experience_experts/requests.html", {"requests": selectors.request_list(user=request.user)[:200]})


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    trajectory = None
    pk = request.GET.get("trajectory") or request.POST.get("trajectory")
    if pk:
        if not str(pk).isdigit():
            raise Http404
        if request.method == "POST":
            trajectory = selectors.trajectory_for_write(pk=pk)  # the service authorizes and logs …
            selectors.checked(user=user, action="ee_request.create", obj=trajectory.client)  # … checked first
        else:
            from werkbrug.trajectories.selectors import trajectory_get

            trajectory = trajectory_get(user=user, pk=int(pk))
    else:
        policy.authorize(user, "ee_request.create", None)
    today = _today()
    form = RequestForm(request.POST or None, region_id=user.region_id,
                       initial={"period_start": today, "period_end": today + timedelta(days=14)})
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_create(requested_by=user, trajectory=trajectory, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The request is made. Choose an experience expert below."))
            return redirect("experience_experts:request", pk=created.pk)
    suggestion = selectors.expert_suggestion(trajectory=trajectory) if trajectory else None
    return render(request, "experience_experts/request_form.html", {
        "form": form, "trajectory": trajectory, "suggestion": suggestion})


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_page(request, selectors.request_get(user=request.user, pk=pk))


def _request_page(request: HttpRequest, item, accept_form: ScheduleForm | None = None) -> HttpResponse:
    user = request.user
    # `can` decides without logging: the page's single record is request_get's.
    can_offer = item.status == RequestStatus.OPEN and policy.can(user, "ee_request.offer", item)
    pending = next((o for o in item.offers.all() if o.outcome == "pending"), None)
    can_cancel = item.status not in workflow.CLOSED and policy.can(user, "ee_request.cancel", item)
    return render(request, "experience_experts/request.html", {
        "can_cancel": can_cancel,
        "item": item, "offers": item.offers.all(),
        "matches": selectors.matches_for_request(request=item) if can_offer else [],
        "can_offer": can_offer, "can_answer": pending is not None and pending.expert_id == user.pk, "pending": pending,
        "accept_form": accept_form or ScheduleForm(prefix="accept", initial={
            "starts_at": timezone.make_aware(datetime.combine(item.period_start, time(10, 0))),
            "ends_at": timezone.make_aware(datetime.combine(item.period_start, time(10, 0)))
            + timedelta(minutes=max(15, min(item.minutes, 12 * 60))),
        }),
    })


@login_required
@require_POST
def request_offer(request: HttpRequest, pk: int) -> HttpResponse:
    from werkbrug.core.models import User

    item = selectors.request_fetch(user=request.user, pk=pk, action="ee_request.offer")
    raw = request.POST.get("expert", "")
    expert = User.objects.filter(pk=int(raw) if raw.isdigit() else 0, region_id=request.user.region_id).first()
    if expert is None:
        raise Http404
    try:
        services.request_offer(request=item, expert=expert, offered_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The request is put to %(name)s.") % {"name": expert})
    return redirect("experience_experts:request", pk=item.pk)


@login_required
@require_POST
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.request_fetch(user=request.user, pk=pk, action="ee_request.answer")
    if request.POST.get("answer") == "accept":
        form = ScheduleForm(request.POST, prefix="accept")
        if form.is_valid():
            try:
                planned = services.request_accept(request=item, expert=request.user, schedule=form.schedule())
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Accepted. The deployment is planned and in everyone's calendar; register "
                                            "it once it has taken place."))
                return redirect(reverse("experience_experts:deployment_register") + f"?planned={planned.pk}")
        return _request_page(request, selectors.request_get(user=request.user, pk=pk), accept_form=form)
    try:
        services.request_decline(request=item, expert=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("experience_experts:index")
    messages.success(request, _("Declined. Thank you for letting us know."))
    return redirect("experience_experts:index")


# --- deployments and balance ------------------------------------------------------------------


@login_required
def deployments(request: HttpRequest) -> HttpResponse:
    items = selectors.deployment_list(user=request.user, expert=request.user)
    return render(request, "experience_experts/deployments.html", {"deployments": items[:200]})


@login_required
def deployment_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Change when and where a planned deployment takes place; its appointment moves with it."""
    if request.method == "POST":
        deployment = selectors.deployment_fetch(user=request.user, pk=pk)  # the service logs the access
    else:  # GET shows the deployment and its appointment: one log record
        deployment = selectors.deployment_fetch(user=request.user, pk=pk, action="deployment.view")
        policy.authorize(request.user, "deployment.view", deployment)
    if deployment.status != DeploymentStatus.PLANNED:
        raise Http404
    appointment = selectors.deployment_appointment(deployment=deployment)
    initial = {"starts_at": timezone.localtime(appointment.starts_at), "ends_at": timezone.localtime(appointment.ends_at),
               "place": appointment.place, "video_link": appointment.video_link} if appointment else {}
    form = ScheduleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.deployment_plan(deployment=deployment, expert=request.user, schedule=form.schedule())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The deployment is moved; everyone taking part has been told."))
            return redirect("experience_experts:deployments")
    return render(request, "experience_experts/deployment_plan.html", {"deployment": deployment, "form": form})


@login_required
def deployment_register(request: HttpRequest) -> HttpResponse:
    user = request.user
    planned = None
    planned_pk = request.GET.get("planned") or request.POST.get("planned")
    if planned_pk:
        if not str(planned_pk).isdigit():
            raise Http404
        if request.method == "POST":
            planned = selectors.deployment_fetch(user=user, pk=int(planned_pk))  # the service logs the access
        else:  # GET shows the client: one log record
            planned = selectors.deployment_fetch(user=user, pk=int(planned_pk), action="deployment.view")
            policy.authorize(user, "deployment.view", planned)
        if planned.status != DeploymentStatus.PLANNED:
            raise Http404
    elif not policy.can(user, "deployment.create", Deployment(expert=user)):
        raise Http404
    initial = {"date": min(_today(), planned.date) if planned else _today(), "setting": Setting.OWN_OFFICE}
    if planned:
        initial.update(kind=planned.kind, minutes=planned.minutes, setting=planned.setting,
                       organisation_served=planned.organisation_served, topic=planned.topic,
                       client=planned.client.pseudonym if planned.client else "")
    form = DeploymentForm(request.POST or None, region_id=user.region_id, planned=planned is not None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if planned:
                services.deployment_complete(deployment=planned, expert=user, date=data["date"], minutes=data["minutes"],
                                             setting=data["setting"], kind=data["kind"], outcome=data["outcome"])
            else:
                client = None
                if data["client"]:
                    client = selectors.client_by_pseudonym(region_id=user.region_id, pseudonym=data["client"])
                    if client is None:
                        raise ValidationError({"client": _("There is no client with this id in the region.")})
                services.deployment_register(expert=user, date=data["date"], kind=data["kind"], minutes=data["minutes"],
                                             setting=data["setting"], organisation_served=data["organisation_served"],
                                             client=client, topic=data["topic"], outcome=data["outcome"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The deployment is registered."))
            return redirect("experience_experts:balance")
    return render(request, "experience_experts/deployment_form.html", {"form": form, "planned": planned})


def _chart(title: str, description: str, labels, series, suffix: str):
    svg = bar_chart(title=title, description=description, labels=labels, series=series, stacked=True)
    # two charts on one page must not share the ids of their title and description
    return svg.replace('id="t"', f'id="t-{suffix}"').replace('id="d"', f'id="d-{suffix}"').replace(
        'aria-labelledby="t d"', f'aria-labelledby="t-{suffix} d-{suffix}"')


def _balance_page(request: HttpRequest, item: ExpertProfile) -> HttpResponse:
    from django.utils.safestring import mark_safe

    result = selectors.expert_balance(profile=item, today=_today())
    labels = [m.month.strftime("%m-%Y") for m in result.months]
    settings_series = [Series(str(label), [m.by_setting.get(value, 0) / 60 for m in result.months])
                       for value, label in Setting.choices]
    kinds_used = [(v, label) for v, label in DeploymentKind.choices if any(m.by_kind.get(v) for m in result.months)]
    rows = []
    for m in result.months:
        rows.append({
            "month": m.month, "hours": m.total_minutes / 60, "contract": m.contract_minutes / 60,
            "settings": [m.by_setting.get(v, 0) / 60 for v, _label in Setting.choices],
            "own_share": m.own_office_share, "out": m.out_of_balance, "below": m.below_own_office_target,
            "over": m.over_contract,
        })
    kind_rows = [(label, [m.by_kind.get(v, 0) / 60 for m in result.months]) for v, label in kinds_used]
    chart = _chart(_("Hours per month by setting"), _("Stacked bars: hours at the own office, external organisations "
                   "and other offices per month. The same figures are in the table below."), labels, settings_series, "s")
    return render(request, "experience_experts/balance.html", {
        "profile": item, "result": result, "rows": rows, "labels": labels, "kind_rows": kind_rows,
        "chart": mark_safe(chart), "setting_labels": [label for _v, label in Setting.choices],  # noqa: S308 — escaped by bar_chart
    })


@login_required
def balance_own(request: HttpRequest) -> HttpResponse:
    item = selectors.own_profile(request.user)
    if item is None:
        raise Http404
    policy.authorize(request.user, "ee_balance.view", item)
    return _balance_page(request, item)


@login_required
def balance_expert(request: HttpRequest, pk: int) -> HttpResponse:
    return _balance_page(request, selectors.profile_get(user=request.user, pk=pk, action="ee_balance.view"))


# --- wellbeing --------------------------------------------------------------------------------


def _wellbeing_page(request: HttpRequest, item: ExpertProfile, form=None) -> HttpResponse:
    checkins, signals = selectors.wellbeing_for(user=request.user, profile=item)
    return render(request, "experience_experts/wellbeing.html", {
        "profile": item, "checkins": checkins[:26], "signals": signals[:20], "form": form,
        "own": item.person_id == request.user.pk, "week": balance.week_start(_today()),
    })


@login_required
def wellbeing_own(request: HttpRequest) -> HttpResponse:
    item = selectors.own_profile(request.user)
    if item is None:
        raise Http404
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.checkin_submit(expert=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Thank you. Your check-in for this week is saved."))
            return redirect("experience_experts:wellbeing")
    return _wellbeing_page(request, item, form)


@login_required
def wellbeing_expert(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.profile_get(user=request.user, pk=pk, action="ee_wellbeing.view")
    if item.person_id == request.user.pk:
        return redirect("experience_experts:wellbeing")
    return _wellbeing_page(request, item)


# --- support groups ---------------------------------------------------------------------------


@login_required
def groups(request: HttpRequest) -> HttpResponse:
    return render(request, "experience_experts/groups.html", {"groups": selectors.support_group_list(user=request.user)})


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "support_group.create", None)
    form = SupportGroupForm(request.POST or None, region_id=request.user.region_id)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.support_group_create(organisation=request.user.organisation, created_by=request.user,
                                                  **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The support group is made with its meetings."))
            return redirect("experience_experts:group", pk=group.pk)
    return render(request, "experience_experts/form.html", {
        "form": form, "title": _("New support group"), "back": reverse("experience_experts:groups"),
        "intro": _("A series of meetings, living-room style. The themes are a starting point: change them once you know the group."),
    })


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.support_group_get(user=request.user, pk=pk)
    form = ParticipantForm()
    return render(request, "experience_experts/group.html", {"group": group, "form": form})


@login_required
@require_POST
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.support_group_fetch(user=request.user, pk=pk)
    form = ParticipantForm(request.POST)
    client = selectors.client_by_pseudonym(region_id=request.user.region_id, pseudonym=request.POST.get("client", ""))
    if not form.is_valid() or client is None:
        messages.error(request, _("There is no client with this id in the region."))
        return redirect("experience_experts:group", pk=pk)
    try:
        services.participant_add(group=group, client=client, added_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The participant is added."))
    return redirect("experience_experts:group", pk=pk)


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        item = selectors.meeting_fetch(user=request.user, pk=pk)
        participants = list(item.group.participants.select_related("client"))
        if request.POST.get("form") == "meeting":
            form = MeetingForm(request.POST, prefix="m")
            if form.is_valid():
                try:
                    services.meeting_update(meeting=item, changed_by=request.user, notes=item.notes, **form.cleaned_data)
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
                else:
                    messages.success(request, _("The meeting is saved."))
            else:
                messages.error(request, _("Give a theme, a start and an end."))
        else:
            form = AttendanceForm(request.POST, participants=participants)
            if form.is_valid():
                try:
                    services.attendance_record(meeting=item, present=form.cleaned_data["present"], recorded_by=request.user,
                                               notes=form.cleaned_data["notes"])
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
                else:
                    messages.success(request, _("Attendance and notes are saved."))
        return redirect("experience_experts:meeting", pk=pk)
    item = selectors.meeting_fetch(user=request.user, pk=pk, action="support_group.view")
    group = selectors.support_group_get(user=request.user, pk=item.group_id)
    participants = [p for p in group.participants.all()]
    present = [a.participant_id for a in item.attendance.all() if a.present]
    tz = timezone.get_current_timezone()
    meeting_form = MeetingForm(initial={"theme": item.theme, "starts_at": item.starts_at.astimezone(tz),
                                        "ends_at": item.ends_at.astimezone(tz)}, prefix="m")
    attendance_form = AttendanceForm(participants=participants, initial={"present": present, "notes": item.notes})
    return render(request, "experience_experts/meeting.html", {
        "meeting": item, "group": group, "meeting_form": meeting_form, "attendance_form": attendance_form})


# --- reports ----------------------------------------------------------------------------------


def _report_context(request: HttpRequest) -> dict:
    policy.authorize(request.user, "ee_report.view", None)
    today = _today()
    default_start = balance.add_months(balance.month_start(today), -11)
    form = ReportForm(request.GET or None, initial={"start": default_start, "end": today})
    start, end = default_start, today
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        if end < start or (end - start).days > 3 * 366:
            start, end = default_start, today
    result = selectors.report_suppressed(selectors.report(region_id=request.user.region_id, start=start, end=end,
                                                             viewer=request.user))
    from django.utils.safestring import mark_safe

    chart = _chart(_("Deployments per month"), _("Bars: hours of deployments per month. The same figures are in the table."),
                   [m.strftime("%m-%Y") for m, _n, _min in result.by_month],
                   [Series(_("Hours"), [minutes / 60 for _m, _n, minutes in result.by_month])], "r")
    return {"form": form, "report": result, "chart": mark_safe(chart),  # noqa: S308 — escaped by bar_chart
            "query": request.GET.urlencode()}


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    return render(request, "experience_experts/reports.html", _report_context(request))


@login_required
def reports_pdf(request: HttpRequest) -> HttpResponse:
    from werkbrug.web.pdf import render_pdf

    context = _report_context(request)
    try:
        return render_pdf(request, "experience_experts/reports.html", context, filename="ervaringsdeskundigen.pdf")
    except AttributeError:
        # The shared helper's URL fetcher does not fit WeasyPrint 70 yet (reported). Until it is
        # fixed, render without fetching anything: no base URL, so no file or network is read.
        from django.template.loader import render_to_string
        from weasyprint import HTML

        html = render_to_string("experience_experts/reports.html", {**context, "pdf": True}, request=request)
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="ervaringsdeskundigen.pdf"'
        return response


@login_required
@require_POST
def client_wish(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    """A team member notes that the client asked for an experience expert (shown as a suggestion)."""
    trajectory = selectors.trajectory_for_write(pk=trajectory_pk)
    try:
        services.client_wish_record(trajectory=trajectory, recorded_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("trajectories:detail", pk=trajectory.pk)
    messages.success(request, _("Noted: the client would like to talk with an experience expert."))
    return redirect(reverse("experience_experts:request_create") + f"?trajectory={trajectory.pk}")
