"""Retention: closed files are erased once the region's retention period has passed.

Personal data is kept no longer than needed for its purpose (AVG art. 5(1)(e), storage
limitation). A closed trajectory is read-only (`workflow.py`), so its last change is its closing;
the retention period runs from the closing date. The period depends on the kinds of data the file
holds, and the longest one counts:

| data category | default | why |
| --- | --- | --- |
| care (GGZ context) | 20 years, never less | WGBO art. 7:454 lid 3 (BW): a care provider keeps the medical file 20 years from the last change |
| work and income, debts, plan, signals, job outcomes, taking part | 2 years | no law asks for more in this network; long enough to answer questions after a closing |

A region sets its own periods in `Region.settings["retention"]` (years per category, e.g.
`{"work_income": 7}` where a law or contract asks for more); care is never below the WGBO's 20
(`retention_years`). The categories a file holds are those any organisation ever had the client's
consent for (data of a category can only have been recorded with that consent) plus the intake
sections that were filled in; "taking part" always.

Erasing a file: every registered erase handler runs — each app erases its own rows of the
trajectory (`register_erase_handler`, called in the apps' `AppConfig.ready()`); the trajectories
app erases the intake, the free-text notes and open requests to join — then the trajectory is
marked erased (`erased_at`, a `TrajectoryEvent`). What remains is what the regional figures need:
dates, the reason for closing, the outcome. When every trajectory of the client is erased, the
client record is anonymised: name, contact details and BSN removed, the date of birth cut to
1 January of its year, the portal account deactivated. Each erasure writes one access-log record
(code D, `retention.erase`) per category; the access log itself is kept under its own rule
(`ACCESS_LOG_RETENTION_YEARS`, docs/security.md).

`retention_run(dry_run=True)` lists what would happen and changes nothing (each handler is asked
with `dry_run=True` and only counts). The command `werkbrug apply_retention [--dry-run]` and the
daily Celery beat task `werkbrug.trajectories.tasks.apply_retention` run it.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.deletion import Collector
from django.utils import timezone

from werkbrug.core.choices import DataCategory

if TYPE_CHECKING:
    from werkbrug.core.models import Region

    from .models import Trajectory

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_RETENTION_YEARS", "LEGAL_MINIMUM_YEARS", "EraseHandler", "RetentionItem", "categories_held",
    "erase_handlers", "erase_rows", "register_erase_handler", "retention_due_on", "retention_run",
    "retention_years", "trajectory_rows_handler",
]

SETTINGS_KEY = "retention"
DEFAULT_RETENTION_YEARS: dict[str, int] = {
    DataCategory.CARE: 20,
    DataCategory.WORK_INCOME: 2,
    DataCategory.DEBTS: 2,
    DataCategory.PLAN: 2,
    DataCategory.SIGNALS: 2,
    DataCategory.JOB_OUTCOMES: 2,
    DataCategory.PARTICIPATION: 2,
}
# WGBO art. 7:454 lid 3: the medical file is kept 20 years from the last change.
LEGAL_MINIMUM_YEARS: dict[str, int] = {DataCategory.CARE: 20}
MAX_YEARS = 100

EraseHandler = Callable[..., dict[str, int]]  # (trajectory, *, dry_run: bool) -> {"app.model": rows}
_HANDLERS: list[EraseHandler] = []


def register_erase_handler(handler: EraseHandler) -> EraseHandler:
    """Add an app's erase handler (once): `handler(trajectory, *, dry_run) -> {"app.model": rows}`.
    With `dry_run` it only counts what it would erase. Called from `AppConfig.ready()`."""
    if handler not in _HANDLERS:
        _HANDLERS.append(handler)
    return handler


def erase_handlers() -> list[EraseHandler]:
    return list(_HANDLERS)


def _counts(queryset: QuerySet) -> Counter:
    """The rows deleting `queryset` would remove, per model, cascades included (nothing deleted)."""
    collector = Collector(using=queryset.db, origin=queryset)
    collector.collect(queryset)
    counts: Counter = Counter()
    for model, instances in collector.data.items():
        counts[model._meta.label_lower] += len(instances)
    for fast in collector.fast_deletes:
        if isinstance(fast, QuerySet):
            found = fast.count()
            if found:
                counts[fast.model._meta.label_lower] += found
        else:
            for instance in fast:
                counts[instance._meta.label_lower] += 1
    return counts


def erase_rows(querysets: Iterable[QuerySet], *, dry_run: bool) -> dict[str, int]:
    """Delete (or, with `dry_run`, count) the rows of `querysets` and their cascades, per model."""
    total: Counter = Counter()
    for queryset in querysets:
        if dry_run:
            total.update(_counts(queryset))
        else:
            _deleted, per_model = queryset.delete()
            total.update({label.lower(): n for label, n in per_model.items() if n})
    return dict(total)


def trajectory_rows_handler(label: str) -> EraseHandler:
    """An erase handler for a model with a `trajectory` foreign key: its rows of the trajectory go.
    For apps whose data of a closed trajectory has no use after the retention period."""
    from django.apps import apps

    def erase(trajectory: Trajectory, *, dry_run: bool) -> dict[str, int]:
        model = apps.get_model(label)
        return erase_rows([model._default_manager.filter(trajectory=trajectory)], dry_run=dry_run)

    erase.__name__ = erase.__qualname__ = f"erase_{label.replace('.', '_').lower()}"
    return erase


def retention_years(region: Region | None) -> dict[str, int]:
    """The region's retention period per data category, in years: the defaults, the region's own
    settings where valid (1–100), never below a legal minimum."""
    years = dict(DEFAULT_RETENTION_YEARS)
    configured = ((region.settings or {}).get(SETTINGS_KEY) if region is not None else None) or {}
    for category, value in configured.items() if isinstance(configured, dict) else ():
        if category in years and isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_YEARS:
            years[category] = value
    for category, minimum in LEGAL_MINIMUM_YEARS.items():
        years[category] = max(years[category], minimum)
    return years


def categories_held(trajectory: Trajectory) -> frozenset[str]:
    """The data categories the file may hold (see the module docstring)."""
    from werkbrug.clients.models import ConsentEvent

    from .intake import SECTIONS
    from .models import Intake

    held = {DataCategory.PARTICIPATION}
    held.update(ConsentEvent.objects.filter(client_id=trajectory.client_id, kind=ConsentEvent.Kind.GRANT)
                .values_list("category", flat=True).distinct())
    intake = Intake.objects.filter(trajectory=trajectory).first()
    if intake is not None:
        held.update(s.category for s in SECTIONS if any(getattr(intake, name) not in (None, "") for name in s.fields))
    return frozenset(held) & frozenset(DEFAULT_RETENTION_YEARS)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retention_due_on(trajectory: Trajectory, years: dict[str, int]) -> tuple[date, int, frozenset[str]]:
    """(the day the file may be erased, the period in years, the categories it holds)."""
    held = categories_held(trajectory)
    period = max(years[c] for c in held)
    closed_on = timezone.localdate(trajectory.closed_at) if trajectory.closed_at else trajectory.ended_on
    return _add_years(closed_on, period), period, held


@dataclass
class RetentionItem:
    trajectory_id: int
    client_pseudonym: str
    closed_on: date
    due_on: date
    period_years: int
    categories: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    client_anonymised: bool = False


def _own_erase(trajectory: Trajectory, *, dry_run: bool) -> dict[str, int]:
    """The trajectories app's part: the intake, open requests to join, and the free text of the
    closing, reopening and plan-director notes."""
    from werkbrug.clients.models import JoinRequest

    from .models import Intake, PlanDirectorChange, TrajectoryEvent

    counts = Counter(erase_rows([Intake.objects.filter(trajectory=trajectory),
                                 JoinRequest.objects.filter(trajectory=trajectory)], dry_run=dry_run))
    notes = {
        "trajectories.trajectoryevent": TrajectoryEvent.objects.filter(trajectory=trajectory).exclude(note=""),
        "trajectories.plandirectorchange": PlanDirectorChange.objects.filter(trajectory=trajectory).exclude(note=""),
    }
    for label, queryset in notes.items():
        found = queryset.count() if dry_run else queryset.update(note="")
        if found:
            counts[label + ".note"] += found
    if trajectory.outcome_note:
        counts["trajectories.trajectory.outcome_note"] += 1
    return dict(counts)


def _anonymise_client(client: Any, *, dry_run: bool) -> bool:
    """Anonymise the client when none of their trajectories holds data any more."""
    from .models import Trajectory

    if client.anonymised_at is not None:
        return False
    if Trajectory.objects.filter(client=client, erased_at__isnull=True).exists():
        return False
    if dry_run:
        return True
    user = client.user
    client.first_name, client.last_name = "-", client.pseudonym
    client.date_of_birth = client.date_of_birth.replace(month=1, day=1)
    client.email = client.phone = client.address = client.postcode = client.city = ""
    client.bsn_hash = client.bsn_encrypted = ""
    client.user = None
    client.status = "inactive"
    client.anonymised_at = timezone.now()
    client.save()
    if user is not None:
        user.is_active = False
        user.first_name = user.last_name = user.email = ""
        user.save(update_fields=["is_active", "first_name", "last_name", "email"])
    return True


def _candidates(region: Region | None) -> QuerySet:
    from .models import Trajectory, TrajectoryStatus

    qs = Trajectory.objects.filter(status=TrajectoryStatus.CLOSED, erased_at__isnull=True)
    if region is not None:
        qs = qs.filter(region=region)
    return qs.select_related("client", "region").order_by("closed_at", "id")


def retention_run(*, dry_run: bool, now: datetime | None = None, region: Region | None = None) -> list[RetentionItem]:
    """Erase (or, with `dry_run`, list) every closed file whose retention period has passed.
    One transaction per file: a failing handler leaves that file as it was, and the others go on."""
    today = timezone.localdate(now or timezone.now())
    items = []
    years_by_region: dict[int, dict[str, int]] = {}
    for trajectory in _candidates(region).iterator():
        years = years_by_region.setdefault(trajectory.region_id, retention_years(trajectory.region))
        due_on, period, held = retention_due_on(trajectory, years)
        if due_on > today:
            continue
        item = RetentionItem(
            trajectory_id=trajectory.pk, client_pseudonym=trajectory.client.pseudonym,
            closed_on=timezone.localdate(trajectory.closed_at) if trajectory.closed_at else trajectory.ended_on,
            due_on=due_on, period_years=period, categories=sorted(held),
        )
        try:
            with transaction.atomic():
                item.counts, item.client_anonymised = _erase_one(trajectory, held, dry_run=dry_run, now=now)
        except Exception:  # one file's failure must not stop the others; it is retried tomorrow
            logger.exception("retention: erasing trajectory %s failed", trajectory.pk)
            continue
        items.append(item)
    return items


def _erase_one(trajectory: Trajectory, held: frozenset[str], *, dry_run: bool, now: datetime | None):
    from werkbrug.clients.models import Client
    from werkbrug.core.access_log import access_log_write

    from .models import Trajectory, TrajectoryEvent, TrajectoryEventKind, TrajectoryStatus

    trajectory = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if trajectory.status != TrajectoryStatus.CLOSED or trajectory.erased_at is not None:
        return {}, False  # reopened or erased meanwhile
    counts: Counter = Counter()
    for handler in [*_HANDLERS, _own_erase]:
        counts.update(handler(trajectory, dry_run=dry_run) or {})
    moment = now or timezone.now()
    if not dry_run:
        trajectory.erased_at = moment
        trajectory.outcome_note = ""
        trajectory.save(update_fields=["erased_at", "outcome_note"])
        TrajectoryEvent.objects.create(trajectory=trajectory, kind=TrajectoryEventKind.ERASED, by=None, at=moment)
        categories = sorted(held)
        access_log_write(
            actor=None, code="D", action="retention.erase", granted=True,
            client_pseudonym=trajectory.client.pseudonym, data_category=categories[0],
            more_categories=categories[1:], obj=trajectory, purpose="retention period passed",
            role="system", relation=False, consent=False, region_id=trajectory.region_id,
        )
    client = Client.objects.select_for_update().get(pk=trajectory.client_id)
    anonymised = _anonymise_client(client, dry_run=dry_run) if not dry_run else not Trajectory.objects.filter(
        client=client, erased_at__isnull=True).exclude(pk=trajectory.pk).exists() and client.anonymised_at is None
    if anonymised:
        counts["clients.client"] += 1
    return dict(counts), anonymised
