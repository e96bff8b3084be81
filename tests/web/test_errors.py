"""Clear Dutch error pages; an unreachable database gives 503 and leaves nothing half-written."""

from datetime import date
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client as HttpClient

from werkbrug.clients.models import Client


def test_404_page_is_dutch_and_plain(client, jobcoach):
    client.force_login(jobcoach)
    response = client.get("/organisations/999999/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_database_down_in_a_view_gives_503(client, jobcoach):
    client.force_login(jobcoach)
    with mock.patch("werkbrug.core.selectors.Organisation.objects.filter", side_effect=OperationalError("down")):
        response = client.get("/organisations/")
    assert response.status_code == 503
    assert "tijdelijk niet beschikbaar" in response.content.decode()
    assert response["Retry-After"] == "60"


def test_database_down_in_middleware_gives_503(jobcoach, client):
    client.force_login(jobcoach)
    http = HttpClient(raise_request_exception=False)
    http.cookies = client.cookies
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=OperationalError("down")):
        response = http.get("/organisations/")
    assert response.status_code == 503


@pytest.mark.django_db(transaction=True)
def test_database_lost_halfway_through_a_write_leaves_nothing(team):
    """The client row is written, then the database goes away before the access-log record:
    the whole registration is rolled back."""
    from werkbrug.clients.services import client_register

    before = Client.objects.count()
    with (
        mock.patch("werkbrug.clients.services.access_log_write", side_effect=OperationalError("gone")),
        pytest.raises(OperationalError),
    ):
        client_register(registered_by=team.jobcoach, first_name="Half", last_name="Geschreven",
                        date_of_birth=date(1990, 1, 1))
    assert Client.objects.count() == before
    assert not Client.objects.filter(last_name="Geschreven").exists()


@pytest.mark.django_db
def test_a_refused_form_answers_a_dutch_page_not_djangos_english_one():
    response = HttpClient(enforce_csrf_checks=True).post("/account/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Uw formulier kon niet worden aangenomen" in body
    assert "CSRF" not in body
