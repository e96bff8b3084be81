"""The client's network address, as the access log and the sign-in throttle both record it.

Behind TRUSTED_PROXY_COUNT reverse proxies of our own, REMOTE_ADDR is the nearest proxy and each
proxy appends the address it received the request from to X-Forwarded-For. So the client is the
TRUSTED_PROXY_COUNT-th entry from the right; whatever stands further left was sent by the client
and proves nothing. Without proxies (the default) the header is ignored altogether.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str | None) -> str | None:
    """The address in its normal form, or None when it is not an IP address."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    remote = _address(request.META.get("REMOTE_ADDR"))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [part for part in forwarded if part]
    # hops[-1] was appended by the nearest proxy, hops[-proxies] by the outermost one: the client.
    if len(hops) < proxies:
        # Fewer entries than proxies: the request did not come through all of them.
        return remote
    return _address(hops[-proxies]) or remote
