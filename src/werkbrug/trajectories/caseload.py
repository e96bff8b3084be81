"""The caseload page and API, read in few, cheap queries.

A page is read in two steps, whatever the size of the caseload:

1. the page's rows — trajectory, client name and id — from the team membership × consent
   filter, sorted and cut in the database (one row more than the page, so there is no COUNT:
   see `paging.py`). Sorted by name (the default) and not filtered by plan state, the rows come
   from the person's own memberships, which carry a copy of the client's name kept by the
   database (`caseload_sync.py`): one index walk in name order, as cheap for ten thousand
   clients as for ten. Another app's column is computed here only when the page is sorted or
   filtered by it, and then only that one;
2. for just those rows: the plan director, next action due, IPS phase and open signals (the
   last three through the agreed `caseload_annotations()`), and the facts of the current plan
   version, from which `plans.selectors.caseload_plan_states` gives the plan state (the SQL of
   `caseload_annotations()["plan_state"]` takes PostgreSQL longer to plan than to run).

The queries' SQL is compiled once per shape and reused (`compiled.py`): building and compiling
them in Django cost several times what the database needs to answer them. Each page shows the
same as `CaseloadSearch.queryset()`, the single annotated query (tests compare the two).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import router
from django.db.models import DEFERRED, Case, Exists, OuterRef, Q, QuerySet, When
from django.utils import timezone

from werkbrug.clients.models import Client, ConsentState
from werkbrug.core.choices import DataCategory
from werkbrug.core.models import User
from werkbrug.core.policy.trajectories import caseload_column_shown
from werkbrug.core.sql import per_row

from . import compiled
from .models import TeamMembership, Trajectory, TrajectoryStatus
from .paging import Page

__all__ = ["CaseloadSearch", "SORTS", "caseload_filter", "other_app_annotations"]

SORTS = {
    "name": ("client__last_name", "client__first_name", "id"),
    "-name": ("-client__last_name", "-client__first_name", "-id"),
    "started": ("started_on", "id"),
    "-started": ("-started_on", "-id"),
    "due": ("next_action_due", "id"),
    "phase": ("ips_phase", "id"),
    "signals": ("-open_signals", "id"),
}
COLUMNS = ("plan_state", "next_action_due", "ips_phase", "open_signals")
MAX_WORDS = 8  # more search words are not a shape worth keeping: such a search is compiled each time

# The first query reads the trajectory and client columns; the plan director's name comes with
# the other columns in the second: one join less in the first halves the time the database needs
# to plan it (more than it needs to run it).
_ROW_FIELDS = (
    "id", "client_id", "status", "started_on", "plan_director_id",
    "client__first_name", "client__last_name", "client__pseudonym",
)
# The same columns read from a team membership (`CaseloadSearch._by_name`), in the same order.
_MEMBERSHIP_ROW = (
    "trajectory_id", "trajectory__client_id", "trajectory__status", "trajectory__started_on",
    "trajectory__plan_director_id", "client_first_name", "client_last_name", "client_pseudonym",
)
_LOOKUP_COLUMNS = ("next_action_due", "ips_phase", "open_signals")  # read through the agreed annotations


def other_app_annotations(user: User) -> dict[str, Any]:
    """The other apps' caseload columns, where those apps provide them (agreed interface)."""
    found: dict[str, Any] = {}
    for module, needs_user in (
        ("werkbrug.plans.selectors", False),
        ("werkbrug.employment.selectors", False),
        ("werkbrug.collaboration.selectors", True),
    ):
        try:
            selectors = __import__(module, fromlist=["caseload_annotations"])
            func = selectors.caseload_annotations
        except (ImportError, AttributeError):
            continue
        found.update(func(user=user) if needs_user else func())
    return found


def _available_columns() -> frozenset[str]:
    """Which of COLUMNS the installed apps provide (their annotation names, without building them)."""
    global _AVAILABLE
    if _AVAILABLE is None:
        _AVAILABLE = frozenset(other_app_annotations(User(pk=0)))
    return _AVAILABLE


