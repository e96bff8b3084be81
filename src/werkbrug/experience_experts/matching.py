"""Matching a deployment request to experience experts: a ranking that says why.

Pure functions over plain facts (the selector gathers them). Each candidate gets a score of
0–100 from four parts, and a reason per part in plain words:

- domain fit (40): the share of the wanted domains of lived experience the expert has
  (no wanted domains: full marks);
- availability (25): the share of the requested period's days the expert is not absent;
  an expert absent for the whole period is not available and ranks last with score 0;
- load (20): how full the expert is — hours in the four weeks before the period (registered and
  planned) against four weeks of contract hours, and, for client-contact kinds, client-contact
  hours in the week before the period against their own limit; the fuller, the lower;
- time balance (15): work outside the own office weighs against an expert whose own-office share
  this month is below the region's target.

Ties are broken by name, so the order is stable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

WEIGHTS = {"domain": 40, "availability": 25, "load": 20, "balance": 15}


@dataclass(frozen=True)
class Candidate:
    expert_id: int
    name: str
    domains: frozenset[str]
    period_days: int
    absent_days: int
    hours_4_weeks: float
    contract_hours: float
    contact_hours_week: float
    contact_limit: float
    own_office_share: float | None
    target_own_office: int
    consent: bool = True


@dataclass
class Match:
    candidate: Candidate
    score: int
    available: bool
    reasons: list[str] = field(default_factory=list)
    parts: dict[str, float] = field(default_factory=dict)


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def _hours(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def score(candidate: Candidate, *, wanted: frozenset[str], client_contact: bool, outside: bool) -> Match:
    c = candidate
    reasons: list[str] = []
    if wanted:
        shared = sorted(wanted & c.domains)
        domain = len(shared) / len(wanted)
        if shared:
            reasons.append(_("Lived experience matches: %(domains)s (%(n)s of %(total)s).")
                           % {"domains": ", ".join(shared), "n": len(shared), "total": len(wanted)})
        else:
            reasons.append(_("No match with the wanted lived experience."))
    else:
        domain = 1.0
        reasons.append(_("No particular lived experience asked for."))
    available = c.absent_days < c.period_days
    availability = _clamp(1 - c.absent_days / c.period_days) if c.period_days else 1.0
    if not available:
        reasons.append(_("Absent for the whole period."))
    elif c.absent_days:
        reasons.append(_("Absent %(absent)s of %(days)s days in the period.") % {"absent": c.absent_days, "days": c.period_days})
    else:
        reasons.append(_("Available the whole period."))
    hours_ratio = c.hours_4_weeks / (4 * c.contract_hours) if c.contract_hours else 1.0
    load_ratio = hours_ratio
    reasons.append(_("Load: %(hours)s h in the last 4 weeks of %(contract)s contract hours (%(pct)s%%).")
                   % {"hours": _hours(c.hours_4_weeks), "contract": _hours(4 * c.contract_hours), "pct": round(100 * hours_ratio)})
    if client_contact:
        contact_ratio = c.contact_hours_week / c.contact_limit if c.contact_limit else 1.0
        load_ratio = max(load_ratio, contact_ratio)
        reasons.append(_("Client contact last week: %(hours)s h of their own limit of %(limit)s h.")
                       % {"hours": _hours(c.contact_hours_week), "limit": _hours(c.contact_limit)})
    load = _clamp(1 - load_ratio)
    if not outside:
        balance = 1.0
        reasons.append(_("Takes place at the own office: good for the time balance."))
    elif c.own_office_share is None:
        balance = 1.0
        reasons.append(_("No hours registered this month yet."))
    elif c.own_office_share >= c.target_own_office:
        balance = 1.0
        reasons.append(_("Own office %(share)s%% this month (target at least %(target)s%%).")
                       % {"share": round(c.own_office_share), "target": c.target_own_office})
    else:
        balance = _clamp(c.own_office_share / c.target_own_office)
        reasons.append(_("Own office only %(share)s%% this month (target at least %(target)s%%): work outside weighs against.")
                       % {"share": round(c.own_office_share), "target": c.target_own_office})
    if not c.consent:
        reasons.append(_("The client has not consented to this expert's organisation taking part."))
    parts = {"domain": domain, "availability": availability, "load": load, "balance": balance}
    total = round(sum(WEIGHTS[k] * v for k, v in parts.items())) if available else 0
    return Match(candidate=c, score=total, available=available, reasons=reasons, parts=parts)


def rank(candidates: Sequence[Candidate], *, wanted: frozenset[str], client_contact: bool, outside: bool) -> list[Match]:
    matches = [score(c, wanted=wanted, client_contact=client_contact, outside=outside) for c in candidates]
    return sorted(matches, key=lambda m: (not m.available, not m.candidate.consent, -m.score, m.candidate.name))
