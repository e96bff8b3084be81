"""Linked sign-in identities: a linked subject signs its person in; a person with a linked
identity is no longer found by e-mail address alone; unlinking returns to e-mail matching."""

from __future__ import annotations

import pytest

from werkbrug.administration import services
from werkbrug.administration.oidc import LinkedIdentityOIDCBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def backend(settings):
    settings.OIDC_MATCH_CLAIM = "email"
    return LinkedIdentityOIDCBackend.__new__(LinkedIdentityOIDCBackend)


@pytest.fixture(autouse=True)
def _user_model(backend):
    from django.contrib.auth import get_user_model

    backend.UserModel = get_user_model()


@pytest.mark.parametrize("linked, claims, found", [
    (False, {"sub": "s-1", "email": "jet@example.org"}, True),      # not linked: by e-mail address
    (True, {"sub": "s-1", "email": "other@example.org"}, True),     # linked: by subject, whatever the mail
    (True, {"sub": "s-2", "email": "jet@example.org"}, False),      # linked: the mail alone no longer opens it
    (False, {"sub": "s-1", "email": ""}, False),                    # nothing to match on
])
def test_matching(backend, admin, jobcoach, linked, claims, found):
    jobcoach.email = "jet@example.org"
    jobcoach.save()
    if linked:
        services.identity_link(person=jobcoach, subject="s-1", actor=admin)
    assert list(backend.filter_users_by_claims(claims)) == ([jobcoach] if found else [])


def test_unlinking_returns_to_email_matching(backend, admin, jobcoach):
    jobcoach.email = "jet@example.org"
    jobcoach.save()
    identity = services.identity_link(person=jobcoach, subject="s-1", actor=admin)
    services.identity_unlink(identity=identity, actor=admin)
    assert list(backend.filter_users_by_claims({"sub": "s-2", "email": "jet@example.org"})) == [jobcoach]


def test_a_deactivated_person_is_not_found(backend, admin, make_person, make_org):
    person = make_person(make_org(), "editor", email="ed@example.org")
    services.identity_link(person=person, subject="s-9", actor=admin)
    services.person_deactivate(person=person, actor=admin)
    assert list(backend.filter_users_by_claims({"sub": "s-9", "email": "ed@example.org"})) == []
