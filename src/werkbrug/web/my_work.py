""""My work": what waits for the signed-in person, per role, on the home page.

Each list comes from its app's data under the same rules as the pages it links to: casework
items only for trajectories where the person is a current team member and the client consents
to their organisation seeing that category (`trajectories.selectors.caseload_filter`, the rule
behind `caseload_trajectories`, and `ConsentState.objects.current()`), so the home page shows
nothing its links would refuse. One access-log record per page for the casework lists
(`work.view`), like the caseload. The casework lists' SQL is compiled once per process and runs
prepared, as the caseload's does (`trajectories/compiled.py`; ADR 0005 says why and what it gained).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.lookups import IsNull
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timeuntil
from django.utils.translation import gettext_lazy as _

from werkbrug.core import policy
from werkbrug.core.choices import CASEWORK_ROLES, DataCategory, Role
from werkbrug.core.links import local_datetime
from werkbrug.core.sql import per_row as _per_row

if TYPE_CHECKING:
    from werkbrug.core.models import User

LIMIT = 10
# Totals are counted up to here: beyond it the page and the navigation say "99+". Counting every
# one of 2 000 open items applied the caseload's rules to each (most of the busiest page's time).
CAP = 99
CONSENT_CHANGED = timedelta(days=14)  # the plan director sees clients whose consent changed this recently
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


def _values(user: User, now: datetime | None = None) -> dict[str, Any]:
    """The values the casework lists' queries take from the request (see `trajectories.compiled`):
    everything else about them is the same on every request, so their SQL is compiled once."""
    values: dict[str, Any] = {"person": user.pk, "organisation": user.organisation_id, "region": user.region_id}
    if now is not None:
        values["since"] = now - CONSENT_CHANGED
    return values


def _client_name(first_name: str, last_name: str) -> str:
    from werkbrug.clients.models import Client

    return Client(first_name=first_name, last_name=last_name).full_name


def _display(model, field: str, value: str) -> str:
    """A choice's label, as `get_<field>_display()` gives it."""
    return str(dict(model._meta.get_field(field).flatchoices).get(value, value))


def _consents(v, today: date, category: str, client) -> Exists:
    """Whether the client (an `OuterRef`) consents on `today` to the person's organisation seeing
    `category`: asked per row (the consent index's lookup), not as the set of every client of the
    organisation that consents, which cost the same for one client as for ten thousand."""
    from werkbrug.clients.models import ConsentState

    return Exists(ConsentState.objects.current(today).filter(client_id=client, organisation_id=v.int("organisation"),
                                                             category=category))


def _caseload(v, today: date, category: str | None) -> QuerySet:
    """The person's caseload (`trajectories.selectors.caseload_filter`, the rule behind
    `caseload_trajectories`) whose clients consent to `category` (None: to taking part only)."""
    from werkbrug.trajectories.selectors import caseload_filter

    trajectories = caseload_filter(person=v.int("person"), organisation=v.int("organisation"), region=v.int("region"),
                                   today=today)
    return trajectories if category is None else trajectories.filter(_consents(v, today, category, OuterRef("client_id")))


def _in_caseload(v, today: date, category: str, trajectory: str, per_row: bool = True) -> IsNull | Exists:
    """Whether the row's trajectory (the column `trajectory` of the outer query) is in the
    person's caseload and its client consents to `category`: the caseload's rules asked for that
    one trajectory (index lookups), so a list walks the person's own open items in the order shown
    and stops after a page. As `trajectory__in=<caseload>`, PostgreSQL checked all ~2 000 open
    items of the busiest professional (and joined the whole caseload of 10 000) before sorting."""
    trajectories = _caseload(v, today, category).filter(pk=OuterRef(trajectory))
    return _per_row(trajectories) if per_row else Exists(trajectories)


