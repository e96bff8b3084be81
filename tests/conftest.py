"""Shared fixtures: a small region built through the real demo loader and services."""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings

from tests.support.browser import browser, page, sign_in  # noqa: F401 — browser-test fixtures, once
from werkbrug.core.choices import OrganisationType, Role
from werkbrug.core.models import Organisation, Region, RoleAssignment, User

CHROMIUM = "/usr/bin/chromium"
# The attack suite's counts, printed at the end of every run that includes it.
pytest_plugins = ["tests.security.summary"]


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM) or not any("browser" in item.keywords for item in items):
        return
    if os.environ.get("WERKBRUG_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"browser tests must run here, but {CHROMIUM} is missing")
    skip = pytest.mark.skip(reason=f"browser tests skipped: no Chromium at {CHROMIUM}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _no_2fa_by_default(settings, request):
    """Most tests are about other things; 2FA tests switch it on with the `two_factor` marker."""
    settings.REQUIRE_2FA = "two_factor" in request.keywords
    settings.AXES_ENABLED = "axes" in request.keywords


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: ids are reused between tests (rolled back), so a
    person cached by one test (`core.principal`) must never be served to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def policy_memo():
    """The test body as one request of the policy: its facts are remembered (`policy.memo`) as
    they are within a request; without this fixture a test outside a request remembers none."""
    from werkbrug.core.policy import memo

    with memo.scope():
        yield memo


@pytest.fixture(autouse=True)
def _append_only_access_log(request):
    """Keep the access log's append-only triggers on during every test.

    Transactional tests (browser tests among them) empty every table afterwards; the triggers
    are suspended just for that, and switched on again at the start of the next test.
    """
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not names & {"db", "transactional_db", "live_server"}:
        yield
        return
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        names & {"transactional_db", "live_server"}
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.db import connection

    from werkbrug.core import db_triggers

    db_triggers.resume(connection)
    yield
    if transactional:
        db_triggers.suspend(connection)


@pytest.fixture
def region(db) -> Region:
    return Region.objects.create(name="Testregio", slug="testregio")


@pytest.fixture
def other_region(db) -> Region:
    return Region.objects.create(name="Andere regio", slug="andere-regio")


@pytest.fixture
def make_org(region):
    def make(kind: str = OrganisationType.GGZ, name: str | None = None, in_region: Region | None = None) -> Organisation:
        r = in_region or region
        return Organisation.objects.create(
            region=r, name=name or f"{kind} {Organisation.objects.count() + 1}", type=kind
        )

    return make


@pytest.fixture
def make_person(region):
    counter = {"n": 0}

    def make(org: Organisation, *roles: str, **extra) -> User:
        counter["n"] += 1
        user = User.objects.create_user(
            username=extra.pop("username", f"user{counter['n']}_{org.pk}"),
            password="correct horse battery staple",
            first_name=extra.pop("first_name", f"Voornaam{counter['n']}"),
            last_name=extra.pop("last_name", f"Achternaam{counter['n']}"),
            region=org.region,
            organisation=org,
            **extra,
        )
        RoleAssignment.objects.bulk_create([RoleAssignment(person=user, role=r) for r in roles])
        return user

    return make


@pytest.fixture
def ggz(make_org):
    return make_org(OrganisationType.GGZ, "GGZ Test")


@pytest.fixture
def uwv(make_org):
    return make_org(OrganisationType.UWV, "UWV Test")


@pytest.fixture
def jobcoach(make_person, ggz):
    return make_person(ggz, Role.JOBCOACH)


@pytest.fixture
def privacy_officer(make_person, make_org):
    return make_person(make_org(OrganisationType.MUNICIPALITY, "Gemeente Test"), Role.PRIVACY_OFFICER)


@pytest.fixture
def demo_region(db):
    from django.core.management import call_command

    call_command("demo", quiet=True)
    return Region.objects.get(slug="rivierenland-oost")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    return CHROMIUM if os.path.exists(CHROMIUM) else (shutil.which("chromium") or CHROMIUM)


def pytest_configure(config):
    config.addinivalue_line("markers", "two_factor: run with two-factor authentication required")
    config.addinivalue_line("markers", "axes: run with sign-in throttling on")
    assert settings.SECRET_KEY


@pytest.fixture
def as_user(client):
    """as_user(user): the Django test client, signed in as `user`."""

    def signed_in(user):
        client.force_login(user)
        return client

    return signed_in


@pytest.fixture
def make_client(region):
    """make_client(by=professional, **fields): a client registered through the real service."""
    from datetime import date

    from werkbrug.clients.services import client_register

    def make(by: User, **fields):
        fields.setdefault("first_name", "Sam")
        fields.setdefault("last_name", f"Testcliënt{User.objects.count()}")
        fields.setdefault("date_of_birth", date(1990, 5, 17))
        return client_register(registered_by=by, **fields)

    return make


@pytest.fixture
def team(region, ggz, uwv, make_person, make_client):
    """A client in an active trajectory: a GGZ jobcoach (plan director) and a UWV labour expert.

    Consent: participation for both organisations; plan and signals for both; care only for GGZ.
    Returns a namespace with client, trajectory, jobcoach, labour_expert, outsider (same region,
    not in the team) and the organisations.
    """
    from types import SimpleNamespace

    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_grant
    from werkbrug.core.choices import DataCategory
    from werkbrug.trajectories.services import team_member_add, trajectory_start

    jobcoach = make_person(ggz, Role.JOBCOACH, first_name="Jet", last_name="Coach")
    labour_expert = make_person(uwv, Role.LABOUR_EXPERT, first_name="Lars", last_name="Deskundige")
    outsider = make_person(ggz, Role.THERAPIST, first_name="Otto", last_name="Buiten")
    client = make_client(jobcoach)
    trajectory = trajectory_start(client=client, started_by=jobcoach, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL)
    # Each organisation records the consent given to it (the policy's `consent.record`): the UWV
    # labour expert records taking part first, joins, then records the rest.
    for by, categories in (
        (jobcoach, [DataCategory.PLAN, DataCategory.SIGNALS, DataCategory.CARE, DataCategory.JOB_OUTCOMES, DataCategory.WORK_INCOME]),
        (labour_expert, [DataCategory.PARTICIPATION]),
    ):
        for category in categories:
            consent_grant(client=client, organisation=by.organisation, category=category, recorded_by=by,
                          method=ConsentMethod.PAPER, evidence="Getekend formulier T-1")
    team_member_add(trajectory=trajectory, person=labour_expert, role=Role.LABOUR_EXPERT, added_by=jobcoach)
    for category in (DataCategory.PLAN, DataCategory.SIGNALS, DataCategory.WORK_INCOME):
        consent_grant(client=client, organisation=uwv, category=category, recorded_by=labour_expert,
                      method=ConsentMethod.PAPER, evidence="Getekend formulier T-1")
    return SimpleNamespace(
        client=client, trajectory=trajectory, jobcoach=jobcoach, labour_expert=labour_expert,
        outsider=outsider, ggz=ggz, uwv=uwv,
    )


@pytest.fixture
def client_user(team):
    """The team's client with a portal account."""
    from werkbrug.core.choices import UserKind

    user = User.objects.create_user(username="client.portal", password="x" * 16, kind=UserKind.CLIENT,
                                    region=team.client.region, first_name=team.client.first_name,
                                    last_name=team.client.last_name)
    team.client.user = user
    team.client.save(update_fields=["user"])
    return user
