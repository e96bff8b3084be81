"""Reads for experience experts. The public surface for other apps is `expert_suggestion`."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import policy
from werkbrug.core.choices import DataCategory, Role
from werkbrug.core.models import Region, User
from werkbrug.core.suppression import suppress, suppress_group

from . import balance, matching
from .models import (
    CLIENT_CONTACT_KINDS,
    Attendance,
    CheckIn,
    ClientWish,
    CoordinatorAssignment,
    Deployment,
    DeploymentKind,
    DeploymentRequest,
    DeploymentStatus,
    DeploymentVersion,
    ExpertProfile,
    ExpertSignal,
    LivedExperienceDomain,
    OfferOutcome,
    RequestOffer,
    RequestStatus,
    Setting,
    SupportGroup,
    SupportGroupMeeting,
)

__all__ = ["expert_suggestion"]

SUGGEST_AFTER_WEEKS = 8
MANY_SIGNALS = 3


# --- profiles ---------------------------------------------------------------------------------


def domains_for(region_id: int, *, active_only: bool = True) -> QuerySet[LivedExperienceDomain]:
    qs = LivedExperienceDomain.objects.filter(region_id=region_id)
    return qs.filter(active=True) if active_only else qs


def profile_list(*, user: User) -> QuerySet[ExpertProfile]:
    policy.authorize(user, "ee_profile.list", None)
    return (
        policy.scope(user, "ee_profile.view", ExpertProfile.objects.all())
        .select_related("person", "person__organisation", "buddy__person", "coordinator")
        .prefetch_related("domains")
    )


def profile_get(*, user: User, pk: int, action: str = "ee_profile.view") -> ExpertProfile:
    profile = (
        ExpertProfile.objects.select_related("person", "person__organisation", "buddy__person", "coordinator", "region")
        .prefetch_related("domains", "absences").filter(pk=pk).first()
    )
    if profile is None:
        raise Http404
    policy.authorize(user, action, profile)
    return profile


def coordinator_assignments(*, profile: ExpertProfile) -> QuerySet[CoordinatorAssignment]:
    """The profile's coordinator assignments, newest first (the caller authorized the profile)."""
    return CoordinatorAssignment.objects.filter(profile=profile).select_related("coordinator", "previous", "assigned_by")


def own_profile(user: User) -> ExpertProfile | None:
    return ExpertProfile.objects.select_related("region", "coordinator").filter(person=user).first()


# --- requests and matching --------------------------------------------------------------------


def request_list(*, user: User) -> QuerySet[DeploymentRequest]:
    """Requests the user made, was offered, or open group requests; one log record per list."""
    policy.authorize(user, "ee_request.list", None)
    qs = policy.scope(user, "ee_request.view", DeploymentRequest.objects.all())
    return qs.select_related("client", "requested_by", "expert", "organisation").order_by("-created_at", "-id")


def request_get(*, user: User, pk: int, action: str = "ee_request.view") -> DeploymentRequest:
    request = (
        DeploymentRequest.objects.select_related("client", "requested_by", "expert", "organisation", "trajectory")
        .prefetch_related("offers__expert", "domains").filter(pk=pk).first()
    )
    if request is None:
        raise Http404
    policy.authorize(user, action, request)
    return request


def checked(*, user: User, action: str, obj):
    """Check first, before the view reads its input, without a second access-log record: a
    refusal is logged and raised here; the service that follows logs the granted access once."""
    policy.check(user, action, obj)
    return obj


def request_fetch(*, user: User, pk: int, action: str) -> DeploymentRequest:
    """A request for a write view, checked first (`checked`); the service logs the access."""
    request = DeploymentRequest.objects.select_related("client").prefetch_related("offers").filter(pk=pk).first()
    if request is None:
        raise Http404
    return checked(user=user, action=action, obj=request)


