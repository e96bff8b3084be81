"""Known in the region?: the fuzzy match, a check that reveals nothing, the request to join, and
merging two files of one person."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from werkbrug.clients.known import birth_dates, names_match, normalise_name
from werkbrug.clients.models import Client, ClientMerge, ConsentMethod, ConsentState, JoinRequest
from werkbrug.clients.services import (
    KnownCheckLimit,
    client_merge,
    consent_grant,
    join_request_create,
    join_request_decide,
    known_check,
)
from werkbrug.core.choices import DataCategory, OrganisationType, Role
from werkbrug.core.models import AccessLogRecord
from werkbrug.notifications.kinds import Kind
from werkbrug.notifications.models import Notification
from werkbrug.trajectories.models import TeamMembership, Trajectory
from werkbrug.trajectories.services import client_register_and_start, trajectory_close


@pytest.mark.parametrize(("raw", "normal"), [
    ("Zoë", "zoe"),                          # diacritics stripped
    ("  van der BERG ", "berg"),             # particles and case
    ("Berg, v.d.", "berg"),
    ("Çelik-Yılmaz", "celik yilmaz"),
    ("de", "de"),                            # only a particle: kept
])
def test_normalise_name(raw, normal):
    assert normalise_name(raw) == normal


@pytest.mark.parametrize(("a", "b", "match"), [
    (("Anouk", "Visser"), ("Anouk", "Visser"), True),
    (("Anouk", "Visser"), ("Anuk", "Vissser"), True),            # a typo in each
    (("Zoë", "de Vries"), ("Zoe", "Vries"), True),               # diacritics, particle
    (("Mohamed", "El Amrani"), ("Mohammed", "el Amrani"), True),
    (("Visser", "Anouk"), ("Anouk", "Visser"), True),            # first and last name swapped
    (("Anouk", "Visser"), ("Anouk", "Bakker"), False),
    (("Jan", "Jansen"), ("Piet", "Jansen"), False),
    (("Anouk", ""), ("Anouk", "Visser"), False),
])
def test_names_match(a, b, match):
    assert names_match(*a, *b) is match


def test_birth_dates_with_day_and_month_swapped():
    assert birth_dates(date(1990, 3, 7)) == {date(1990, 3, 7), date(1990, 7, 3)}
    assert birth_dates(date(1990, 3, 17)) == {date(1990, 3, 17)}  # no 17th month
    assert birth_dates(date(1990, 5, 5)) == {date(1990, 5, 5)}


@pytest.fixture
def newcomer(make_person, make_org):
    return make_person(make_org(OrganisationType.DEBT_COUNSELLING, "Schuldhulp Test"), Role.DEBT_COUNSELLOR,
                       first_name="Dirk", last_name="Schuld")


def _details(team, **extra):
    return {"first_name": team.client.first_name, "last_name": team.client.last_name,
            "date_of_birth": team.client.date_of_birth, **extra}


def test_the_check_says_yes_or_no_and_logs_one_record_with_the_match(team, newcomer):
    before = AccessLogRecord.objects.count()
    yes = known_check(user=newcomer, **_details(team, first_name="Sam ", date_of_birth=date(1990, 5, 17)))
    assert yes.possibly_known is True
    swapped = known_check(user=newcomer, **_details(team, date_of_birth=date(1990, 5, 17).replace(month=5)))
    assert swapped.possibly_known
    no = known_check(user=newcomer, first_name="Iemand", last_name="Anders", date_of_birth=date(1970, 1, 1))
    assert no.possibly_known is False
    records = list(AccessLogRecord.objects.order_by("pk")[before:])
    assert [(r.action, r.client_pseudonym) for r in records] == [
        ("client.known_check", team.client.pseudonym), ("client.known_check", team.client.pseudonym),
        ("client.known_check", "")]


def test_the_check_is_rate_limited(team, newcomer, region):
    region.settings = {"clients": {"known_checks_per_hour": 2}}
    region.save()
    newcomer.refresh_from_db()
    for _ in range(2):
        known_check(user=newcomer, first_name="A", last_name="B", date_of_birth=date(1970, 1, 1))
    with pytest.raises(KnownCheckLimit):
        known_check(user=newcomer, first_name="A", last_name="B", date_of_birth=date(1970, 1, 1))
    assert AccessLogRecord.objects.filter(action="client.known_check", granted=False).count() == 1


def test_only_casework_roles_check(make_person, make_org):
    manager = make_person(make_org(OrganisationType.UWV, "UWV M"), Role.MANAGER)
    with pytest.raises(Exception) as info:
        known_check(user=manager, first_name="A", last_name="B", date_of_birth=date(1970, 1, 1))
    assert info.type.__name__ in ("PermissionDenied", "Refused")


def test_the_page_reveals_nothing_about_the_existing_client(team, newcomer, as_user):
    c = as_user(newcomer)
    assert c.get(reverse("clients:known")).status_code == 200
    response = c.post(reverse("clients:known"), {**_details(team), "date_of_birth": "1990-05-17"})
    text = response.content.decode()
    assert "mogelijk al bekend in de regio" in text
    for secret in (team.client.pseudonym, team.jobcoach.last_name, team.ggz.name, team.uwv.name, "Testcliënt"):
        assert secret not in text.replace(f'value="{team.client.last_name}"', "")
    api = c.post("/api/v1/clients/known/", {**_details(team), "date_of_birth": "1990-05-17"},
                 content_type="application/json")
    assert api.json() == {"possibly_known": True}


def test_the_api_answers_429_when_over_the_limit(team, newcomer, region, client):
    region.settings = {"clients": {"known_checks_per_hour": 1}}
    region.save()
    client.force_login(newcomer)
    body = {"first_name": "A", "last_name": "B", "date_of_birth": "1970-01-01"}
    assert client.post("/api/v1/clients/known/", body, content_type="application/json").status_code == 200
    assert client.post("/api/v1/clients/known/", body, content_type="application/json").status_code == 429


def test_ask_to_join_tells_the_plan_director_who_adds_the_asker(team, newcomer, as_user):
    answer = join_request_create(user=newcomer, role=Role.DEBT_COUNSELLOR, note="Verwezen door de huisarts",
                                 **_details(team))
    assert answer.possibly_known and answer.requests_sent == 1
    request = JoinRequest.objects.get()
    notice = Notification.objects.get(kind=Kind.JOIN_REQUESTED)
    assert notice.recipient == team.jobcoach and team.client.last_name not in notice.title
    assert notice.link == reverse("clients:join_request", args=[request.pk])
    # Asking again while open sends nothing new.
    assert join_request_create(user=newcomer, role=Role.DEBT_COUNSELLOR, **_details(team)).requests_sent == 0
    # Others cannot see or answer the request.
    for person in (team.labour_expert, team.outsider, newcomer):
        assert as_user(person).get(reverse("clients:join_request", args=[request.pk])).status_code == 404
    c = as_user(team.jobcoach)
    page = c.get(reverse("clients:join_request", args=[request.pk])).content.decode()
    assert "Dirk Schuld" in page and "Verwezen door de huisarts" in page
    # Without the client's consent for the asker's organisation, adding is refused.
    c.post(reverse("clients:join_request", args=[request.pk]), {"accept": "1"})
    assert JoinRequest.objects.get().status == "open"
    assert not TeamMembership.objects.filter(person=newcomer).exists()
    consent_grant(client=team.client, organisation=newcomer.organisation, category=DataCategory.PARTICIPATION,
                  recorded_by=newcomer, method=ConsentMethod.PAPER, evidence="Formulier S-1")
    response = c.post(reverse("clients:join_request", args=[request.pk]), {"accept": "1"})
    assert response.status_code == 302
    assert JoinRequest.objects.get().status == "accepted"
    assert TeamMembership.objects.filter(person=newcomer, left_at__isnull=True).exists()
    assert Notification.objects.filter(kind=Kind.JOIN_DECIDED, recipient=newcomer).exists()


def test_decline_tells_the_asker(team, newcomer):
    join_request_create(user=newcomer, role=Role.DEBT_COUNSELLOR, **_details(team))
    request = join_request_decide(request=JoinRequest.objects.get(), decided_by=team.jobcoach, accept=False)
    assert request.status == "declined"
    assert Notification.objects.get(kind=Kind.JOIN_DECIDED).link == reverse("clients:known")
    with pytest.raises(ValidationError):
        join_request_decide(request=request, decided_by=team.jobcoach, accept=True)


def test_ask_with_a_role_the_asker_lacks_is_refused(team, newcomer):
    with pytest.raises(ValidationError) as info:
        join_request_create(user=newcomer, role=Role.THERAPIST, **_details(team))
    assert "role" in info.value.error_dict


def test_registration_asks_first_and_can_register_anyway(team, newcomer, as_user):
    c = as_user(newcomer)
    data = {**_details(team), "date_of_birth": "1990-05-17", "benefit": "none", "role": Role.DEBT_COUNSELLOR,
            "consent_method": ConsentMethod.VERBAL}
    first = c.post(reverse("clients:register"), data)
    assert first.status_code == 200 and "mogelijk al bekend in de regio" in first.content.decode()
    assert Client.objects.count() == 1
    anyway = c.post(reverse("clients:register"), {**data, "different_person": "True"})
    assert anyway.status_code == 302 and Client.objects.count() == 2


# --- merging -------------------------------------------------------------------------------


@pytest.fixture
def admin(make_person, make_org):
    return make_person(make_org(OrganisationType.MUNICIPALITY, "Gemeente Regio"), Role.REGION_ADMIN)


@pytest.fixture
def duplicate(team, newcomer):
    """The team's client registered a second time (without BSN) by the debt counsellor, then closed."""
    trajectory = client_register_and_start(registered_by=newcomer, role=Role.DEBT_COUNSELLOR,
                                           consent_method=ConsentMethod.VERBAL, first_name="Sam",
                                           last_name=team.client.last_name, date_of_birth=date(1990, 5, 17),
                                           email="sam@example.nl")
    trajectory_close(trajectory=trajectory, closed_by=newcomer, reason="referred_elsewhere", outcome="unknown")
    return trajectory.client