_AVAILABLE: frozenset[str] | None = None


def _shown_annotations(user: User, names: Any, organisation: Any, today: date) -> dict[str, Any]:
    """The other apps' columns `names`, each only where the policy shows it to a member of
    `organisation` (`caseload_column_shown`), else None: a column hidden from the table is hidden
    from its sort and filter too."""
    annotations = other_app_annotations(user)
    return {
        name: Case(When(caseload_column_shown(name, client="client_id", organisation=organisation, today=today),
                        then=annotations[name]), default=None)
        for name in names
    }


def _consent(organisation: Any, today: date) -> QuerySet[ConsentState]:
    """The current consents (on `today`) of clients to `organisation` taking part."""
    return ConsentState.objects.current(today).filter(
        organisation_id=organisation, category=DataCategory.PARTICIPATION,
    )


def _consented(client: str, organisation: Any, today: date) -> Exists:
    """The client (the column `client` of the outer query) consents on `today` to `organisation`
    taking part."""
    return Exists(_consent(organisation, today).filter(client_id=OuterRef(client)))


def caseload_filter(*, person: Any, organisation: Any, region: Any, today: date) -> QuerySet[Trajectory]:
    """Active trajectories of `region` in which `person` is a current team member and the client
    consents (on `today`) to `organisation` taking part. See `selectors.caseload_trajectories`."""
    mine = TeamMembership.objects.filter(person_id=person, left_at__isnull=True).values("trajectory_id")
    consented = _consented("client_id", organisation, today)
    # The client's region is the trajectory's; saying so lets the database walk the clients in
    # name order (index `client_region_name`) for a large caseload.
    return Trajectory.objects.filter(
        pk__in=mine, status=TrajectoryStatus.ACTIVE, region_id=region, client__region_id=region,
    ).filter(consented)


def _as_person(user: User, pk: Any) -> User:
    """`user` with another id: the other apps' annotations take the user object."""
    if pk == user.pk:
        return user
    marked = copy.copy(user)
    marked.pk = pk
    return marked


