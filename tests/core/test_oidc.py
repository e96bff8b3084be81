"""Single sign-on links a provider's identity to an existing account; it never creates one."""

from werkbrug.core.oidc import WerkbrugOIDCBackend


def test_identity_is_linked_by_email_and_never_created(jobcoach, settings):
    settings.OIDC_MATCH_CLAIM = "email"
    jobcoach.email = "Jet.Coach@example.org"
    jobcoach.save()
    backend = WerkbrugOIDCBackend.__new__(WerkbrugOIDCBackend)
    from django.contrib.auth import get_user_model

    backend.UserModel = get_user_model()
    assert list(backend.filter_users_by_claims({"email": "jet.coach@example.org"})) == [jobcoach]
    assert not backend.filter_users_by_claims({"email": "nobody@example.org"}).exists()
    assert not backend.filter_users_by_claims({}).exists()
    assert backend.create_user({"email": "new@example.org"}) is None