def test_merge_moves_trajectories_and_consent_and_is_logged(team, duplicate, admin, newcomer):
    before = AccessLogRecord.objects.count()
    merge = client_merge(surviving=team.client, merged=duplicate, merged_by=admin, reason="Dubbel ingeschreven")
    assert Trajectory.objects.filter(client=team.client).count() == 2
    assert ConsentState.objects.filter(client=team.client, organisation=newcomer.organisation).exists()
    assert not ConsentState.objects.filter(client=duplicate).exists()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == team.client and duplicate.status == "inactive"
    assert merge.moved["trajectories.trajectory"] == 1 and merge.merged_by == admin
    records = AccessLogRecord.objects.order_by("pk")[before:]
    assert {(r.action, r.client_pseudonym) for r in records} == {
        ("client.merge", team.client.pseudonym), ("client.merge", duplicate.pseudonym)}
    # The caseload's name copy follows the move.
    assert set(TeamMembership.objects.filter(trajectory__client=team.client)
               .values_list("client_pseudonym", flat=True)) == {team.client.pseudonym}


def test_merge_refusals(team, duplicate, admin, newcomer):
    with pytest.raises(Http404):
        client_merge(surviving=team.client, merged=duplicate, merged_by=team.jobcoach, reason="x")
    with pytest.raises(ValidationError) as info:
        client_merge(surviving=team.client, merged=team.client, merged_by=admin, reason="x")
    assert info.value.code == "same"
    with pytest.raises(ValidationError):
        client_merge(surviving=team.client, merged=duplicate, merged_by=admin, reason=" ")
    # Two active trajectories: one must be closed first.
    from werkbrug.trajectories.services import trajectory_reopen

    trajectory_reopen(trajectory=Trajectory.objects.get(client=duplicate), reopened_by=newcomer, reason="Verder")
    with pytest.raises(ValidationError) as info:
        client_merge(surviving=team.client, merged=duplicate, merged_by=admin, reason="Dubbel")
    assert info.value.code == "two_active"
    assert Trajectory.objects.filter(client=duplicate).exists()