@dataclass
class CaseloadSearch:
    """A caseload search (already authorized and logged by `selectors.caseload_search`)."""

    user: User
    q: str = ""
    role: str = ""
    plan_state: str = ""
    sort: str = "name"
    i_direct: bool = False

    model = Trajectory

    def __post_init__(self) -> None:
        self.words = self.q.split()
        available = _available_columns()
        order = SORTS.get(self.sort, SORTS["name"])
        if any(f.lstrip("-") in COLUMNS and f.lstrip("-") not in available for f in order):
            order = SORTS["name"]
        self.order = order
        self.sort_columns = tuple(f.lstrip("-") for f in order if f.lstrip("-") in COLUMNS)
        self.filter_plan_state = bool(self.plan_state) and "plan_state" in available
        user = self.user
        self.eligible = bool(
            user.is_authenticated and user.is_professional and user.organisation_id is not None
        )

    # The query, as Django code --------------------------------------------------------------

    def _values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "person": self.user.pk, "organisation": self.user.organisation_id, "region": self.user.region_id,
        }
        for i, word in enumerate(self.words):
            values[f"w{i}"] = word
        if self.role:
            values["role"] = self.role
        if self.filter_plan_state:
            values["plan_state"] = self.plan_state
        return values

    def _filtered(self, v, today: date) -> QuerySet[Trajectory]:
        """The filtered, sorted query; `v` gives the values that vary (see `compiled.py`)."""
        qs = caseload_filter(person=v.int("person"), organisation=v.int("organisation"), region=v.int("region"),
                             today=today)
        needed = set(self.sort_columns) | ({"plan_state"} if self.filter_plan_state else set())
        if needed:
            qs = qs.annotate(**_shown_annotations(
                _as_person(self.user, v.int("person")), sorted(needed), v.int("organisation"), today))
        for i in range(len(self.words)):
            word = v.text(f"w{i}")
            qs = qs.filter(
                Q(client__first_name__icontains=word) | Q(client__last_name__icontains=word)
                | Q(client__pseudonym__iexact=word)
            )
        if self.role:
            qs = qs.filter(team__person_id=v.int("person"), team__left_at__isnull=True, team__role=v.text("role"))
        if self.i_direct:
            qs = qs.filter(plan_director_id=v.int("person"))
        if self.filter_plan_state:
            qs = qs.filter(plan_state=v.text("plan_state"))
        return qs.order_by(*self.order)

    def _by_name(self, v, today: date) -> QuerySet[TeamMembership]:
        """The same rows as `_filtered` when sorted by name, read from the person's memberships
        in the name order of the index `team_caseload_by_name` (see `caseload_sync.py`): the
        database stops after a page, and a search filters inside the index, however large the
        caseload. Other sorts and the plan-state filter go through `_filtered`."""
        # The trajectory's status and region asked per membership (`core.sql.per_row`), not as a filter on
        # the joined trajectory: with more than one region in the database PostgreSQL took the
        # region filter for a selective one and read all the region's trajectories (25 000, 37 ms
        # at eight regions) to hash-join them with a person's memberships, instead of walking the
        # memberships in name order and stopping after a page (0.2 ms).
        active = Trajectory.objects.filter(
            pk=OuterRef("trajectory_id"), status=TrajectoryStatus.ACTIVE, region_id=v.int("region"),
        )
        qs = TeamMembership.objects.filter(
            per_row(active), person_id=v.int("person"), left_at__isnull=True,
        ).filter(per_row(_consent(v.int("organisation"), today).filter(client_id=OuterRef("trajectory__client_id"))))
        for i in range(len(self.words)):
            word = v.text(f"w{i}")
            qs = qs.filter(
                Q(client_first_name__icontains=word) | Q(client_last_name__icontains=word)
                | Q(client_pseudonym__iexact=word)
            )
        if self.role:
            qs = qs.filter(role=v.text("role"))
        if self.i_direct:
            qs = qs.filter(trajectory__plan_director_id=v.int("person"))
        order = ("client_last_name", "client_first_name", "trajectory_id")
        if self.order[0].startswith("-"):
            order = tuple(f"-{name}" for name in order)
        return qs.order_by(*order).values_list(*_MEMBERSHIP_ROW)

    @property
    def by_name(self) -> bool:
        return self.order in (SORTS["name"], SORTS["-name"]) and not self.filter_plan_state

    def queryset(self) -> QuerySet[Trajectory]:
        """The same search as one plain ORM query with every column annotated (for other uses
        and for tests; the pages read through `page`)."""
        if not self.eligible:
            return Trajectory.objects.none()
        today = timezone.localdate()
        qs = self._filtered(compiled.Values(self._values()), today)
        available = other_app_annotations(self.user)
        missing = [name for name in available if name not in qs.query.annotations]
        shown = _shown_annotations(self.user, missing, self.user.organisation_id, today)
        return qs.annotate(**shown).select_related("client", "plan_director")

    # The page ---------------------------------------------------------------------------------

    def page(self, number: Any, page_size: int) -> Page:
        try:
            number = max(1, min(int(number), 10_000))
        except (TypeError, ValueError):
            number = 1
        if not self.eligible:
            return Page(items=[], number=number, page_size=page_size, has_next=False)
        today = timezone.localdate()
        start = (number - 1) * page_size
        cacheable = len(self.words) <= MAX_WORDS
        if self.by_name:
            key = ("caseload.rows_by_name", self.order, bool(self.role), self.i_direct, today)
            rows = compiled.fetch(
                key if cacheable else None, self._values(), lambda v: self._by_name(v, today),
                model=TeamMembership, limit=page_size + 1, offset=start,
            )
            rows = [dict(zip(_ROW_FIELDS, (row[name] for name in _MEMBERSHIP_ROW), strict=True)) for row in rows]
        else:
            key = ("caseload.rows", self.order, bool(self.role), self.i_direct, self.filter_plan_state, today)
            rows = compiled.fetch(
                key if cacheable else None, self._values(),
                lambda v: self._filtered(v, today).values_list(*_ROW_FIELDS), model=Trajectory,
                limit=page_size + 1, offset=start,
            )
        items = _trajectories(rows[:page_size])
        _add_columns(items, self.user, today)
        return Page(items=items, number=number, page_size=page_size, has_next=len(rows) > page_size)


