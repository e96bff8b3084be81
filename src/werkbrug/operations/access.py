"""Who may read `/metrics`: loopback always, plus the networks in WERKBRUG_METRICS_ALLOW and
whoever shows the bearer token WERKBRUG_METRICS_TOKEN. Everyone else gets a 404, as for any
page that is not theirs. The address is the one the access log records (`core.client_ip`), so
behind a proxy TRUSTED_PROXY_COUNT must be right: with it at 0 behind a proxy on the same
machine every request would come from loopback.
"""

from __future__ import annotations

import hmac
import ipaddress
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from werkbrug.core.client_ip import client_ip


@cache
def _networks(allow: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in allow)
    except ValueError as error:
        raise ImproperlyConfigured(f"WERKBRUG_METRICS_ALLOW: {error}") from error


def _bearer(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def metrics_allowed(request: HttpRequest) -> bool:
    expected = settings.WERKBRUG_METRICS_TOKEN
    if expected:
        offered = _bearer(request)
        if offered and hmac.compare_digest(offered.encode(), expected.encode()):
            return True
    address = client_ip(request)
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    if ip.is_loopback:
        return True
    return any(ip in network for network in _networks(tuple(settings.WERKBRUG_METRICS_ALLOW)))
