"""The access matrix (issue 3, "Done when"), generated rather than hand-picked.

Dimensions: every role × every organisation type × consent state (none / granted / withdrawn /
expired) × data category × team membership (member / not a member). The rule under test:
a professional may see a category of a client's data iff they are a current team member AND the
client's consent for their organisation and that category is granted and not expired; otherwise
the answer is 404 (existence is not revealed). The client always sees their own file.

- `test_policy_matrix_full_product` asks the policy for the full product (every combination).
- `test_web_and_api_matrix` requests the pages and API for a generated slice: every organisation
  type × consent state pattern × membership, with the roles rotating, and checks status codes,
  which intake sections are shown, and one access-log record per request.

Consent states are spread so that every (organisation type, category) pair meets every state:
organisation number k of a type gets state STATES[(k + category index) % 4] for each category.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_grant, consent_withdraw
from werkbrug.core import policy
from werkbrug.core.choices import CASEWORK_ROLES, DataCategory, OrganisationType, Role, UserKind
from werkbrug.core.models import AccessLogRecord, Organisation, RoleAssignment, User
from werkbrug.core.policy.clients import client_data
from werkbrug.trajectories.intake import SECTIONS
from werkbrug.trajectories.models import TeamMembership

STATES = ("none", "granted", "withdrawn", "expired")
CATEGORIES = list(DataCategory.values)
CASEWORK = sorted(CASEWORK_ROLES)
PARTICIPATION_ACTIONS = ("client.view", "trajectory.view", "intake.view", "consent.view")


def state_for(k: int, category: str) -> str:
    return STATES[(k + CATEGORIES.index(category)) % len(STATES)]


def _set_consent(client, org, category, state, by) -> None:
    """`by`: the client (in the portal), who gives and withdraws consent for every organisation."""
    today = timezone.localdate()
    if state == "none":
        return
    portal = ConsentMethod.PORTAL
    if state == "expired":
        consent_grant(client=client, organisation=org, category=category, recorded_by=by, method=portal,
                      given_on=today - timedelta(days=400), valid_until=today - timedelta(days=1))
        return
    consent_grant(client=client, organisation=org, category=category, recorded_by=by, method=portal)
    if state == "withdrawn":
        consent_withdraw(client=client, organisation=org, category=category, recorded_by=by, method=portal)


@pytest.fixture
def world(region, make_org, make_person, make_client, other_region):
    """One client in an active trajectory, 40 organisations and a person per org × role × membership."""
    from werkbrug.trajectories.services import trajectory_start

    starter = make_person(make_org(OrganisationType.GGZ, "Startorganisatie"), Role.JOBCOACH)
    client = make_client(starter, first_name="Matrix", last_name="Cliënt")
    trajectory = trajectory_start(client=client, started_by=starter, role=Role.JOBCOACH, consent_method=ConsentMethod.PAPER)
    own = User.objects.create_user(username="matrix.client", password="x" * 16, kind=UserKind.CLIENT, region=region)
    client.user = own
    client.save(update_fields=["user"])
    orgs = []
    for kind, k in itertools.product(OrganisationType.values, range(len(STATES))):
        org = Organisation.objects.create(region=region, name=f"{kind} {k}", type=kind)
        org.k = k
        orgs.append(org)
        for category in CATEGORIES:
            _set_consent(client, org, category, state_for(k, category), own)
    people = []
    users = [
        User(username=f"m.{org.pk}.{role}.{member}", kind=UserKind.PROFESSIONAL, region=region, organisation=org,
             first_name=role, last_name=str(org.pk))
        for org in orgs for role in Role.values for member in (True, False)
    ]
    User.objects.bulk_create(users)
    users = {u.username: u for u in User.objects.filter(username__startswith="m.")}
    assignments, memberships = [], []
    now = timezone.now()
    for org in orgs:
        for role in Role.values:
            for member in (True, False):
                user = users[f"m.{org.pk}.{role}.{member}"]
                assignments.append(RoleAssignment(person=user, role=role))
                if member:
                    memberships.append(TeamMembership(trajectory=trajectory, person=user, organisation=org,
                                                      role=role if role in CASEWORK_ROLES else Role.JOBCOACH, joined_at=now))
                people.append(SimpleNamespace(user=user, org=org, role=role, member=member))
    RoleAssignment.objects.bulk_create(assignments)
    TeamMembership.objects.bulk_create(memberships)
    other_client_user = User.objects.create_user(username="other.client", password="x" * 16, kind=UserKind.CLIENT, region=region)
    far_org = make_org(OrganisationType.GGZ, "Ver weg", in_region=other_region)
    far = make_person(far_org, Role.JOBCOACH)
    return SimpleNamespace(client=client, trajectory=trajectory, orgs=orgs, people=people, own=own,
                           other_client_user=other_client_user, far=far)


def expected(person, category: str) -> bool:
    return person.member and state_for(person.org.k, category) == "granted"


def test_policy_matrix_full_product(world):
    """Every role × organisation type × consent state × category × membership, via the policy."""
    mismatches = []
    seen = set()
    for person in world.people:
        for category in CATEGORIES:
            decision = client_data(person.user, world.client, category)
            seen.add((person.role, person.org.type, state_for(person.org.k, category), category, person.member))
            if decision.allowed != expected(person, category):
                mismatches.append((person.role, person.org.type, state_for(person.org.k, category), category, person.member))
            if not decision.allowed:
                assert decision.hide, "a denial must answer 404, not 403"
        for action in PARTICIPATION_ACTIONS:
            obj = world.trajectory if action.startswith(("trajectory", "intake")) else world.client
            if policy.can(person.user, action, obj) != expected(person, DataCategory.PARTICIPATION):
                mismatches.append((action, person.role, person.org.type, person.org.k, person.member))
    assert not mismatches, mismatches[:20]
    # The generated product really covers every combination.
    assert len(seen) == len(Role.values) * len(OrganisationType.values) * len(STATES) * len(CATEGORIES) * 2
    # The client sees every category of their own file; another client and another region see none.
    for category in CATEGORIES:
        assert client_data(world.own, world.client, category).allowed
        assert not client_data(world.other_client_user, world.client, category).allowed
        assert not client_data(world.far, world.client, category).allowed


def _slice(world):
    """Every organisation (type × consent pattern) × membership, roles rotating through all roles."""
    roles = Role.values
    chosen = []
    for index, org in enumerate(world.orgs):
        for member in (True, False):
            role = roles[(index * 2 + member) % len(roles)]
            chosen.extend(p for p in world.people if p.org is org and p.role == role and p.member == member)
    return chosen


# Every page and API endpoint that shows one kind of client data, by its data category. The
# intake pages are `participation`, with a section per category (care, work and income, debts)
# checked inside them; `research` data is only read pseudonymised, in the evaluations module.
PAGES_BY_CATEGORY = {
    DataCategory.PARTICIPATION: (
        "/trajectories/{t}/", "/trajectories/{t}/intake/", "/clients/{c}/", "/clients/{c}/consents/",
        "/api/v1/trajectories/{t}/", "/api/v1/trajectories/{t}/intake/",
        "/api/v1/clients/{c}/", "/api/v1/clients/{c}/consents/",
    ),
    DataCategory.PLAN: (
        "/plans/{t}/", "/plans/{t}/versions/", "/api/v1/plans/{t}/", "/api/v1/plans/{t}/versions/",
    ),
    DataCategory.SIGNALS: ("/collaboration/trajectories/{t}/signals/", "/api/v1/trajectories/{t}/signals/"),
    DataCategory.JOB_OUTCOMES: ("/employment/trajectories/{t}/", "/api/v1/trajectories/{t}/ips/",
                                "/api/v1/trajectories/{t}/jobs/"),
}


def test_every_data_category_with_a_page_is_in_the_matrix():
    shown_in_intake = {s.category for s in SECTIONS}
    assert set(PAGES_BY_CATEGORY) | shown_in_intake == set(DataCategory.values) - {DataCategory.RESEARCH}
    for urls in PAGES_BY_CATEGORY.values():
        assert any(u.startswith("/api/") for u in urls) and any(not u.startswith("/api/") for u in urls)


def test_web_and_api_matrix(world, client):
    """Every organisation type × consent pattern × membership (roles rotating) × data category,
    on the web pages and the API alike: 200 exactly when the rule allows, else 404, and one
    access-log record per request."""
    t, c = world.trajectory.pk, world.client.pk
    mismatches = []
    people = _slice(world)
    assert {p.org.type for p in people} == set(OrganisationType.values)
    assert {p.role for p in people} == set(Role.values)
    met = set()
    for person in people:
        client.force_login(person.user)
        for category, urls in PAGES_BY_CATEGORY.items():
            may = expected(person, category)
            met.add((person.org.type, state_for(person.org.k, category), category, person.member))
            for template in urls:
                url = template.format(t=t, c=c)
                before = AccessLogRecord.objects.count()
                response = client.get(url)
                if response.status_code != (200 if may else 404):
                    mismatches.append((url, person.role, person.org.type, state_for(person.org.k, category),
                                       person.member, response.status_code))
                if AccessLogRecord.objects.count() - before != 1:
                    mismatches.append((url, "log records", AccessLogRecord.objects.count() - before))
                if not may or "intake" not in url:
                    continue
                if url.startswith("/api/"):
                    shown = {s["key"] for s in response.json()["sections"] if s["shared"]}
                else:
                    body = response.content.decode()
                    shown = {s.key for s in SECTIONS if f'id="sec-{s.key}"' in body
                             and body.split(f'id="sec-{s.key}"')[1].split("</section>")[0].count("Niet gedeeld") == 0}
                want = {s.key for s in SECTIONS if expected(person, s.category)}
                if shown != want:
                    mismatches.append((url, person.org.k, sorted(shown), sorted(want)))
    assert not mismatches, mismatches[:20]
    # Every organisation type meets every consent state for every category, as member and not.
    assert len(met) == len(OrganisationType.values) * len(STATES) * len(PAGES_BY_CATEGORY) * 2


def test_client_sees_own_file_web_and_api(world, client):
    t = world.trajectory.pk
    urls = [f"/trajectories/{t}/", f"/trajectories/{t}/intake/", f"/api/v1/trajectories/{t}/",
            f"/api/v1/trajectories/{t}/intake/"]
    client.force_login(world.own)
    for url in urls:
        assert client.get(url).status_code == 200, url
    sections = client.get(f"/api/v1/trajectories/{t}/intake/").json()["sections"]
    assert all(s["shared"] for s in sections)
    for outsider in (world.other_client_user, world.far):
        client.force_login(outsider)
        for url in urls:
            assert client.get(url).status_code == 404, (outsider, url)
