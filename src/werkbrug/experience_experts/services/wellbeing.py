"""Experience-expert services: wellbeing and signals."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core.models import Region, User
from werkbrug.notifications import services as notifications

from .. import balance
from ..models import (
    CLIENT_CONTACT_KINDS,
    CheckIn,
    Deployment,
    DeploymentStatus,
    ExpertProfile,
    ExpertSignal,
    SignalKind,
)
from ._common import _authorize, _invalid

# --- wellbeing and signals --------------------------------------------------------------------


def _score(value, field: str) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise _invalid(field, _("Choose a score from 1 to 5."), "score")
    return value


@transaction.atomic
def checkin_submit(*, expert: User, energy: int, load: int, note: str = "", now: datetime | None = None) -> CheckIn:
    """The weekly check-in. Filling it in again in the same week replaces that week's answers."""
    now = now or timezone.now()
    profile = ExpertProfile.objects.filter(person=expert).first()
    _authorize(expert, "ee_wellbeing.create", profile)
    energy, load = _score(energy, "energy"), _score(load, "load")
    week = balance.week_start(timezone.localdate(now))
    checkin = CheckIn.objects.select_for_update().filter(expert=expert, week=week).first()
    if checkin is None:
        checkin = CheckIn(expert=expert, week=week)
    checkin.energy, checkin.load, checkin.note, checkin.created_at = energy, load, note.strip(), now
    checkin.save()
    expert_signals_check(expert=expert, today=week)
    return checkin


def _signal(expert: User, kind: str, period: date, detail: str, now: datetime) -> ExpertSignal | None:
    if ExpertSignal.objects.filter(expert=expert, kind=kind, period=period).exists():
        return None
    try:
        with transaction.atomic():
            signal = ExpertSignal.objects.create(expert=expert, kind=kind, period=period, detail=detail, created_at=now)
    except IntegrityError:  # made at the same moment by a parallel check
        return None
    _tell_expert_signal(signal)
    return signal


def _tell_expert_signal(signal: ExpertSignal) -> None:
    """Balance and wellbeing signals go to the expert and their current coordinator only."""
    from werkbrug.notifications.kinds import Kind

    coordinator_id = ExpertProfile.objects.filter(person_id=signal.expert_id).values_list("coordinator_id", flat=True).first()
    people = [signal.expert, *User.objects.filter(pk=coordinator_id)]
    kind = Kind.WELLBEING_SIGNAL if signal.kind == SignalKind.LOW_ENERGY else Kind.BALANCE_SIGNAL
    notifications.notify_many(recipients=people, kind=kind, obj=signal, link=reverse("experience_experts:index"))


def _entries(expert: User, first: date, last: date) -> list[balance.Entry]:
    return [
        balance.Entry(date=d, minutes=m, setting=s, kind=k)
        for d, m, s, k in Deployment.objects.filter(
            expert=expert, status=DeploymentStatus.REGISTERED, date__gte=first, date__lte=last
        ).values_list("date", "minutes", "setting", "kind")
    ]


def expert_signals_check(*, expert: User, today: date, weeks: Iterable[date] = ()) -> list[ExpertSignal]:
    """Make the signals that apply on `today` (idempotent: one per expert, kind and period).

    Checks the weeks given plus today's and last week (hours over contract or own limit), the two
    completed months before today (out of balance) and the check-ins up to this week (low energy).
    """
    profile = ExpertProfile.objects.select_related("region").filter(person=expert).first()
    if profile is None:
        return []
    now = timezone.now()
    made: list[ExpertSignal] = []
    this_week = balance.week_start(today)
    check_weeks = sorted({this_week, this_week - timedelta(weeks=1), *(balance.week_start(w) for w in weeks)})
    first_month = balance.add_months(balance.month_start(today), -2)
    entries = _entries(expert, min(first_month, check_weeks[0]), max(today, check_weeks[-1] + timedelta(days=6)))
    contract_minutes = float(profile.contract_hours) * 60
    limit_minutes = float(profile.client_contact_limit) * 60
    for week in check_weeks:
        total = balance.week_minutes(entries, week=week)
        if total > contract_minutes:
            made.append(_signal(expert, SignalKind.OVER_CONTRACT, week, _("%(hours)s h registered in the week of %(week)s; "
                                "contract %(contract)s h.") % {"hours": round(total / 60, 1), "week": week.isoformat(),
                                                               "contract": profile.contract_hours}, now))
        contact = balance.week_minutes(entries, week=week, kinds=CLIENT_CONTACT_KINDS)
        if contact > limit_minutes:
            made.append(_signal(expert, SignalKind.OVER_LIMIT, week, _("%(hours)s h of client contact in the week of "
                                "%(week)s; own limit %(limit)s h.") % {"hours": round(contact / 60, 1),
                                                                        "week": week.isoformat(),
                                                                        "limit": profile.client_contact_limit}, now))
    target = balance.target_split(profile.region.settings)
    months = [balance.add_months(balance.month_start(today), -2), balance.add_months(balance.month_start(today), -1)]
    balances = [balance.month_balance(entries, month=m, contract_hours=profile.contract_hours, target=target) for m in months]
    if balance.out_of_balance_two_months(balances):
        made.append(_signal(expert, SignalKind.OUT_OF_BALANCE, months[-1], _("Own office %(a)s%% and %(b)s%% of the hours "
                            "in %(m1)s and %(m2)s (target at least %(t)s%%), or more hours than the contract.")
                            % {"a": round(balances[0].own_office_share or 0), "b": round(balances[1].own_office_share or 0),
                               "m1": months[0].strftime("%m-%Y"), "m2": months[1].strftime("%m-%Y"), "t": target["own_office"]},
                            now))
    checkins = CheckIn.objects.filter(expert=expert, week__lte=this_week, week__gte=this_week - timedelta(weeks=3))
    if balance.low_energy_run(checkins.values_list("week", "energy"), up_to=this_week):
        made.append(_signal(expert, SignalKind.LOW_ENERGY, this_week,
                            _("Energy 1 or 2 in three check-ins in a row, up to the week of %(week)s.")
                            % {"week": this_week.isoformat()}, now))
    return [s for s in made if s is not None]


def signals_check_region(*, region: Region, today: date) -> int:
    """The daily run (Celery beat or cron): every active expert of the region."""
    made = 0
    for profile in ExpertProfile.objects.filter(region=region, active=True).select_related("person"):
        made += len(expert_signals_check(expert=profile.person, today=today))
    return made
