from celery import shared_task
from django.utils import timezone

from werkbrug.core.models import Region

from .services import requests_expire, signals_check_region


@shared_task(name="werkbrug.experience_experts.tasks.check_signals")
def check_signals() -> int:
    """Daily: balance, limits and low-energy signals for every active expert (idempotent)."""
    today = timezone.localdate()
    return sum(signals_check_region(region=region, today=today) for region in Region.objects.all())


@shared_task(name="werkbrug.experience_experts.tasks.expire_requests")
def expire_requests() -> int:
    """Daily: requests still waiting for an expert after their period close themselves (expired)."""
    return requests_expire(today=timezone.localdate())