def _candidate(profile: ExpertProfile, request: DeploymentRequest, target: dict[str, int],
               entries: list[balance.Entry], planned_minutes: int) -> matching.Candidate:
    from .services import absent_days

    start = request.period_start
    past = [e for e in entries if start - timedelta(days=28) <= e.date < start]
    contact = [e for e in entries if start - timedelta(days=7) <= e.date < start and e.kind in CLIENT_CONTACT_KINDS]
    month = balance.month_balance(entries, month=start, contract_hours=profile.contract_hours, target=target)
    if month.total_minutes == 0:  # early in the month: look at the month before
        month = balance.month_balance(entries, month=balance.add_months(start, -1), contract_hours=profile.contract_hours,
                                      target=target)
    consent = True
    if request.client_id is not None:
        from werkbrug.core.policy.clients import consented_categories

        consent = DataCategory.PARTICIPATION in consented_categories(request.client, profile.person.organisation_id)
    return matching.Candidate(
        expert_id=profile.person_id, name=str(profile.person),
        domains=frozenset(d.name for d in profile.domains.all()),
        period_days=(request.period_end - request.period_start).days + 1,
        absent_days=absent_days(profile, request.period_start, request.period_end),
        hours_4_weeks=(sum(e.minutes for e in past) + planned_minutes) / 60,
        contract_hours=float(profile.contract_hours),
        contact_hours_week=sum(e.minutes for e in contact) / 60,
        contact_limit=float(profile.client_contact_limit),
        own_office_share=month.own_office_share,
        target_own_office=target["own_office"],
        consent=consent,
    )


def _matches(request: DeploymentRequest, profiles: list[ExpertProfile]) -> list[matching.Match]:
    region = Region.objects.get(pk=request.region_id)
    target = balance.target_split(region.settings)
    first = balance.add_months(request.period_start, -1) - timedelta(days=31)
    rows = Deployment.objects.filter(expert__in=[p.person_id for p in profiles], date__gte=first,
                                     date__lte=request.period_end).values_list("expert_id", "status", "date", "minutes",
                                                                               "setting", "kind")
    entries: dict[int, list[balance.Entry]] = defaultdict(list)
    planned: Counter[int] = Counter()
    for expert_id, status, day, minutes, setting, kind in rows:
        if status == DeploymentStatus.REGISTERED:
            entries[expert_id].append(balance.Entry(date=day, minutes=minutes, setting=setting, kind=kind))
        elif status == DeploymentStatus.PLANNED and request.period_start - timedelta(days=28) <= day <= request.period_end:
            planned[expert_id] += minutes
    candidates = [_candidate(p, request, target, entries[p.person_id], planned[p.person_id]) for p in profiles]
    return matching.rank(
        candidates,
        wanted=frozenset(d.name for d in request.domains.all()),
        client_contact=request.kind in CLIENT_CONTACT_KINDS,
        outside=request.setting != Setting.OWN_OFFICE,
    )


def _candidate_profiles(request: DeploymentRequest) -> list[ExpertProfile]:
    declined = set(request.offers.filter(outcome=OfferOutcome.DECLINED).values_list("expert_id", flat=True))
    return list(
        ExpertProfile.objects.filter(region_id=request.region_id, active=True,
                                     person__role_assignments__role=Role.EXPERIENCE_EXPERT, person__is_active=True)
        .exclude(person_id__in=declined).exclude(person_id=request.requested_by_id)
        .select_related("person", "person__organisation").prefetch_related("domains", "absences").distinct()
    )


def matches_for_request(*, request: DeploymentRequest) -> list[matching.Match]:
    """Ranked experts for a request the caller already authorized (experts who declined are left out)."""
    return _matches(request, _candidate_profiles(request))


def match_for_expert(*, request: DeploymentRequest, profile: ExpertProfile) -> matching.Match | None:
    found = _matches(request, [profile])
    return found[0] if found else None


def offers_for_expert(*, user: User) -> QuerySet[RequestOffer]:
    return RequestOffer.objects.filter(expert=user, outcome=OfferOutcome.PENDING).select_related("request", "request__client")


# --- deployments and balance ------------------------------------------------------------------


def deployment_list(*, user: User, expert: User) -> QuerySet[Deployment]:
    policy.authorize(user, "deployment.list", expert)
    return Deployment.objects.filter(expert=expert).select_related("client", "organisation_served").order_by("-date", "-id")


def deployment_appointment(*, deployment: Deployment):
    """The appointment a planned deployment became when it was accepted (not cancelled), or None
    (the caller has authorized the deployment)."""
    from werkbrug.appointments.models import Appointment, AppointmentStatus

    if deployment.request_id is None:
        return None
    return (Appointment.objects.filter(deployment_request_id=deployment.request_id, expert__person_id=deployment.expert_id)
            .exclude(status=AppointmentStatus.CANCELLED).order_by("id").first())