def _instance(model, db: str, values: dict[str, Any]):
    """A model instance with just these columns loaded, the others deferred (as `only()` makes it)."""
    return model.from_db(db, None, [values.get(f.attname, DEFERRED) for f in model._meta.concrete_fields])


def _trajectories(rows: list[dict]) -> list[Trajectory]:
    """The page's trajectories with their client, as `select_related(...).only(...)` would make
    them."""
    db = router.db_for_read(Trajectory)
    items = []
    for row in rows:
        t = _instance(Trajectory, db, row)
        t._state.fields_cache["client"] = _instance(Client, db, {
            "id": row["client_id"], "first_name": row["client__first_name"], "last_name": row["client__last_name"],
            "pseudonym": row["client__pseudonym"],
        })
        for name in COLUMNS:
            setattr(t, name, None)
        t.hidden_columns = frozenset()
        items.append(t)
    return items


def _add_columns(items: list[Trajectory], user: User, today: date) -> None:
    """Set the plan director and the other apps' columns on the page's trajectories (None where
    an app is missing)."""
    if not items:
        return
    available = _available_columns()
    lookups = [name for name in _LOOKUP_COLUMNS if name in available]
    plan_states = _plans_interface()
    plan = plan_states is not None and "plan_state" in available
    plan_fields = plan_states[0] if plan else ()
    # Whether each column may be shown (the policy's `caseload_column_shown`), read with the columns.
    shown = {name: f"shown_{name}" for name in (*lookups, *(["plan_state"] if plan else []))}

    def build(v):
        qs = Trajectory.objects.filter(pk__in=v.ints("ids"))
        if lookups:
            annotations = other_app_annotations(_as_person(user, v.int("person")))
            qs = qs.annotate(**{name: annotations[name] for name in lookups})
        qs = qs.annotate(**{
            flag: caseload_column_shown(name, client="client_id", organisation=v.int("organisation"), today=today)
            for name, flag in shown.items()
        })
        return qs.order_by().values_list(
            "id", "plan_director__first_name", "plan_director__last_name", *plan_fields, *lookups, *shown.values(),
        )

    rows = compiled.fetch(
        ("caseload.columns", tuple(lookups), plan, today),
        {"person": user.pk, "organisation": user.organisation_id, "ids": [t.pk for t in items]}, build,
        model=Trajectory,
    )
    db = router.db_for_read(Trajectory)
    by_id = {t.pk: t for t in items}
    directors: dict[int, User] = {}
    for row in rows:
        t = by_id[row["id"]]
        director = directors.get(t.plan_director_id)
        if director is None:
            director = directors[t.plan_director_id] = _instance(User, db, {
                "id": t.plan_director_id, "first_name": row["plan_director__first_name"],
                "last_name": row["plan_director__last_name"],
            })
        t._state.fields_cache["plan_director"] = director
        for name in lookups:
            setattr(t, name, row[name] if row[shown[name]] else None)
        t.hidden_columns = frozenset(name for name, flag in shown.items() if not row[flag])
    if plan:
        states = plan_states[1]([{**row, "client_id": by_id[row["id"]].client_id} for row in rows], today=today)
        for t in items:
            t.plan_state = None if "plan_state" in t.hidden_columns else states.get(t.pk)


def _plans_interface():
    """(fields, caseload_plan_states) from the plans app, or None without it (agreed interface)."""
    try:
        from werkbrug.plans.selectors import CASELOAD_PLAN_FIELDS, caseload_plan_states
    except ImportError:
        return None
    return CASELOAD_PLAN_FIELDS, caseload_plan_states
