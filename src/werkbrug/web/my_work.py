""""My work": what waits for the signed-in person, per role, on the home page.

Each list comes from its app's data under the same rules as the pages it links to: casework
items only for trajectories where the person is a current team member and the client consents
to their organisation seeing that category (`trajectories.selectors.caseload_trajectories` and
`ConsentState.objects.current()`), so the home page shows nothing its links would refuse. One
access-log record per page for the casework lists (`work.view`), like the caseload.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timeuntil
from django.utils.translation import gettext_lazy as _

from werkbrug.core import policy
from werkbrug.core.choices import CASEWORK_ROLES, DataCategory, Role
from werkbrug.core.links import local_datetime

if TYPE_CHECKING:
    from werkbrug.core.models import User

LIMIT = 10
# Totals are counted up to here: beyond it the page and the navigation say "99+". Counting every
# one of 2 000 open items applied the caseload's rules to each (most of the busiest page's time).
CAP = 99
DENIED_BURST = 5  # denied attempts by one person within a day that the privacy officer should see


@dataclass
class Item:
    title: str
    url: str
    detail: str = ""
    due: date | datetime | None = None
    overdue: bool = False
    urgent: bool = False

    @property
    def due_shown(self) -> str:
        """The date (and time) as people read it, in Europe/Amsterdam."""
        if self.due is None:
            return ""
        if isinstance(self.due, datetime):
            return local_datetime(self.due)
        return date_format(self.due, "j F Y")

    @property
    def countdown(self) -> str:
        """For a deadline still ahead: how long is left ("1 dag, 3 uur")."""
        if isinstance(self.due, datetime) and not self.overdue and self.due > timezone.now():
            return timeuntil(self.due)
        return ""


@dataclass
class Section:
    key: str
    heading: str
    items: list[Item] = field(default_factory=list)
    total: int = 0
    more_url: str = ""
    # How many of `total` wait for the person to act (what the navigation counts); None: all.
    waiting: int | None = None

    @property
    def open_count(self) -> int:
        return self.total if self.waiting is None else self.waiting

    @property
    def total_shown(self) -> str:
        return count_shown(self.total)


def count_shown(n: int) -> str:
    """A total as shown: "99+" past CAP (totals are counted no further, see `_capped`)."""
    return f"{CAP}+" if n > CAP else str(n)


def _consents(user: User, category: str, client) -> Exists:
    """Whether the client (an `OuterRef`) consents now to the person's organisation seeing
    `category`: asked per row (the consent index's lookup), not as the set of every client of the
    organisation that consents, which cost the same for one client as for ten thousand."""
    from werkbrug.clients.models import ConsentState

    return Exists(ConsentState.objects.current().filter(client_id=client, organisation_id=user.organisation_id,
                                                        category=category))


def _trajectories(user: User, category: str):
    from werkbrug.trajectories.selectors import caseload_trajectories

    return caseload_trajectories(user=user).filter(_consents(user, category, OuterRef("client_id")))


def _per_row(check: Exists) -> Case:
    """`check` asked for each row the list walks (CASE WHEN EXISTS …): as a plain EXISTS,
    PostgreSQL turns it into a join and, guessing far too few rows pass the caseload's rules,
    joins the whole caseload (10 000 trajectories) to count 100 open items or find a page of them.
    Per row it is a few index lookups, and the walk stops at the LIMIT."""
    return Case(When(check, then=Value(True)), default=Value(False), output_field=BooleanField())


def _in_caseload(user: User, category: str, trajectory: str, per_row: bool = True) -> Case | Exists:
    """Whether the row's trajectory (the column `trajectory` of the outer query) is in the
    person's caseload and its client consents to `category`: the caseload's rules asked for that
    one trajectory (index lookups), so a list walks the person's own open items in the order shown
    and stops after a page. As `trajectory__in=<caseload>`, PostgreSQL checked all ~2 000 open
    items of the busiest professional (and joined the whole caseload of 10 000) before sorting."""
    check = Exists(_trajectories(user, category).filter(pk=OuterRef(trajectory)))
    return _per_row(check) if per_row else check


def _current_version(version: str) -> Case:
    """Whether the version (column `version` of the outer query) is the current one of its plan
    (a plan's `current_version` is always one of its own versions). Asked as EXISTS: as the join
    condition `plan.current_version_id = version.id` PostgreSQL guessed that almost no row would
    pass and sorted every open item instead of walking the index in the order shown."""
    from werkbrug.plans.models import Plan

    return _per_row(Exists(Plan.objects.filter(current_version_id=OuterRef(version))))


def _capped(queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` whose count is shown: at most CAP + 1 of them, so a count stops
    there ("99+") instead of applying the list's rules to every open item."""
    return queryset.model._base_manager.filter(pk__in=queryset.order_by().values("pk")[:CAP + 1])


def _first(queryset: QuerySet, counted: dict[str, QuerySet], key: str, count: QuerySet | None = None) -> list:
    """The first LIMIT rows; when there are that many, the list is counted later (`_count_all`)
    with the page's other full lists, in one query (`count`: the same rows, asked another way)."""
    rows = list(queryset[:LIMIT])
    if len(rows) == LIMIT:
        counted[key] = queryset if count is None else count
    return rows


def _count_all(user: User, sections: list[Section], counted: dict[str, QuerySet]) -> None:
    """The totals of the full lists, each counted up to CAP + 1, in one query."""
    from werkbrug.core.models import User as Person

    if not counted:
        return
    row = Person.objects.filter(pk=user.pk).values(
        **{f"n_{key}": _count(_capped(qs)) for key, qs in counted.items()}).get()
    for section in sections:
        if section.key in counted:
            section.total = row[f"n_{section.key}"] or 0


def _waiting_for_agreement(user: User):
    from werkbrug.plans.models import PlanVersion

    return (PlanVersion.objects.filter(_current_version("pk"),
                                       _in_caseload(user, DataCategory.PLAN, "plan__trajectory_id"),
                                       submitted_at__isnull=False, agreed_at__isnull=True)
            .exclude(responses__person=user))


def _signals_to_acknowledge(user: User, per_row: bool = True):
    """`per_row=False` for the list: its order (urgency, then age) is on the signal, so every open
    signal is read and sorted anyway, and then a join is cheaper than asking per row."""
    from werkbrug.collaboration.models import SignalRecipient

    return SignalRecipient.objects.filter(_in_caseload(user, DataCategory.SIGNALS, "signal__trajectory_id", per_row),
                                          person=user, acknowledged_at__isnull=True)


def _referrals_to_my_organisation(user: User):
    from werkbrug.collaboration.models import Referral, ReferralState

    return Referral.objects.filter(_consents(user, DataCategory.PARTICIPATION, OuterRef("trajectory__client_id")),
                                   organisation_id=user.organisation_id, state=ReferralState.REQUESTED,
                                   trajectory__region_id=user.region_id)


def _questions_to_answer(user: User):
    from werkbrug.ambassadors.models import Question, QuestionStatus

    return Question.objects.filter(assignee__person=user, status=QuestionStatus.OPEN)


def _offers(user: User):
    from werkbrug.experience_experts.selectors import offers_for_expert

    return offers_for_expert(user=user)


def _casework(user: User, today: date, counted: dict[str, QuerySet]) -> list[Section]:
    from werkbrug.plans.models import Action, ActionStatus

    policy.authorize(user, "work.view", None)
    sections = []
    actions = (Action.objects.filter(_current_version("version_id"),
                                     _in_caseload(user, DataCategory.PLAN, "version__plan__trajectory_id"),
                                     owner=user, status=ActionStatus.OPEN)
               .select_related("version__plan__trajectory__client").order_by("due_on", "pk"))
    shown = _first(actions, counted, "actions")
    total = len(shown)
    sections.append(Section("actions", _("My open plan actions"), [
        Item(a.title, reverse("plans:plan", kwargs={"trajectory_pk": a.version.plan.trajectory_id}),
             a.version.plan.trajectory.client.full_name, a.due_on, a.due_on < today)
        for a in shown], total))
    waiting = _waiting_for_agreement(user).select_related("plan__trajectory__client").order_by("submitted_at", "pk")
    shown = _first(waiting, counted, "agreement")
    total = len(shown)
    sections.append(Section("agreement", _("Plans waiting for my agreement"), [
        Item(_("Version %(n)s") % {"n": v.number}, reverse("plans:plan", kwargs={"trajectory_pk": v.plan.trajectory_id}),
             v.plan.trajectory.client.full_name, v.submitted_at) for v in shown], total))
    signals = (_signals_to_acknowledge(user, per_row=False).select_related("signal__trajectory__client")
               .order_by("-signal__urgency", "signal__created_at"))
    shown = _first(signals, counted, "signals", _signals_to_acknowledge(user))
    total = len(shown)
    sections.append(Section("signals", _("Signals to acknowledge"), [
        Item(r.signal.get_category_display(), reverse("collaboration:signals", kwargs={"trajectory_pk": r.signal.trajectory_id}),
             r.signal.trajectory.client.full_name, r.signal.created_at, urgent=r.signal.urgency == "urgent")
        for r in shown], total))
    referrals = _referrals_to_my_organisation(user).select_related("trajectory__client").order_by("created_at")
    shown = _first(referrals, counted, "referrals")
    total = len(shown)
    sections.append(Section("referrals", _("Referrals to my organisation"), [
        Item(r.get_service_display(), reverse("collaboration:referral", kwargs={"pk": r.pk}),
             r.trajectory.client.full_name, r.created_at) for r in shown],
        total, reverse("collaboration:index")))
    return sections


def _plan_director(user: User, today: date, counted: dict[str, QuerySet]) -> Section:
    from werkbrug.clients.models import ConsentEvent
    from werkbrug.plans.models import Plan
    from werkbrug.trajectories.models import Trajectory, TrajectoryStatus
    from werkbrug.trajectories.selectors import caseload_trajectories

    since = timezone.now() - timedelta(days=14)
    waiting_plans = Plan.objects.filter(current_version__submitted_at__isnull=False,
                                        current_version__agreed_at__isnull=True).values("trajectory_id")
    changed = ConsentEvent.objects.filter(recorded_at__gte=since)
    # The few trajectories the person directs with a plan waiting or a recent consent event
    # first, then the caseload's rules (team member, consent to take part) on those only: asked
    # the other way round, the rules ran over all of a 10 000-client caseload (twice as slow).
    candidates = Trajectory.objects.filter(Q(pk__in=waiting_plans) | Q(client_id__in=changed.values("client_id")),
                                           plan_director=user, status=TrajectoryStatus.ACTIVE).values("pk")
    rows = (caseload_trajectories(user=user).filter(pk__in=candidates)
            .annotate(consent_changed=Exists(changed.filter(client_id=OuterRef("client_id"))))
            .select_related("client", "plan__current_version").order_by("client__last_name", "pk"))
    items = []
    shown = _first(rows, counted, "director")
    for t in shown:
        waiting = getattr(getattr(t, "plan", None), "current_version", None)
        what = [str(_("plan waits for agreement"))] if waiting and waiting.submitted_at and not waiting.agreed_at else []
        if t.consent_changed:
            what.append(str(_("consent changed")))
        items.append(Item(t.client.full_name, reverse("trajectories:detail", kwargs={"pk": t.pk}), ", ".join(what)))
    return Section("director", _("As plan director"), items, len(shown))


def _ambassador(user: User, now: datetime) -> Section:
    questions = _questions_to_answer(user).select_related("topic").order_by("deadline_at")
    return Section("questions", _("Questions to answer"), [
        Item(q.topic.name, reverse("ambassadors:question", kwargs={"pk": q.pk}), f"#{q.pk}", q.deadline_at,
             q.deadline_at < now) for q in questions[:LIMIT]], questions.count(), reverse("ambassadors:questions"))


def _expert(user: User, today: date) -> Section:
    from werkbrug.experience_experts.models import DeploymentRequest, RequestStatus

    offers = _offers(user).order_by("request__period_start")
    planned = DeploymentRequest.objects.filter(expert=user, status=RequestStatus.ACCEPTED, period_end__gte=today)
    items = [Item(str(_("Offered: %(kind)s") % {"kind": o.request.get_kind_display()}),
                  reverse("experience_experts:request", kwargs={"pk": o.request_id}), "", o.request.period_start)
             for o in offers[:LIMIT]]
    items += [Item(str(_("Planned: %(kind)s") % {"kind": r.get_kind_display()}),
                   reverse("experience_experts:request", kwargs={"pk": r.pk}), "", r.period_start)
              for r in planned.order_by("period_start")[:LIMIT]]
    waiting = offers.count()
    return Section("deployments", _("Requests offered and planned deployments"), items, waiting + planned.count(),
                   waiting=waiting)


def _coordinator(user: User) -> Section:
    from werkbrug.experience_experts.selectors import coordinator_signals

    signals = coordinator_signals(user=user)
    return Section("expert_signals", _("Balance and wellbeing signals"), [
        Item(s.get_kind_display(), reverse("experience_experts:index"),
             s.expert.get_full_name(), s.created_at) for s in signals[:LIMIT]], signals.count())


def _privacy_officer(user: User, now: datetime) -> Section:
    from werkbrug.core.models import AccessLogRecord

    bursts = (AccessLogRecord.objects.filter(region_id_snapshot=user.region_id, granted=False, occurred_at__gte=now - timedelta(days=1))
              .values("actor_name").annotate(n=Count("id")).filter(n__gte=DENIED_BURST).order_by("-n"))
    return Section("denied", _("Bursts of denied access (last 24 hours)"), [
        Item(b["actor_name"], reverse("web:access_log") + "?granted=0", _("%(n)s denied attempts") % {"n": b["n"]})
        for b in bursts[:LIMIT]], len(bursts), reverse("web:access_log"))


def sections_for(user: User) -> list[Section]:
    """The person's "my work" sections, in the order of the home page."""
    if not user.is_authenticated or not user.is_professional:
        return []
    now = timezone.now()
    today = timezone.localdate(now)
    sections: list[Section] = []
    if user.roles & CASEWORK_ROLES and user.organisation_id is not None:
        counted: dict[str, QuerySet] = {}
        sections += _casework(user, today, counted)
        sections.append(_plan_director(user, today, counted))
        _count_all(user, sections, counted)
    if user.has_role(Role.AMBASSADOR):
        sections.append(_ambassador(user, now))
    if user.has_role(Role.EXPERIENCE_EXPERT):
        sections.append(_expert(user, today))
    if user.has_role(Role.EE_COORDINATOR):
        sections.append(_coordinator(user))
    if user.has_role(Role.PRIVACY_OFFICER):
        sections.append(_privacy_officer(user, now))
    return sections


# The navigation entries that show how much open work waits, and the "my work" lists they count
# (by section key). The counts come from the same querysets as the lists above.
NAV_COUNTS: dict[str, tuple[str, ...]] = {
    "trajectories:index": ("agreement", "signals"),
    "collaboration:index": ("referrals",),
    "ambassadors:index": ("questions",),
    "experience_experts:index": ("deployments",),
}


def _counted_lists(user: User) -> dict[str, Callable[[User], QuerySet]]:
    """The lists the navigation counts for this person's roles, by section key."""
    lists: dict[str, Callable[[User], QuerySet]] = {}
    if user.roles & CASEWORK_ROLES and user.organisation_id is not None and policy.can(user, "work.view"):
        lists.update(agreement=_waiting_for_agreement, signals=_signals_to_acknowledge,
                     referrals=_referrals_to_my_organisation)
    if user.has_role(Role.AMBASSADOR):
        lists["questions"] = _questions_to_answer
    if user.has_role(Role.EXPERIENCE_EXPERT):
        lists["deployments"] = _offers
    return lists


def _count(queryset: QuerySet) -> Subquery:
    """`SELECT COUNT(*)` of `queryset` as a subquery (COUNT as a plain function, so no GROUP BY)."""
    return Subquery(queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
                    output_field=IntegerField())


def header_counts(user: User, sections: list[Section] | None = None) -> tuple[int, dict[str, int]]:
    """The header's numbers: the unread notifications, and per navigation entry (URL name) the
    open work waiting for the person. One query for all of them — the unread count the header
    made anyway, with a COUNT subquery per list the person's roles have beside it — or, when the
    page has built the lists already (home), their totals and the unread count alone.
    Numbers only, no client data: nothing is access-logged for them."""
    from werkbrug.core.models import User as Person
    from werkbrug.notifications.selectors import unread

    lists = _counted_lists(user) if user.is_authenticated and user.is_professional else {}
    if sections is not None:
        known = {s.key: s.open_count for s in sections}
        counts = {key: known[key] for key in lists if key in known}
        lists = {}
    # All counts in one query: each as a subquery beside the person's own row.
    row = Person.objects.filter(pk=user.pk).values(
        unread=_count(unread(user=user)),
        **{f"open_{key}": _count(_capped(make(user))) for key, make in lists.items()}).get()
    if lists:
        counts = {key: row[f"open_{key}"] or 0 for key in lists}
    elif sections is None:
        counts = {}
    result = {}
    for url_name, keys in NAV_COUNTS.items():
        total = sum(counts.get(key, 0) for key in keys)
        if total:
            result[url_name] = total
    return row["unread"] or 0, result


def nav_counts(user: User, sections: list[Section] | None = None) -> dict[str, int]:
    """Per navigation entry (URL name), the open work waiting for the person (`header_counts`)."""
    if not user.is_authenticated:
        return {}
    return header_counts(user, sections)[1]