def deployment_fetch(*, user: User, pk: int, action: str = "deployment.change") -> Deployment:
    """A deployment for a write view, checked first (`checked`); the service logs the access."""
    deployment = Deployment.objects.select_related("client", "organisation_served", "request").filter(pk=pk).first()
    if deployment is None:
        raise Http404
    return checked(user=user, action=action, obj=deployment)


def registration_list(*, user: User, profile: ExpertProfile) -> QuerySet[Deployment]:
    """An expert's registrations (with withdrawn ones, marked), for the expert and their coordinator."""
    policy.authorize(user, "ee_registrations.list", profile)
    return (Deployment.objects.filter(expert_id=profile.person_id).exclude(status=DeploymentStatus.PLANNED)
            .select_related("organisation_served").annotate(n_versions=Count("versions")).order_by("-date", "-id"))


def registration_history(*, deployment: Deployment) -> QuerySet[DeploymentVersion]:
    """The versions of a registration, oldest first (the caller authorized the deployment)."""
    return deployment.versions.select_related("changed_by").order_by("number")


@dataclass
class ExpertBalance:
    profile: ExpertProfile
    months: list[balance.MonthBalance]
    target: dict[str, int]


def expert_balance(*, profile: ExpertProfile, today: date, months: int = 6) -> ExpertBalance:
    """Month balances of one expert (the caller authorized `ee_balance.view`)."""
    target = balance.target_split(profile.region.settings)
    firsts = balance.months_back(today, months)
    rows = Deployment.objects.filter(expert_id=profile.person_id, status=DeploymentStatus.REGISTERED,
                                     date__gte=firsts[0], date__lte=balance.month_end(firsts[-1]))
    entries = [balance.Entry(date=d, minutes=m, setting=s, kind=k) for d, m, s, k in rows.values_list("date", "minutes", "setting", "kind")]
    return ExpertBalance(
        profile=profile, target=target,
        months=[balance.month_balance(entries, month=m, contract_hours=profile.contract_hours, target=target) for m in firsts],
    )


# --- wellbeing --------------------------------------------------------------------------------


def wellbeing_for(*, user: User, profile: ExpertProfile) -> tuple[QuerySet[CheckIn], QuerySet[ExpertSignal]]:
    """Check-ins and signals: the expert and their own coordinator only (the policy decides)."""
    policy.authorize(user, "ee_wellbeing.view", profile)
    return (
        CheckIn.objects.filter(expert_id=profile.person_id).order_by("-week"),
        ExpertSignal.objects.filter(expert_id=profile.person_id).order_by("-created_at", "-id"),
    )


def coordinator_signals(*, user: User) -> QuerySet[ExpertSignal]:
    """Signals of the experts this user coordinates (never of anyone else's)."""
    if not user.has_role(Role.EE_COORDINATOR):
        return ExpertSignal.objects.none()
    experts = ExpertProfile.objects.filter(coordinator=user).values("person_id")
    return ExpertSignal.objects.filter(expert_id__in=experts).select_related("expert").order_by("-created_at", "-id")


# --- support groups ---------------------------------------------------------------------------


def support_group_list(*, user: User) -> QuerySet[SupportGroup]:
    policy.authorize(user, "support_group.list", None)
    qs = SupportGroup.objects.filter(region_id=user.region_id)
    if not user.has_role(Role.EE_COORDINATOR):
        qs = qs.filter(facilitators=user)
    else:
        qs = qs.filter(Q(facilitators=user) | Q(organisation_id=user.organisation_id))
    return qs.distinct().select_related("organisation").prefetch_related("facilitators").annotate(
        n_participants=Count("participants", distinct=True))


def support_group_get(*, user: User, pk: int, action: str = "support_group.view") -> SupportGroup:
    group = (
        SupportGroup.objects.select_related("organisation").prefetch_related(
            "facilitators", "meetings__attendance", "participants__client").filter(pk=pk).first()
    )
    if group is None:
        raise Http404
    policy.authorize(user, action, group)
    return group


def support_group_fetch(*, user: User, pk: int, action: str = "support_group.change") -> SupportGroup:
    """A group for a write view, checked first (`checked`); the service logs the access."""
    group = SupportGroup.objects.filter(pk=pk).first()
    if group is None:
        raise Http404
    return checked(user=user, action=action, obj=group)


