"""FHIR Subscriptions: telling other systems that something they may read has changed.

As in Koppeltaal 2.0 (FHIR R4 Subscriptions, rest-hook, no payload): the notification is an
empty POST to the system's endpoint, with the headers the system asked for; the system then
searches with `_lastUpdated`. A notification is owed only where the system's acting person may
read the changed resource (the same policy as the pages); it carries no id and no data. Each is
stored, sent by the worker, and retried with exponential back-off; after `MAX_ATTEMPTS` failures
the subscription is set to `error` and nothing more is sent until the system renews it.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from werkbrug.core import policy
from werkbrug.core.policy.interchange import may_act_as

from .models import FhirSubscription, SubscriptionNotification, SubscriptionStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
TIMEOUT_SECONDS = 10
MAX_HEADERS = 5


@dataclass(frozen=True)
class Topic:
    """What a change to one model means for subscribers: the FHIR type, the policy action and
    the object it is decided on, and the region it belongs to."""

    resource_type: str
    action: str
    target: Callable[[Any], Any]
    region_id: Callable[[Any], int]


def topics() -> dict[str, Topic]:
    return {
        "collaboration.signal": Topic("Communication", "signal.view", lambda s: s.trajectory,
                                      lambda s: s.trajectory.region_id),
        "plans.planversion": Topic("CarePlan", "plan.view", lambda v: v.plan.trajectory,
                                   lambda v: v.plan.trajectory.region_id),
        "plans.actionstatuschange": Topic("Task", "plan.view", lambda c: c.action.version.plan.trajectory,
                                          lambda c: c.action.version.plan.trajectory.region_id),
        "clients.consentevent": Topic("Consent", "consent.view", lambda e: e.client, lambda e: e.client.region_id),
    }


def criteria_types() -> set[str]:
    return {t.resource_type for t in topics().values()}


def check_endpoint(url: str) -> None:
    """https (http only where settings allow, as in the demo), and no private or loopback address
    unless settings allow it: a subscription must not make Werkbrug call into its own network."""
    parts = urlsplit(url)
    allowed = ("https", "http") if settings.FHIR_SUBSCRIPTION_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed or not parts.hostname:
        raise ValidationError("the endpoint must be an https URL", code="endpoint")
    if settings.FHIR_SUBSCRIPTION_ALLOW_PRIVATE:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except (OSError, UnicodeError) as exc:
        raise ValidationError("the endpoint's host is not known", code="endpoint") from exc
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise ValidationError("the endpoint must be a public address", code="endpoint")


def check_headers(headers: Any) -> list[str]:
    if headers is None:
        return []
    if not isinstance(headers, list) or len(headers) > MAX_HEADERS:
        raise ValidationError(f"at most {MAX_HEADERS} headers", code="header")
    clean = []
    for header in headers:
        name, sep, value = header.partition(":") if isinstance(header, str) else ("", "", "")
        if not sep or not name.strip() or len(header) > 500 or any(c in header for c in "\r\n\0") \
                or not all(c.isalnum() or c in "-_" for c in name.strip()):
            raise ValidationError("a header is 'Name: value'", code="header")
        clean.append(f"{name.strip()}: {value.strip()}")
    return clean


def on_change(instance: Any) -> int:
    """Owe a notification to every active subscription of the region whose system may read the
    changed resource. Called after a change is saved; returns how many are owed."""
    topic = topics().get(instance._meta.label_lower)
    if topic is None:
        return 0
    owed = 0
    subscriptions = (FhirSubscription.objects.filter(
        status=SubscriptionStatus.ACTIVE, criteria=topic.resource_type, system__revoked_at__isnull=True,
        system__region_id=topic.region_id(instance),
    ).select_related("system__acting_person", "person"))
    target = topic.target(instance)
    for subscription in subscriptions:
        # Decided for the person the subscribing call acted for, while the system may still act for them.
        person = subscription.person or subscription.system.acting_person
        if not may_act_as(subscription.system, person) or not policy.can(person, topic.action, target):
            continue
        FhirSubscription.objects.filter(pk=subscription.pk).update(events=F("events") + 1)
        subscription.refresh_from_db(fields=["events"])
        notification = SubscriptionNotification.objects.create(
            subscription=subscription, event_number=subscription.events, next_attempt_at=timezone.now())
        transaction.on_commit(lambda pk=notification.pk: _send_soon(pk))
        owed += 1
    return owed


def _send_soon(pk: int) -> None:
    """With a broker the worker sends it now; without one (the demo) the scheduler's next round
    does, so that a slow endpoint never holds up the page that caused the change."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        from .tasks import deliver_notification

        deliver_notification.delay(pk)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect could lead past `check_endpoint` into a private network: it counts as a failure."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, "redirects are not followed", headers, fp)


_opener = urllib.request.build_opener(_NoRedirects)


def _post(subscription: FhirSubscription) -> None:
    check_endpoint(subscription.endpoint)
    request = urllib.request.Request(subscription.endpoint, data=b"", method="POST")  # noqa: S310 — checked above
    for header in subscription.headers:
        name, _sep, value = header.partition(":")
        request.add_header(name.strip(), value.strip())
    request.add_header("Content-Type", "application/fhir+json")
    request.add_header("X-Werkbrug-Subscription", str(subscription.pk))
    with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(subscription.endpoint, response.status, "not 2xx", response.headers, None)


def backoff(attempts: int) -> timedelta:
    return min(FIRST_RETRY * (2 ** max(0, attempts - 1)), LONGEST_WAIT)


def deliver(pk: int, now: datetime | None = None) -> bool:
    """Send one owed notification; on failure schedule the next attempt (or give up)."""
    now = now or timezone.now()
    with transaction.atomic():
        notification = (SubscriptionNotification.objects.select_for_update(skip_locked=True)
                        .filter(pk=pk, delivered_at__isnull=True, next_attempt_at__isnull=False).first())
        if notification is None:
            return False
        subscription = FhirSubscription.objects.select_related("system").get(pk=notification.subscription_id)
        if subscription.status != SubscriptionStatus.ACTIVE or not subscription.system.is_active:
            notification.next_attempt_at = None
            notification.save(update_fields=["next_attempt_at"])
            return False
        notification.attempts += 1
        try:
            _post(subscription)
        except (OSError, ValueError, ValidationError, urllib.error.URLError) as exc:
            error = str(exc)[:300]
            log.warning("subscription %s: notification %s failed (%s)", subscription.pk, notification.pk, error)
            notification.last_error = error
            if notification.attempts >= MAX_ATTEMPTS:
                notification.next_attempt_at = None
                FhirSubscription.objects.filter(pk=subscription.pk).update(status=SubscriptionStatus.ERROR, error=error)
            else:
                notification.next_attempt_at = now + backoff(notification.attempts)
            notification.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            return False
        notification.delivered_at = timezone.now()
        notification.next_attempt_at = None
        notification.save(update_fields=["attempts", "delivered_at", "next_attempt_at"])
        return True


def deliver_due(now: datetime | None = None, limit: int = 500) -> int:
    now = now or timezone.now()
    due = list(SubscriptionNotification.objects.filter(delivered_at__isnull=True, next_attempt_at__lte=now)
               .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    return sum(deliver(pk, now) for pk in due)
