"""Configuration: safe production defaults, `check --deploy` clean, demo idempotent."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from werkbrug.core.models import Organisation, Region, User

PROD_ENV = {
    "SECRET_KEY": "x" * 20 + "-production-secret-key-with-enough-entropy-1234567890",
    "ALLOWED_HOSTS": "werkbrug.example.nl",
    "EMAIL_HOST": "smtp.example.nl",
    "FIELD_ENCRYPTION_KEY": "q6Jdbj0Jb2Fq1yNqVjC0XyY4w3m3lFJx1jw5yq7rN3Y=",
    "ACCESS_LOG_HMAC_KEY": "production-access-log-key-with-enough-entropy-0123456789",
    "DJANGO_SETTINGS_MODULE": "werkbrug.conf.production",
    "WERKBRUG_BASE_URL": "https://werkbrug.example.nl",
}


def _werkbrug(*args, env=None):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check.
    skip = {"DJANGO_SETTINGS_MODULE", "WERKBRUG_DEMO", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    full_env = {k: v for k, v in os.environ.items() if k not in skip}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "werkbrug", *args], capture_output=True, text=True, env=full_env, timeout=120
    )


@pytest.mark.slow
def test_check_deploy_reports_nothing_in_production():
    result = _werkbrug("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_production_refuses_to_start_without_the_public_address_for_mail_links():
    result = _werkbrug("check", env={**PROD_ENV, "WERKBRUG_BASE_URL": ""})
    assert result.returncode != 0
    assert "WERKBRUG_BASE_URL" in result.stderr


@pytest.mark.slow
def test_production_refuses_to_start_without_a_secret_key():
    env = {**PROD_ENV, "SECRET_KEY": ""}
    result = _werkbrug("check", env=env)
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


@pytest.mark.slow
def test_production_refuses_to_start_without_an_access_log_key():
    result = _werkbrug("check", env={**PROD_ENV, "ACCESS_LOG_HMAC_KEY": ""})
    assert result.returncode != 0 and "ACCESS_LOG_HMAC_KEY is not set" in result.stderr


def test_a_missing_access_log_key_fails_the_check(settings):
    from werkbrug.core.checks import access_log_key

    settings.ACCESS_LOG_HMAC_KEY = ""
    assert [e.id for e in access_log_key(None)] == ["werkbrug.E011"]


@pytest.mark.slow
def test_oidc_switched_on_without_its_settings_fails_loudly():
    result = _werkbrug("check", env={**PROD_ENV, "WERKBRUG_OIDC": "1"})
    assert result.returncode != 0 and "OIDC_RP_CLIENT_ID" in result.stderr


def test_a_missing_field_encryption_key_is_reported(settings):
    from werkbrug.core.checks import field_encryption_key

    settings.FIELD_ENCRYPTION_KEYS, settings.DEMO_MODE = [], False
    assert [w.id for w in field_encryption_key(None)] == ["werkbrug.W001"]


def test_retention_below_five_years_fails_the_check(settings):
    from werkbrug.core.checks import access_log_retention

    settings.ACCESS_LOG_RETENTION_YEARS = 4
    assert [e.id for e in access_log_retention(None)] == ["werkbrug.E001"]


def test_demo_region_is_big_enough_and_loading_twice_changes_nothing(demo_region):
    from werkbrug.core.choices import OrganisationType, Role
    from werkbrug.core.models import RoleAssignment

    orgs = Organisation.objects.filter(region=demo_region)
    assert orgs.count() >= 8
    assert set(orgs.values_list("type", flat=True)) == set(OrganisationType.values)
    professionals = User.objects.filter(region=demo_region, kind="professional")
    assert professionals.count() >= 40
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    counts = (Region.objects.count(), User.objects.count(), Organisation.objects.count())
    call_command("demo", quiet=True)
    assert (Region.objects.count(), User.objects.count(), Organisation.objects.count()) == counts


def test_bulk_clients_are_added_with_team_and_consent(demo_region):
    from werkbrug.clients.models import Client, ConsentState
    from werkbrug.core import policy
    from werkbrug.trajectories.models import Trajectory

    before = Client.objects.count()
    call_command("demo", clients=200, quiet=True)
    assert Client.objects.count() == before + 200
    newest = Client.objects.order_by("-id").first()
    trajectory = Trajectory.objects.get(client=newest)
    assert ConsentState.objects.filter(client=newest, granted=True).exists()
    assert policy.can(trajectory.plan_director, "client.view", newest)
    # the caseload's copy of the name is on every membership (see trajectories/caseload_sync.py)
    copies = set(trajectory.team.values_list("client_first_name", "client_last_name", "client_pseudonym"))
    assert copies == {(newest.first_name, newest.last_name, newest.pseudonym)}
