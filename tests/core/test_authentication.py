"""Sign-in, throttling, two-factor authentication, session timeout, the demo persona page."""

import time

import pytest
import time_machine
from django.test import Client as HttpClient
from django.urls import NoReverseMatch, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkbrug.core.choices import OrganisationType, Role

PASSWORD = "correct horse battery staple"


def _login(http, user, password=PASSWORD, ip="10.0.0.1"):
    return http.post("/account/login/", {"username": user.username, "password": password}, REMOTE_ADDR=ip)


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.mark.axes
def test_lockout_after_five_failures_only_for_that_name_from_that_address(jobcoach):
    attacker, colleague = HttpClient(), HttpClient()
    for _ in range(5):
        response = _login(attacker, jobcoach, "wrong password", ip="10.6.6.6")
        assert response.status_code in (200, 429)
    locked = _login(attacker, jobcoach, ip="10.6.6.6")
    assert locked.status_code == 429
    # The real person, elsewhere, can still sign in: the attacker cannot lock others out.
    assert _login(colleague, jobcoach, ip="10.1.1.1").status_code == 302


@pytest.mark.axes
def test_failed_sign_in_does_not_reveal_whether_the_account_exists(jobcoach):
    existing = _login(HttpClient(), jobcoach, "wrong password").content.decode()
    jobcoach.username = "nobody-here"
    missing = _login(HttpClient(), jobcoach, "wrong password").content.decode()
    assert 'class="error-summary"' in existing and 'class="error-summary"' in missing
    error = lambda html: html.split('class="error-summary"')[1].split("</div>")[0]  # noqa: E731
    assert error(existing) == error(missing)


def test_passwords_are_hashed_with_argon2(settings, jobcoach):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    jobcoach.set_password("a long enough passphrase")
    assert jobcoach.password.startswith("argon2")


def test_sign_in_rotates_the_session_id(client, jobcoach):
    client.get("/account/login/")
    client.session.save()
    before = client.session.session_key
    _login(client, jobcoach)
    assert client.session.session_key != before


@pytest.mark.two_factor
def test_casework_roles_must_set_up_and_pass_two_factor(client, jobcoach):
    _login(client, jobcoach)
    response = client.get("/organisations/")
    assert response.status_code == 302 and response["Location"].startswith("/account/2fa/setup/")
    api = client.get("/api/v1/organisations/")
    assert api.status_code == 403 and api["Content-Type"] == "application/problem+json"
    client.get("/account/2fa/setup/")
    device = TOTPDevice.objects.get(user=jobcoach)
    assert client.post("/account/2fa/setup/", {"token": "000000"}).status_code == 200
    with time_machine.travel(time.time() + 5):  # past django-otp's failure throttle
        done = client.post("/account/2fa/setup/", {"token": _token(device), "next": "/organisations/"})
        assert done.status_code == 302 and done["Location"] == "/organisations/"
        assert client.get("/organisations/").status_code == 200
        assert client.get("/api/v1/organisations/").status_code == 200
        # A new session must verify again with the confirmed device.
        other = HttpClient()
        _login(other, jobcoach)
        assert other.get("/organisations/")["Location"].startswith("/account/2fa/verify/")
        device.refresh_from_db()
        with time_machine.travel(time.time() + 60):
            assert other.post("/account/2fa/verify/", {"token": _token(device)}).status_code == 302
            assert other.get("/organisations/").status_code == 200




@pytest.mark.two_factor
def test_roles_without_client_data_need_no_second_factor(client, make_person, make_org):
    editor = make_person(make_org(OrganisationType.CLIENT_ORGANISATION), Role.EDITOR)
    _login(client, editor)
    assert client.get("/organisations/").status_code == 200


def test_switching_two_factor_off_outside_demo_fails_the_system_check(settings):
    from werkbrug.core.checks import two_factor_only_off_in_demo

    settings.REQUIRE_2FA, settings.DEMO_MODE = False, False
    assert [e.id for e in two_factor_only_off_in_demo(None)] == ["werkbrug.E002"]
    settings.DEMO_MODE = True
    assert two_factor_only_off_in_demo(None) == []


def test_idle_session_is_signed_out_after_the_timeout(client, jobcoach, settings):
    settings.SESSION_IDLE_SECONDS = 30 * 60
    _login(client, jobcoach)
    with time_machine.travel(time.time() + 29 * 60, tick=False):
        assert client.get("/organisations/").status_code == 200
    with time_machine.travel(time.time() + 29 * 60 + 31 * 60, tick=False):
        response = client.get("/organisations/")
        assert response.status_code == 302 and response["Location"].startswith("/account/login/")
        assert client.get("/api/v1/organisations/").status_code in (401, 403)


def test_persona_page_exists_only_in_demo_mode(client, settings, demo_region):
    assert client.get("/demo/personas/").status_code == 200
    settings.DEMO_MODE = False
    assert client.get("/demo/personas/").status_code == 404
    from werkbrug.core.models import User

    target = User.objects.get(username="demo.admin")
    assert client.post("/demo/personas/", {"user": target.pk}).status_code == 404


def test_production_urlconf_has_no_persona_page(settings):
    import importlib

    import werkbrug.web.urls as web_urls

    settings.DEMO_MODE = False
    try:
        importlib.reload(web_urls)
        assert not any(getattr(p, "name", "") == "personas" for p in web_urls.urlpatterns)
    finally:
        settings.DEMO_MODE = True
        importlib.reload(web_urls)
    with pytest.raises(NoReverseMatch):
        reverse("web:nonexistent")
