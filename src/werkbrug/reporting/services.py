"""Writes of the dashboard: the region's targets, subscriptions, and the monthly report notice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from werkbrug.core import policy

from .models import PERCENT_FIGURES, Figure, ReportSubscription, Target
from .period import last_full_month

if TYPE_CHECKING:
    from werkbrug.core.models import Region, User

MAX_TARGET = Decimal("9999999")


def _checked(figure: str, value: Decimal) -> Decimal:
    if figure not in Figure.values:
        raise ValidationError({"figure": _("This figure does not exist.")}, code="unknown_figure")
    if value < 0 or value > MAX_TARGET:
        raise ValidationError({figure: _("A target lies between 0 and 9.999.999.")}, code="out_of_range")
    if figure in PERCENT_FIGURES and value > 100:
        raise ValidationError({figure: _("A percentage lies between 0 and 100.")}, code="out_of_range")
    return value.quantize(Decimal("0.1"))


@transaction.atomic
def target_set(*, region: Region, by: User, figure: str, value: Decimal | None) -> Target | None:
    """Set (or with None remove) the region's target for one figure."""
    if value is None:
        if figure not in Figure.values:
            raise ValidationError({"figure": _("This figure does not exist.")}, code="unknown_figure")
        Target.objects.filter(region=region, figure=figure).delete()
        return None
    value = _checked(figure, Decimal(value))
    target, _created = Target.objects.update_or_create(region=region, figure=figure,
                                                       defaults={"value": value, "updated_by": by})
    return target


@transaction.atomic
def targets_set(*, region: Region, by: User, values: dict[str, Decimal | None]) -> None:
    """Every figure's target at once (the page's form): None removes a target."""
    errors = {}
    for figure, value in values.items():
        try:
            target_set(region=region, by=by, figure=figure, value=value)
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def subscription_set(*, person: User, subscribed: bool) -> None:
    if subscribed:
        ReportSubscription.objects.get_or_create(person=person)
    else:
        ReportSubscription.objects.filter(person=person).delete()


def monthly_report_link(month_start: date, month_end: date) -> str:
    """The signed-in link to last month's PDF report (the mail makes it absolute)."""
    return reverse("reporting:pdf") + "?" + urlencode({"start": month_start.isoformat(), "end": month_end.isoformat()})


def monthly_reports_send(*, today: date | None = None) -> int:
    """Tell every subscriber who may still see the dashboard that last month's report is ready:
    one notification each (`Kind.MONTHLY_REPORT`, mailed at once unless they chose otherwise),
    linking to the PDF of that month. The notice carries no figure, no name, no health data. A
    month is told once per person, however often this runs. Returns how many were told."""
    from werkbrug.notifications import services as notifications
    from werkbrug.notifications.kinds import Kind

    today = today or timezone.localdate()
    month = last_full_month(today)
    told = 0
    subscriptions = (ReportSubscription.objects.select_related("person", "person__region", "person__organisation")
                     .exclude(last_month_sent__gte=month.start))
    for subscription in subscriptions:
        person = subscription.person
        if not person.is_active or not policy.can(person, "region_dashboard.view", person.region):
            continue
        with transaction.atomic():
            locked = ReportSubscription.objects.select_for_update().get(pk=subscription.pk)
            if locked.last_month_sent is not None and locked.last_month_sent >= month.start:
                continue
            notifications.notify(recipient=person, kind=Kind.MONTHLY_REPORT,
                                 link=monthly_report_link(month.start, month.end),
                                 )
            locked.last_month_sent = month.start
            locked.save(update_fields=["last_month_sent"])
            told += 1
    return told