def meeting_fetch(*, user: User, pk: int, action: str = "support_group.change") -> SupportGroupMeeting:
    """A meeting for a write view, its group checked first (`checked`); the service logs the access."""
    meeting = SupportGroupMeeting.objects.select_related("group").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    checked(user=user, action=action, obj=meeting.group)
    return meeting


# --- "not forgotten" --------------------------------------------------------------------------


def expert_suggestion(*, trajectory) -> str | None:
    """A short reason why an experience expert may help in this trajectory, or None.

    Suggested when no expert is in the team and no request is open or accepted, and: the client
    asked for one; or there are three or more open signals about the client (signals nobody has
    acknowledged yet); or the IPS phase has not changed for eight weeks (the trajectory's start
    counts when there was no change yet).
    """
    from werkbrug.trajectories.models import TeamMembership

    if TeamMembership.objects.filter(trajectory=trajectory, left_at__isnull=True, role=Role.EXPERIENCE_EXPERT).exists():
        return None
    if DeploymentRequest.objects.filter(trajectory=trajectory, status__in=[RequestStatus.OPEN, RequestStatus.OFFERED,
                                                                           RequestStatus.ACCEPTED]).exists():
        return None
    if ClientWish.objects.filter(trajectory=trajectory).exists():
        return _("The client asked to talk with an experience expert.")
    try:
        from werkbrug.collaboration.selectors import signals_for_client
    except ImportError:
        signals_for_client = None
    if signals_for_client is not None:
        try:
            # open: no recipient has acknowledged it yet (as for escalation)
            count = (signals_for_client(client=trajectory.client)
                     .exclude(recipients__acknowledged_at__isnull=False).order_by().count())
        except Exception:  # noqa: BLE001 — another module's read must never break the trajectory page
            count = 0
        if count >= MANY_SIGNALS:
            return _("There are %(n)s open signals about this client: an experience expert may help.") % {"n": count}
    try:
        from werkbrug.employment.selectors import last_phase_change
    except ImportError:
        last_phase_change = None
    if last_phase_change is not None:
        try:
            changed = last_phase_change(trajectory_ids=[trajectory.pk]).get(trajectory.pk)
        except Exception:  # noqa: BLE001
            changed = None
        since = changed or trajectory.started_on
        if since is not None and (timezone.localdate() - since).days >= SUGGEST_AFTER_WEEKS * 7:
            return _("No change of phase for %(weeks)s weeks: an experience expert may help.") % {
                "weeks": (timezone.localdate() - since).days // 7}
    return None


# --- reports ----------------------------------------------------------------------------------


@dataclass
class Report:
    start: date
    end: date
    by_kind: list[tuple[str, int, int]]  # label, count, minutes
    by_setting: list[tuple[str, int, int]]
    by_month: list[tuple[date, int, int]]
    clients_reached: int
    requests_made: int
    requests_accepted: int
    offers_declined: int
    balance_rows: list[dict]
    attendance_rows: list[dict]
    total_minutes: int


def report(*, region_id: int, start: date, end: date, viewer: User | None) -> Report:
    """Aggregates only: no client names, no wellbeing. The caller authorized `ee_report.view`.

    The balance per expert names the expert: it lists only the experts whose balance `viewer` may
    see (`ee_balance.view`: not another organisation's manager); `viewer=None` (a task, a test)
    lists all."""
    deployments = Deployment.objects.filter(region_id=region_id, status=DeploymentStatus.REGISTERED, date__gte=start,
                                            date__lte=end)
    kinds = {r["kind"]: r for r in deployments.values("kind").annotate(n=Count("id"), m=Sum("minutes"))}
    by_kind = [(str(label), kinds[v]["n"] if v in kinds else 0, kinds[v]["m"] if v in kinds else 0)
               for v, label in DeploymentKind.choices]
    settings_ = {r["setting"]: r for r in deployments.values("setting").annotate(n=Count("id"), m=Sum("minutes"))}
    by_setting = [(str(label), settings_[v]["n"] if v in settings_ else 0, settings_[v]["m"] if v in settings_ else 0)
                  for v, label in Setting.choices]
    per_month: dict[date, list[int]] = {}
    month = balance.month_start(start)
    while month <= end:
        per_month[month] = [0, 0]
        month = balance.add_months(month, 1)
    for day, minutes in deployments.values_list("date", "minutes"):
        row = per_month[balance.month_start(day)]
        row[0] += 1
        row[1] += minutes
    requests = DeploymentRequest.objects.filter(region_id=region_id, created_at__date__gte=start, created_at__date__lte=end)
    offers = RequestOffer.objects.filter(request__in=requests)
    region = Region.objects.get(pk=region_id)
    target = balance.target_split(region.settings)
    balance_rows = []
    for profile in ExpertProfile.objects.filter(region_id=region_id).select_related("person"):
        if viewer is not None and not policy.can(viewer, "ee_balance.view", profile):
            continue
        entries = [balance.Entry(date=d, minutes=m, setting=s, kind=k) for d, m, s, k in
                   deployments.filter(expert_id=profile.person_id).values_list("date", "minutes", "setting", "kind")]
        months = [balance.month_balance(entries, month=m, contract_hours=profile.contract_hours, target=target)
                  for m in per_month]
        minutes = sum(m.total_minutes for m in months)
        own = sum(m.by_setting.get(Setting.OWN_OFFICE, 0) for m in months)
        balance_rows.append({
            "expert": str(profile.person), "minutes": minutes,
            "contract_minutes": sum(m.contract_minutes for m in months),
            "own_office_pct": round(100 * own / minutes) if minutes else None,
            "months_out": sum(1 for m in months if m.out_of_balance),
        })
    attendance_rows = []
    meetings = SupportGroupMeeting.objects.filter(group__region_id=region_id, starts_at__date__gte=start,
                                                  starts_at__date__lte=end).select_related("group").order_by("starts_at")
    present = dict(Attendance.objects.filter(meeting__in=meetings, present=True).values("meeting").annotate(n=Count("id"))
                   .values_list("meeting", "n"))
    recorded = dict(Attendance.objects.filter(meeting__in=meetings).values("meeting").annotate(n=Count("id"))
                    .values_list("meeting", "n"))
    for meeting in meetings:
        attendance_rows.append({"group": meeting.group.name, "number": meeting.number, "theme": meeting.theme,
                                "date": meeting.starts_at.date(), "present": present.get(meeting.pk, 0),
                                "recorded": recorded.get(meeting.pk, 0)})
    return Report(
        start=start, end=end, by_kind=by_kind, by_setting=by_setting,
        by_month=[(m, v[0], v[1]) for m, v in per_month.items()],
        clients_reached=deployments.filter(client__isnull=False).values("client").distinct().count(),
        requests_made=requests.count(),
        requests_accepted=requests.filter(status=RequestStatus.ACCEPTED).count(),
        offers_declined=offers.filter(outcome=OfferOutcome.DECLINED).count(),
        balance_rows=balance_rows, attendance_rows=attendance_rows,
        total_minutes=sum(r[2] for r in by_kind),
    )


def report_suppressed(result: Report) -> Report:
    """The report as it may be shown (page, PDF, API): every count through the one small-number
    suppression (`werkbrug.core.suppression`), each table as a group whose total is known.
    A suppressed count is a string ("<5", or "x" for a complementary one)."""
    def rows(table):
        group = suppress_group([n for _key, n, _minutes in table])
        return [(key, shown, minutes) for (key, _n, minutes), shown in zip(table, group.cells, strict=True)]

    requests = suppress_group([result.requests_accepted, result.requests_made - result.requests_accepted])
    attendance = []
    for row in result.attendance_rows:
        group = suppress_group([row["present"], row["recorded"] - row["present"]])
        attendance.append({**row, "present": group.cells[0], "recorded": group.total})
    return replace(
        result, by_kind=rows(result.by_kind), by_setting=rows(result.by_setting), by_month=rows(result.by_month),
        clients_reached=suppress(result.clients_reached), requests_made=requests.total,
        requests_accepted=requests.cells[0], offers_declined=suppress(result.offers_declined),
        attendance_rows=attendance,
    )


def client_by_pseudonym(*, region_id: int, pseudonym: str):
    """Plain lookup by client id for write forms (the service authorizes and logs)."""
    from werkbrug.clients.models import Client

    return Client.objects.filter(region_id=region_id, pseudonym=(pseudonym or "").strip().upper()).first()


def trajectory_for_write(*, pk) -> object:
    from werkbrug.trajectories.models import Trajectory

    trajectory = Trajectory.objects.select_related("client").filter(pk=pk).first()
    if trajectory is None:
        raise Http404
    return trajectory
