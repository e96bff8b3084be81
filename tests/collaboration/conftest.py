import pytest

from werkbrug.core.choices import OrganisationType, Role


@pytest.fixture
def debt_org(make_org):
    return make_org(OrganisationType.DEBT_COUNSELLING, "Schuldhulp Test")


@pytest.fixture
def debt_counsellor(make_person, debt_org):
    return make_person(debt_org, Role.DEBT_COUNSELLOR, first_name="Dina", last_name="Schuld")


def _the_client(team):
    """The team's client, signed in to the portal: consent belongs to the client, who gives and
    withdraws it for any organisation (the policy's `consent.record` / `consent.withdraw`)."""
    from werkbrug.core.choices import UserKind
    from werkbrug.core.models import User

    client = team.client
    client.refresh_from_db()
    if client.user is None:
        client.user = User.objects.create_user(username=f"portal.{client.pk}", password="x" * 16, kind=UserKind.CLIENT,
                                               region=client.region)
        client.save(update_fields=["user"])
    return client.user


@pytest.fixture
def consent(team):
    """consent(org, category): the client gives consent (in the portal) through the real service."""
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_grant

    def give(org, category):
        return consent_grant(client=team.client, organisation=org, category=category,
                             recorded_by=_the_client(team), method=ConsentMethod.PORTAL)

    return give


@pytest.fixture
def withdraw(team):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_withdraw

    def take(org, category):
        return consent_withdraw(client=team.client, organisation=org, category=category,
                                recorded_by=_the_client(team), method=ConsentMethod.PORTAL)

    return take


@pytest.fixture
def signal(team):
    from werkbrug.collaboration.services import signal_create

    def make(urgency="urgent", recipients=None, author=None, **extra):
        return signal_create(
            trajectory=team.trajectory, author=author or team.jobcoach, category=extra.pop("category", "debts"),
            urgency=urgency, text=extra.pop("text", "Er komt een beslaglegging aan; dat raakt haar stemming."),
            recipients=recipients if recipients is not None else [team.labour_expert], **extra,
        )

    return make


@pytest.fixture
def referral(team, debt_org, debt_counsellor, consent):
    """A requested referral to debt counselling, with the client's consent for that organisation."""
    from werkbrug.collaboration.services import referral_create
    from werkbrug.core.choices import DataCategory

    consent(debt_org, DataCategory.PARTICIPATION)
    return referral_create(trajectory=team.trajectory, referred_by=team.jobcoach, organisation=debt_org,
                           service="debt_counselling", question="Hulp bij betalingsachterstanden.")
