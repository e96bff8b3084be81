"""The signed-in person is cached (core.principal); every change through the application shows
on the very next request, and changes made around the application show after the expiry."""

import time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkbrug.core.models import RoleAssignment, User

IDENTITY_TABLES = ('"core_user"', '"core_roleassignment"', '"otp_totp_totpdevice"', '"core_organisation"')


def _identity_queries(queries) -> list[str]:
    """Queries that load the person's identity. The header's counts ride beside the person's row
    (`web.my_work.header_counts`: the person's id and COUNT subqueries are selected) and load none of it."""
    return [q["sql"] for q in queries if any(f"FROM {table}" in q["sql"] for table in IDENTITY_TABLES)
            and not q["sql"].startswith('SELECT "core_user"."id" AS "pk", (SELECT COUNT(')]


def test_a_cached_person_costs_no_identity_queries(client, privacy_officer):
    client.force_login(privacy_officer)
    assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get("/").status_code == 200
    assert _identity_queries(second.captured_queries) == []


def test_a_removed_role_is_gone_on_the_next_request(client, privacy_officer):
    client.force_login(privacy_officer)
    url = reverse("web:access_log")
    assert client.get(url).status_code == 200
    RoleAssignment.objects.filter(person=privacy_officer).delete()
    assert client.get(url).status_code in (403, 404)


def test_a_deactivated_person_is_signed_out_on_the_next_request(client, jobcoach):
    client.force_login(jobcoach)
    assert client.get("/organisations/").status_code == 200
    jobcoach.is_active = False
    jobcoach.save()
    response = client.get("/organisations/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))


def test_a_change_to_the_organisation_shows_at_once(client, jobcoach, ggz):
    client.force_login(jobcoach)
    client.get("/")
    ggz.name = "GGZ Hernoemd"
    ggz.save()
    from werkbrug.core import principal

    assert principal.load(jobcoach.pk).organisation.name == "GGZ Hernoemd"


@pytest.mark.two_factor
def test_a_deleted_device_ends_the_verified_session(client, jobcoach):
    device = TOTPDevice.objects.create(user=jobcoach, name="app", confirmed=True)
    client.force_login(jobcoach)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get("/organisations/").status_code == 200
    device.delete()
    response = client.get("/organisations/")
    assert response.status_code == 302 and "/account/2fa/" in response["Location"]


@pytest.mark.two_factor
def test_a_device_of_someone_else_does_not_verify(client, jobcoach, make_person, ggz):
    other = make_person(ggz, "jobcoach")
    device = TOTPDevice.objects.create(user=other, name="app", confirmed=True)
    client.force_login(jobcoach)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    response = client.get("/organisations/")
    assert response.status_code == 302 and "/account/2fa/" in response["Location"]


def test_changes_around_the_application_show_after_the_expiry(client, privacy_officer, settings):
    settings.PRINCIPAL_CACHE_SECONDS = 60
    client.force_login(privacy_officer)
    url = reverse("web:access_log")
    assert client.get(url).status_code == 200
    # A bulk UPDATE sends no signals: the cached person stands until the entry expires.
    User.objects.filter(pk=privacy_officer.pk).update(is_active=False)
    assert client.get(url).status_code == 200
    with time_machine.travel(time.time() + 61):
        assert client.get(url).status_code == 302


def test_the_cache_can_be_switched_off(client, privacy_officer, settings):
    settings.PRINCIPAL_CACHE_SECONDS = 0
    client.force_login(privacy_officer)
    client.get("/")
    User.objects.filter(pk=privacy_officer.pk).update(is_active=False)
    assert client.get(reverse("web:access_log")).status_code == 302