def _current_version(version: str) -> IsNull:
    """Whether the version (column `version` of the outer query) is the current one of its plan
    (a plan's `current_version` is always one of its own versions). Asked as EXISTS: as the join
    condition `plan.current_version_id = version.id` PostgreSQL guessed that almost no row would
    pass and sorted every open item instead of walking the index in the order shown."""
    from werkbrug.plans.models import Plan

    return _per_row(Plan.objects.filter(current_version_id=OuterRef(version)))


def _capped(queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` whose count is shown: at most CAP + 1 of them, so a count stops
    there ("99+") instead of applying the list's rules to every open item."""
    return queryset.model._base_manager.filter(pk__in=queryset.order_by().values("pk")[:CAP + 1])


# The casework lists: each a function of the request's values (`v`, see `_values`) and today,
# giving the person's items under the rules of the pages they link to. The home page reads a page
# of each in the order shown (`_PAGES`) and counts the full ones; the navigation counts some.

def _open_actions(v, today: date) -> QuerySet:
    from werkbrug.plans.models import Action, ActionStatus

    return Action.objects.filter(_current_version("version_id"),
                                 _in_caseload(v, today, DataCategory.PLAN, "version__plan__trajectory_id"),
                                 owner_id=v.int("person"), status=ActionStatus.OPEN)


def _waiting_for_agreement(v, today: date) -> QuerySet:
    from werkbrug.plans.models import PlanVersion
    from werkbrug.trajectories.models import TeamMembership

    # Narrowed first to the trajectories the person is in a team of (the rule below asks that
    # too, per row): without it PostgreSQL walks every waiting version of the region, so someone
    # with one client beside a busy colleague read all of the colleague's plans on every page.
    own = TeamMembership.objects.filter(person_id=v.int("person"), left_at__isnull=True).values("trajectory_id")
    return (PlanVersion.objects.filter(_current_version("pk"),
                                       _in_caseload(v, today, DataCategory.PLAN, "plan__trajectory_id"),
                                       plan__trajectory_id__in=own,
                                       submitted_at__isnull=False, agreed_at__isnull=True)
            .exclude(responses__person_id=v.int("person")))


def _signals_to_acknowledge(v, today: date, per_row: bool = True) -> QuerySet:
    """`per_row=False` for the list: its order (urgency, then age) is on the signal, so every open
    signal is read and sorted anyway, and then a join is cheaper than asking per row."""
    from werkbrug.collaboration.models import SignalRecipient

    return SignalRecipient.objects.filter(
        _in_caseload(v, today, DataCategory.SIGNALS, "signal__trajectory_id", per_row),
        person_id=v.int("person"), acknowledged_at__isnull=True)


def _referrals_to_my_organisation(v, today: date) -> QuerySet:
    from werkbrug.collaboration.models import Referral, ReferralState
    from werkbrug.trajectories.models import Trajectory

    # The trajectory's region asked per referral (`_per_row`): as a filter on the joined
    # trajectory, with several regions in the database, PostgreSQL walked the trajectories' key
    # index through the other regions' trajectories to merge them with the (few) referrals.
    in_region = Trajectory.objects.filter(pk=OuterRef("trajectory_id"), region_id=v.int("region"))
    return Referral.objects.filter(_consents(v, today, DataCategory.PARTICIPATION, OuterRef("trajectory__client_id")),
                                   _per_row(in_region),
                                   organisation_id=v.int("organisation"), state=ReferralState.REQUESTED)


def _consent_changed(v, client) -> QuerySet:
    """The consent events of the client (an `OuterRef`) recorded in the last two weeks."""
    from werkbrug.clients.models import ConsentEvent

    return ConsentEvent.objects.filter(client_id=client, recorded_at__gte=v.datetime("since"))


def _plan_waiting(trajectory) -> QuerySet:
    """The trajectory's (an `OuterRef`) plan if its current version waits for agreement."""
    from werkbrug.plans.models import Plan

    return Plan.objects.filter(trajectory_id=trajectory, current_version__submitted_at__isnull=False,
                               current_version__agreed_at__isnull=True)


def _directed(v, today: date) -> QuerySet:
    """The person's team memberships of trajectories in their caseload that they direct, whose
    plan waits for agreement or whose client's consent changed in the last two weeks. Read from
    the memberships, in the caseload's name order (index `team_caseload_by_name`), with the rules
    asked per membership: the walk stops after a page, where sorting the candidates by name read
    all ~2 000 of the busiest plan director's."""
    from werkbrug.trajectories.models import TeamMembership

    directed = (_caseload(v, today, None).filter(pk=OuterRef("trajectory_id"), plan_director_id=v.int("person"))
                .filter(Exists(_plan_waiting(OuterRef("pk"))) | Exists(_consent_changed(v, OuterRef("client_id")))))
    return TeamMembership.objects.filter(_per_row(directed), person_id=v.int("person"), left_at__isnull=True)


# Per list: its section key, how a page of it is read (order and columns) and the function
# whose rows it counts (None: the list itself).
_ACTION_ROW = ("title", "due_on", "version__plan__trajectory_id",
               "version__plan__trajectory__client__first_name", "version__plan__trajectory__client__last_name")
_VERSION_ROW = ("number", "submitted_at", "plan__trajectory_id",
                "plan__trajectory__client__first_name", "plan__trajectory__client__last_name")
_SIGNAL_ROW = ("signal__category", "signal__urgency", "signal__created_at", "signal__trajectory_id",
               "signal__trajectory__client__first_name", "signal__trajectory__client__last_name")
_SIGNAL_ORDER = ("-signal__urgency", "signal__created_at", "pk")
_REFERRAL_ROW = ("id", "service", "created_at", "trajectory__client__first_name", "trajectory__client__last_name")
_DIRECTED_ROW = ("trajectory_id", "client_first_name", "client_last_name", "plan_waiting", "consent_changed")


def _page_of(key: str, v, today: date) -> QuerySet:
    """The query of a page of list `key`, in the order shown (unsliced: `compiled.fetch` cuts it)."""
    if key == "actions":
        return _open_actions(v, today).order_by("due_on", "pk").values_list(*_ACTION_ROW)
    if key == "agreement":
        return _waiting_for_agreement(v, today).order_by("submitted_at", "pk").values_list(*_VERSION_ROW)
    if key == "signals":
        # The person's first CAP + 1 open signals in the order shown, each with whether the rules
        # let the person see it (`_signals_page`).
        from werkbrug.collaboration.models import SignalRecipient

        first = (SignalRecipient.objects.filter(person_id=v.int("person"), acknowledged_at__isnull=True)
                 .order_by(*_SIGNAL_ORDER).values("pk")[:CAP + 1])
        return (SignalRecipient.objects.filter(pk__in=first)
                .annotate(visible=_in_caseload(v, today, DataCategory.SIGNALS, "signal__trajectory_id"))
                .order_by(*_SIGNAL_ORDER).values_list(*_SIGNAL_ROW, "visible"))
    if key == "signals_all":
        return (_signals_to_acknowledge(v, today, per_row=False).order_by(*_SIGNAL_ORDER)
                .values_list(*_SIGNAL_ROW))
    if key == "referrals":
        return _referrals_to_my_organisation(v, today).order_by("created_at", "pk").values_list(*_REFERRAL_ROW)
    # the plan director's list, in the caseload's name order
    return (_directed(v, today)
            .annotate(plan_waiting=_per_row(_plan_waiting(OuterRef("trajectory_id"))),
                      consent_changed=_per_row(_consent_changed(v, OuterRef("trajectory__client_id"))))
            .order_by("client_last_name", "client_first_name", "trajectory_id").values_list(*_DIRECTED_ROW))


_COUNTED: dict[str, Callable[..., QuerySet]] = {
    "actions": _open_actions, "agreement": _waiting_for_agreement, "signals": _signals_to_acknowledge,
    "referrals": _referrals_to_my_organisation, "director": _directed,
}


def _page(key: str, values: dict[str, Any], today: date, model, whole: bool = False) -> list[dict[str, Any]]:
    """The first LIMIT rows of list `key`, or all of them (`whole`: the query limits itself). Its SQL is
    compiled once per process (see `trajectories.compiled`)."""
    from werkbrug.trajectories import compiled

    return compiled.fetch((f"my_work.{key}", CAP, today), values, lambda v: _page_of(key, v, today), model=model,
                          limit=None if whole else LIMIT)


def _signals_page(values: dict[str, Any], today: date) -> tuple[list[dict[str, Any]], int | None]:
    """The first LIMIT signals to acknowledge and their total, or None when they must be counted.

    The order shown (urgency, then age) is on the signal, so no index walks a person's open
    signals in that order: asking the rules of each of them before sorting cost the busiest
    professional ~2 000 rule checks. So the person's first CAP + 1 open signals are sorted first
    (cheap: no rules) and the rules are asked of those only. When all of them pass (the usual
    case) that is the page and the total ("99+"); when there were fewer, the passing ones are the
    list and its exact total; only when some of a full window fail does the total need counting,
    and only when fewer than a page pass is the list read again with the rules over all."""
    from werkbrug.collaboration.models import SignalRecipient

    window = _page("signals", values, today, SignalRecipient, whole=True)
    visible = [row for row in window if row["visible"]]
    if len(window) <= CAP:
        return visible[:LIMIT], len(visible)
    if len(visible) == len(window):
        return visible[:LIMIT], len(visible)
    if len(visible) >= LIMIT:
        return visible[:LIMIT], None
    return _page("signals_all", values, today, SignalRecipient), None


def _count_all(values: dict[str, Any], today: date, sections: list[Section], full: tuple[str, ...]) -> None:
    """The totals of the lists `full` (a page or more of rows), each counted up to CAP + 1, in one query."""
    from werkbrug.core.models import User as Person
    from werkbrug.trajectories import compiled

    if not full:
        return
    row = compiled.fetch(
        ("my_work.totals", full, CAP, today), values,
        lambda v: Person.objects.filter(pk=v.int("person")).annotate(
            **{f"n_{key}": _count(_capped(_COUNTED[key](v, today))) for key in full}
        ).values_list("pk", *(f"n_{key}" for key in full)),
        model=Person)[0]
    for section in sections:
        if section.key in full:
            section.total = row[f"n_{section.key}"] or 0


def _casework(user: User, now: datetime, today: date) -> list[Section]:
    from werkbrug.collaboration.models import Referral, Signal
    from werkbrug.plans.models import Action, PlanVersion
    from werkbrug.trajectories.models import TeamMembership

    policy.authorize(user, "work.view", None)
    values = _values(user, now)
    plan_url = reverse("plans:plan", kwargs={"trajectory_pk": 999_999_999})
    signals_url = reverse("collaboration:signals", kwargs={"trajectory_pk": 999_999_999})
    referral_url = reverse("collaboration:referral", kwargs={"pk": 999_999_999})
    detail_url = reverse("trajectories:detail", kwargs={"pk": 999_999_999})

    def url(pattern: str, pk: int) -> str:
        return pattern.replace("999999999", str(pk))

    rows = _page("actions", values, today, Action)
    actions = Section("actions", _("My open plan actions"), [
        Item(r["title"], url(plan_url, r["version__plan__trajectory_id"]),
             _client_name(r["version__plan__trajectory__client__first_name"],
                          r["version__plan__trajectory__client__last_name"]), r["due_on"], r["due_on"] < today)
        for r in rows], len(rows))
    rows = _page("agreement", values, today, PlanVersion)
    agreement = Section("agreement", _("Plans waiting for my agreement"), [
        Item(_("Version %(n)s") % {"n": r["number"]}, url(plan_url, r["plan__trajectory_id"]),
             _client_name(r["plan__trajectory__client__first_name"], r["plan__trajectory__client__last_name"]),
             r["submitted_at"]) for r in rows], len(rows))
    rows, total = _signals_page(values, today)
    signals = Section("signals", _("Signals to acknowledge"), [
        Item(_display(Signal, "category", r["signal__category"]), url(signals_url, r["signal__trajectory_id"]),
             _client_name(r["signal__trajectory__client__first_name"], r["signal__trajectory__client__last_name"]),
             r["signal__created_at"], urgent=r["signal__urgency"] == "urgent")
        for r in rows], len(rows) if total is None else total)
    rows = _page("referrals", values, today, Referral)
    referrals = Section("referrals", _("Referrals to my organisation"), [
        Item(_display(Referral, "service", r["service"]), url(referral_url, r["id"]),
             _client_name(r["trajectory__client__first_name"], r["trajectory__client__last_name"]), r["created_at"])
        for r in rows], len(rows), reverse("collaboration:index"))
    rows = _page("director", values, today, TeamMembership)
    items = []
    for r in rows:
        what = [str(_("plan waits for agreement"))] if r["plan_waiting"] else []
        if r["consent_changed"]:
            what.append(str(_("consent changed")))
        items.append(Item(_client_name(r["client_first_name"], r["client_last_name"]),
                          url(detail_url, r["trajectory_id"]), ", ".join(what)))
    director = Section("director", _("As plan director"), items, len(rows))
    sections = [actions, agreement, signals, referrals, director]
    full = [s.key for s in sections if s.key != "signals" and s.total == LIMIT]
    if total is None:
        full.append("signals")
    _count_all(values, today, sections, tuple(full))
    return sections


def _questions_to_answer(user: User):
    from werkbrug.ambassadors.models import Question, QuestionStatus

    return Question.objects.filter(assignee__person=user, status=QuestionStatus.OPEN)


def _offers(user: User):
    from werkbrug.experience_experts.selectors import offers_for_expert

    return offers_for_expert(user=user)


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
        sections += _casework(user, now, today)
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


def _person(v) -> User:
    """The person as a bare user with the request's id (`v`, see `_values`): the lists below that
    take a user ask only for its id."""
    from werkbrug.core.models import User as Person

    return Person(pk=v.int("person"))


def _counted_lists(user: User) -> dict[str, Callable[[Any, date], QuerySet]]:
    """The lists the navigation counts for this person's roles, by section key: each a function of
    the request's values (`v`, see `_values`) and today, as the casework lists are."""
    lists: dict[str, Callable[[Any, date], QuerySet]] = {}
    if user.roles & CASEWORK_ROLES and user.organisation_id is not None and policy.can(user, "work.view"):
        lists.update(agreement=_waiting_for_agreement, signals=_signals_to_acknowledge,
                     referrals=_referrals_to_my_organisation)
    if user.has_role(Role.AMBASSADOR):
        lists["questions"] = lambda v, today: _questions_to_answer(_person(v))
    if user.has_role(Role.EXPERIENCE_EXPERT):
        lists["deployments"] = lambda v, today: _offers(_person(v))
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
    # All counts in one query: each as a subquery beside the person's own row. Its SQL is compiled
    # once per set of lists and runs prepared (`trajectories.compiled`), as the "my work" lists'
    # do: building it in the ORM cost more than the database needs to answer it, on every page.
    from werkbrug.trajectories import compiled

    today = timezone.localdate()
    keys = tuple(lists)
    row = compiled.fetch(
        ("my_work.header", keys, CAP, today), _values(user),
        lambda v: Person.objects.filter(pk=v.int("person")).annotate(
            unread=_count(unread(user=_person(v))),
            **{f"open_{key}": _count(_capped(lists[key](v, today))) for key in keys},
        ).values_list("pk", "unread", *(f"open_{key}" for key in keys)),
        model=Person)[0]
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
