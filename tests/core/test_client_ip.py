"""The client's network address behind TRUSTED_PROXY_COUNT proxies: one function, used by the
access log and by the sign-in throttle, never fooled by a client-set X-Forwarded-For."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.test import RequestFactory

from werkbrug.core import policy
from werkbrug.core.client_ip import client_ip
from werkbrug.core.models import AccessLogRecord

PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.2"


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.7", "", "192.0.2.7"),  # no proxy: the peer is the client
        (0, "192.0.2.7", "6.6.6.6", "192.0.2.7"),  # no proxy: a client-set header is ignored
        (1, PROXY, "198.51.100.4", "198.51.100.4"),  # one proxy: the entry it appended
        (1, PROXY, "6.6.6.6, 198.51.100.4", "198.51.100.4"),  # the spoofed leftmost entry is ignored
        (1, PROXY, "6.6.6.6,198.51.100.4 ", "198.51.100.4"),  # spacing does not matter
        (2, PROXY, "6.6.6.6, 198.51.100.4, 10.0.0.9", "198.51.100.4"),  # two proxies: second from the right
        (2, PROXY, "10.0.0.9", PROXY),  # fewer entries than proxies: not through them all
        (1, PROXY, "", PROXY),  # one proxy, no header: the proxy itself
        (1, PROXY, "not-an-address", PROXY),  # garbage from a misconfigured proxy: never stored
        (1, PROXY, "2001:0db8::0001", "2001:db8::1"),  # IPv6 in its normal form
        (0, "", "", None),  # no address at all
    ],
)
def test_client_ip_table(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(RequestFactory().get("/", **meta)) == expected


def test_the_https_proxy_header_alone_does_not_make_forwarded_for_trusted(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "192.0.2.7"


@pytest.mark.parametrize(("proxies", "expected"), [(0, PROXY), (1, "198.51.100.4")])
def test_access_log_records_the_derived_address_not_the_spoofed_one(client, team, settings, proxies, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    client.force_login(team.jobcoach)
    response = client.get(f"/clients/{team.client.pk}/", REMOTE_ADDR=PROXY,
                          HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    assert response.status_code == 200
    record = AccessLogRecord.objects.filter(action="client.view").latest("id")
    assert record.ip_address == expected


def test_axes_uses_the_same_function(settings):
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    assert get_client_ip_address(request) == "198.51.100.4" == client_ip(request)


def _login(http, user, client_address, password=PASSWORD, spoof="6.6.6.6"):
    return http.post(
        "/account/login/", {"username": user.username, "password": password},
        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{spoof}, {client_address}",
    )


@pytest.mark.axes
def test_behind_the_proxy_five_bad_passwords_elsewhere_do_not_lock_a_colleague_out(settings, jobcoach):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker, colleague = HttpClient(), HttpClient()
    for attempt in range(5):
        # The attacker changes the client-set part of the header every time: it does not help.
        _login(attacker, jobcoach, "203.0.113.66", "wrong password", spoof=f"6.6.6.{attempt}")
    assert _login(attacker, jobcoach, "203.0.113.66", spoof="7.7.7.7").status_code == 429
    # The real person, signing in from the office through the same proxy, is not locked out.
    assert _login(colleague, jobcoach, "198.51.100.4").status_code == 302


def test_policy_denial_records_the_address_too(team, settings):
    from werkbrug.core import context

    token = context.current.set(context.RequestContext("abcdef123456", "198.51.100.4"))
    try:
        with pytest.raises(Exception):  # noqa: B017 — Http404
            policy.authorize(team.outsider, "client.view", team.client)
    finally:
        context.current.reset(token)
    assert AccessLogRecord.objects.filter(granted=False).latest("id").ip_address == "198.51.100.4"