def test_merge_page_checks_then_merges(team, duplicate, admin, as_user):
    assert as_user(team.jobcoach).get(reverse("clients:merge")).status_code == 403
    c = as_user(admin)
    assert c.get(reverse("clients:merge")).status_code == 200
    data = {"surviving": team.client.pseudonym, "merged": duplicate.pseudonym.lower(), "reason": "Dubbel"}
    preview = c.post(reverse("clients:merge"), data)
    assert preview.status_code == 200 and "Dossiers samenvoegen" in preview.content.decode()
    assert not ClientMerge.objects.exists()
    # A confirmation for another pair does not merge this one.
    c.post(reverse("clients:merge"), {**data, "confirm": f"{duplicate.pseudonym}>{team.client.pseudonym}"})
    assert not ClientMerge.objects.exists()
    done = c.post(reverse("clients:merge"), {**data, "confirm": f"{team.client.pseudonym}>{duplicate.pseudonym}"})
    assert done.status_code == 302 and ClientMerge.objects.count() == 1
    unknown = c.post(reverse("clients:merge"), {**data, "merged": "CNOTHERE00"})
    assert "Er is geen dossier met dit cliëntnummer" in unknown.content.decode()


def test_merge_api(team, duplicate, admin, client):
    client.force_login(admin)
    body = {"surviving": team.client.pseudonym, "merged": duplicate.pseudonym, "reason": "Dubbel"}
    response = client.post("/api/v1/clients/merge/", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["surviving"] == team.client.pseudonym
    client.force_login(team.jobcoach)
    assert client.post("/api/v1/clients/merge/", body, content_type="application/json").status_code == 403
