"""The dashboard on the demo region: the period matters, targets and subscriptions are there."""

from datetime import timedelta

from django.utils import timezone

from werkbrug.reporting.models import Figure, ReportSubscription, Target
from werkbrug.reporting.selectors import region_dashboard


def test_demo_headline_figures_differ_between_a_month_and_a_year(demo_region):
    today = timezone.localdate()
    year = region_dashboard(region=demo_region, start=today - timedelta(days=364), end=today).figures()
    month = region_dashboard(region=demo_region, start=today - timedelta(days=29), end=today).figures()
    assert year[Figure.RUNNING] > month[Figure.RUNNING] or year[Figure.STARTED] > month[Figure.STARTED]
    assert year[Figure.JOB_STARTS] > month[Figure.JOB_STARTS]
    assert year[Figure.TOTAL_HOURS] > month[Figure.TOTAL_HOURS]
    assert Target.objects.get(region=demo_region, figure=Figure.EMPLOYED_SHARE).value == 41
    assert ReportSubscription.objects.filter(person__region=demo_region).count() >= 2
