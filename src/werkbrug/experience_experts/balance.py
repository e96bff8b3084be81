"""Time balance and limits: pure rules, no database.

An experience expert's time is *in balance* in a month when:

- at least the region's target share of the hours is spent at the own office (setting
  `own_office`; region setting ``experience_experts.target_split``, default 60 % own office,
  25 % external organisations, 15 % other offices of the same organisation — only the own-office
  share is a minimum, the other two are shown for orientation), and
- the hours registered do not exceed the contract hours of that month
  (contract hours per week × working days in the month ÷ 5).

A month without any registered hours is in balance. The coordinator gets a signal when an expert
is out of balance in two completed months running.

Limits per ISO week (Monday–Sunday): more registered hours than the contract hours per week, or
more client-contact hours than the expert's *own* limit, gives a signal to the expert and their
coordinator. Three check-ins in a row (consecutive weeks) with energy 1 or 2 gives one too.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

DEFAULT_TARGET_SPLIT = {"own_office": 60, "external": 25, "other_office": 15}
LOW_ENERGY = 2
LOW_ENERGY_WEEKS = 3


def target_split(region_settings: dict | None) -> dict[str, int]:
    configured = ((region_settings or {}).get("experience_experts") or {}).get("target_split") or {}
    return {**DEFAULT_TARGET_SPLIT, **{k: int(v) for k, v in configured.items() if k in DEFAULT_TARGET_SPLIT}}


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def working_days(first: date, last: date) -> int:
    days = 0
    current = first
    while current <= last:
        days += current.weekday() < 5
        current += timedelta(days=1)
    return days


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def contract_minutes_in_month(contract_hours_per_week: Decimal | float, month: date) -> int:
    days = working_days(month_start(month), month_end(month))
    return round(float(contract_hours_per_week) * 60 * days / 5)


@dataclass(frozen=True)
class Entry:
    """One registered deployment, reduced to what the balance needs."""

    date: date
    minutes: int
    setting: str
    kind: str


@dataclass
class MonthBalance:
    month: date
    contract_minutes: int
    target: dict[str, int]
    by_setting: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def total_minutes(self) -> int:
        return sum(self.by_setting.values())

    def share(self, setting: str) -> float | None:
        total = self.total_minutes
        return None if total == 0 else 100 * self.by_setting.get(setting, 0) / total

    @property
    def own_office_share(self) -> float | None:
        return self.share("own_office")

    @property
    def below_own_office_target(self) -> bool:
        share = self.own_office_share
        return share is not None and share < self.target["own_office"]

    @property
    def over_contract(self) -> bool:
        return self.total_minutes > self.contract_minutes

    @property
    def out_of_balance(self) -> bool:
        return self.below_own_office_target or self.over_contract


def month_balance(entries: Iterable[Entry], *, month: date, contract_hours: Decimal | float, target: dict[str, int]) -> MonthBalance:
    month = month_start(month)
    result = MonthBalance(month=month, contract_minutes=contract_minutes_in_month(contract_hours, month), target=target)
    for entry in entries:
        if month_start(entry.date) != month:
            continue
        result.by_setting[entry.setting] = result.by_setting.get(entry.setting, 0) + entry.minutes
        result.by_kind[entry.kind] = result.by_kind.get(entry.kind, 0) + entry.minutes
    return result


def months_back(today: date, count: int) -> list[date]:
    """The first days of the `count` months up to and including today's month, oldest first."""
    current = month_start(today)
    return [add_months(current, -i) for i in range(count - 1, -1, -1)]


def out_of_balance_two_months(balances: Sequence[MonthBalance]) -> bool:
    """`balances`: the two completed months before today, oldest first."""
    return len(balances) >= 2 and all(b.out_of_balance for b in balances[-2:])


def week_minutes(entries: Iterable[Entry], *, week: date, kinds: frozenset[str] | None = None) -> int:
    end = week + timedelta(days=7)
    return sum(e.minutes for e in entries if week <= e.date < end and (kinds is None or e.kind in kinds))


def low_energy_run(checkins: Iterable[tuple[date, int]], *, up_to: date) -> bool:
    """True when the three check-in weeks up to `up_to`'s week all had energy ≤ 2 (no gaps)."""
    energy_by_week = {week: energy for week, energy in checkins}
    last = week_start(up_to)
    weeks = [last - timedelta(weeks=i) for i in range(LOW_ENERGY_WEEKS)]
    return all(week in energy_by_week and energy_by_week[week] <= LOW_ENERGY for week in weeks)
