"""Web pages: the main flow through the test client, bad input on forms, one log record per GET."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.support.crawl import assert_each_request_logged_once
from werkbrug.clients.models import Client, ConsentEvent, ConsentMethod, ConsentState
from werkbrug.clients.selectors import latest_consent_event_id
from werkbrug.clients.services import consent_withdraw
from werkbrug.core.choices import DataCategory, OrganisationType, Role
from werkbrug.core.models import AccessLogRecord
from werkbrug.trajectories.models import Intake, TeamMembership, Trajectory

VALID_BSN = "111222333"


def _register(c, **extra):
    data = {"first_name": "Anouk", "last_name": "Visser", "date_of_birth": "1991-03-02", "bsn": VALID_BSN,
            "benefit": "wajong", "role": Role.JOBCOACH, "consent_method": ConsentMethod.VERBAL}
    data.update(extra)
    return c.post(reverse("clients:register"), data)


def test_register_flow_and_duplicate_bsn(as_user, jobcoach):
    c = as_user(jobcoach)
    response = _register(c)
    trajectory = Trajectory.objects.get()
    assert response.status_code == 302 and response.url == reverse("trajectories:detail", args=[trajectory.pk])
    assert VALID_BSN not in response.url
    page = c.get(response.url)
    assert "Anouk Visser" in page.content.decode()
    known = _register(c, bsn="111 222 333")
    assert known.status_code == 200 and "mogelijk al bekend in de regio" in known.content.decode()
    again = _register(c, bsn="111 222 333", different_person="True")
    assert again.status_code == 200
    assert "met dit BSN ingeschreven" in again.content.decode()
    assert Client.objects.count() == 1


def test_invalid_bsn_on_the_form(as_user, jobcoach):
    response = _register(as_user(jobcoach), bsn="123456789")
    assert response.status_code == 200
    assert "elfproef" in response.content.decode()
    assert not Client.objects.exists()


def test_bsn_is_shown_only_with_a_legal_basis(team, as_user, make_org, make_person):
    from werkbrug.clients.services import client_update, consent_grant
    from werkbrug.trajectories.services import team_member_add

    client_update(client=team.client, changed_by=team.jobcoach, bsn=VALID_BSN)
    reintegration = make_org(OrganisationType.REINTEGRATION, "De Brug Test")
    coach = make_person(reintegration, Role.JOBCOACH)
    consent_grant(client=team.client, organisation=reintegration, category=DataCategory.PARTICIPATION,
                  recorded_by=coach, method=ConsentMethod.PAPER, evidence="Formulier")
    team_member_add(trajectory=team.trajectory, person=coach, role=Role.JOBCOACH, added_by=team.jobcoach)
    url = reverse("clients:detail", args=[team.client.pk])
    assert VALID_BSN in as_user(team.jobcoach).get(url).content.decode()  # GGZ: legal basis
    body = as_user(coach).get(url).content.decode()
    assert VALID_BSN not in body and "wettelijke grondslag" in body
    assert not AccessLogRecord.objects.filter(purpose__contains=VALID_BSN).exists()


def test_intake_draft_and_complete_through_the_page(team, as_user):
    c = as_user(team.jobcoach)
    url = reverse("trajectories:intake", args=[team.trajectory.pk])
    assert 'name="diagnos' not in c.get(url).content.decode()  # no diagnosis field, by design
    response = c.post(url, {"expected_version": 0, "work_history": "Bouw", "draft": "1"})
    assert response.status_code == 302
    assert Intake.objects.get().status == "draft"
    response = c.post(url, {"expected_version": 1, "work_history": "Bouw", "own_goal": "Weer buiten werken", "complete": "1"})
    assert response.status_code == 302
    intake = Intake.objects.get()
    assert intake.status == "complete" and intake.work_history == "Bouw"


def test_intake_stale_form_gets_a_clear_error(team, as_user):
    c = as_user(team.jobcoach)
    url = reverse("trajectories:intake", args=[team.trajectory.pk])
    c.post(url, {"expected_version": 0, "education": "mbo"})
    response = c.post(url, {"expected_version": 0, "education": "hbo"})
    assert response.status_code == 200
    assert "in de tussentijd" in response.content.decode()
    assert Intake.objects.get().education == "mbo"


def test_intake_hides_sections_without_consent(team, as_user):
    body = as_user(team.labour_expert).get(reverse("trajectories:intake", args=[team.trajectory.pk])).content.decode()
    assert body.count("Niet gedeeld met uw organisatie") == 4  # support needs, debts, living situation, network
    assert 'name="support_needs"' not in body and 'name="work_history"' in body


def test_team_add_needs_consent_then_works(team, as_user, make_org, make_person):
    debt_org = make_org(OrganisationType.DEBT_COUNSELLING, "Schuldhulp Test")
    counsellor = make_person(debt_org, Role.DEBT_COUNSELLOR)
    c = as_user(team.jobcoach)
    url = reverse("trajectories:team_add", args=[team.trajectory.pk])
    response = c.post(url, {"person": counsellor.pk, "role": Role.DEBT_COUNSELLOR})
    assert response.status_code == 200 and "toestemming" in response.content.decode()
    response = c.post(url, {"person": 999999, "role": Role.DEBT_COUNSELLOR})
    assert response.status_code == 200 and "Deze professional bestaat niet" in response.content.decode()
    # Outside the team the consent page answers as if the client did not exist (consent.manage);
    # the consent given to the counsellor's organisation to take part is recorded through the
    # service (the policy's `consent.record`); the rest on the page once they are in the team.
    consents = reverse("clients:consents", args=[team.client.pk])
    assert as_user(counsellor).post(consents, {
        "organisation": debt_org.pk, "categories": [DataCategory.PARTICIPATION], "method": "paper",
        "evidence": "Formulier S-1", "seen_event": latest_consent_event_id(team.client)}).status_code == 404
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_grant

    consent_grant(client=team.client, organisation=debt_org, category=DataCategory.PARTICIPATION,
                  recorded_by=counsellor, method=ConsentMethod.PAPER, evidence="Formulier S-1")
    c = as_user(team.jobcoach)
    response = c.post(url, {"person": counsellor.pk, "role": Role.DEBT_COUNSELLOR})
    assert response.status_code == 302
    assert TeamMembership.objects.filter(person=counsellor, left_at__isnull=True).exists()
    assert as_user(counsellor).post(consents, {
        "organisation": debt_org.pk, "categories": [DataCategory.DEBTS], "method": "paper",
        "evidence": "Formulier S-1", "seen_event": latest_consent_event_id(team.client)}).status_code == 302
    assert ConsentState.objects.filter(organisation=debt_org, granted=True).count() == 2


def test_hand_over_through_the_page(team, as_user):
    c = as_user(team.jobcoach)
    url = reverse("trajectories:hand_over", args=[team.trajectory.pk])
    response = c.post(url, {"new_director": team.labour_expert.pk, "note": "UWV neemt het over"})
    assert response.status_code == 302
    page = c.get(reverse("trajectories:detail", args=[team.trajectory.pk])).content.decode()
    assert "UWV neemt het over" in page and "overgedragen aan" in page


def test_consent_form_opened_before_a_withdrawal_grants_nothing(team, as_user, client_user):
    """The client withdraws in the portal while a professional has the consent form open."""
    c = as_user(team.labour_expert)
    url = reverse("clients:consents", args=[team.client.pk])
    page = c.get(url).content.decode()
    seen = latest_consent_event_id(team.client)
    assert f'name="seen_event" value="{seen}"' in page
    consent_withdraw(client=team.client, organisation=team.uwv, category=DataCategory.SIGNALS,
                     recorded_by=client_user, method="portal")
    events, logged = ConsentEvent.objects.count(), AccessLogRecord.objects.count()
    form = {"organisation": team.uwv.pk, "categories": [DataCategory.SIGNALS], "method": "paper", "seen_event": seen,
            "evidence": "Formulier"}
    response = c.post(url, form)
    body = response.content.decode()
    assert response.status_code == 200 and "intussen gewijzigd" in body
    assert ConsentEvent.objects.count() == events  # nothing recorded
    assert not ConsentState.objects.get(organisation=team.uwv, category=DataCategory.SIGNALS).granted
    assert AccessLogRecord.objects.count() > logged  # the refused attempt is in the access log
    # The page now shows the withdrawal, and its form the newest event. Sending it again is still
    # refused (changed on purpose): the client withdrew it in the portal, so only the client gives
    # it again (`withdrawn_by_client`).
    newest = latest_consent_event_id(team.client)
    assert newest > seen and f'name="seen_event" value="{newest}"' in body
    again = c.post(url, {**form, "seen_event": newest})
    assert again.status_code == 200 and "in het portaal ingetrokken" in again.content.decode()
    assert not ConsentState.objects.get(organisation=team.uwv, category=DataCategory.SIGNALS).granted


def test_consent_form_without_its_hidden_field_is_refused(team, as_user):
    c = as_user(team.jobcoach)
    events = ConsentEvent.objects.count()
    response = c.post(reverse("clients:consents", args=[team.client.pk]),
                      {"organisation": team.uwv.pk, "categories": [DataCategory.DEBTS], "method": "paper"})
    assert response.status_code == 200 and ConsentEvent.objects.count() == events


def test_consent_withdraw_with_a_stale_form(team, as_user):
    c = as_user(team.labour_expert)
    state = ConsentState.objects.get(organisation=team.uwv, category=DataCategory.WORK_INCOME)
    prefix = f"w{state.pk}"
    post = {"prefix": prefix, f"{prefix}-organisation": team.uwv.pk, f"{prefix}-category": DataCategory.WORK_INCOME,
            f"{prefix}-expected_version": state.version, f"{prefix}-method": "verbal"}
    url = reverse("clients:consent_withdraw", args=[team.client.pk])
    assert c.post(url, post).status_code == 302
    state.refresh_from_db()
    assert not state.granted
    follow = c.post(url, post, follow=True)
    assert "in de tussentijd" in follow.content.decode()


def test_withdrawal_hides_the_client_at_once(team, as_user):
    c = as_user(team.labour_expert)
    url = reverse("trajectories:detail", args=[team.trajectory.pk])
    assert c.get(url).status_code == 200
    assert team.client.full_name in c.get(reverse("trajectories:index")).content.decode()
    consent_withdraw(client=team.client, organisation=team.uwv, category=DataCategory.PARTICIPATION,
                     recorded_by=team.labour_expert, method=ConsentMethod.VERBAL)
    assert c.get(url).status_code == 404
    assert team.client.full_name not in c.get(reverse("trajectories:index")).content.decode()


def test_other_organisation_gets_404(team, as_user):
    c = as_user(team.outsider)
    for name in ("trajectories:detail", "trajectories:intake", "trajectories:team_add"):
        assert c.get(reverse(name, args=[team.trajectory.pk])).status_code == 404
    for name in ("clients:detail", "clients:edit", "clients:consents"):
        assert c.get(reverse(name, args=[team.client.pk])).status_code == 404


def test_every_client_data_page_logs_once(team, as_user):
    t, cl = team.trajectory.pk, team.client.pk
    urls = [reverse("trajectories:index"), reverse("trajectories:detail", args=[t]),
            reverse("trajectories:intake", args=[t]), reverse("trajectories:team_add", args=[t]),
            reverse("trajectories:hand_over", args=[t]), reverse("clients:detail", args=[cl]),
            reverse("clients:edit", args=[cl]), reverse("clients:consents", args=[cl]),
            reverse("trajectories:index") + "?q=Sam&sort=-started"]
    assert_each_request_logged_once(as_user(team.jobcoach), [("GET", u) for u in urls])
    # Denied requests are logged once too.
    assert_each_request_logged_once(as_user(team.outsider), [("GET", u) for u in urls[1:-1]], expect_status=(404,))


@pytest.mark.parametrize("n", [5, 50])
def test_caseload_query_count_does_not_grow(n, jobcoach, make_client, as_user, django_assert_max_num_queries):
    from werkbrug.trajectories.services import trajectory_start

    for i in range(n):
        client = make_client(jobcoach, last_name=f"Client{i:03d}")
        trajectory_start(client=client, started_by=jobcoach, role=Role.JOBCOACH, consent_method=ConsentMethod.PAPER,
                         started_on=date(2026, 1, 1))
    c = as_user(jobcoach)
    with django_assert_max_num_queries(12):
        response = c.get(reverse("trajectories:index") + "?sort=name")
    assert response.status_code == 200
    assert response.content.decode().count('scope="row"') == min(n, 25)


def test_close_through_the_page(team, as_user):
    c = as_user(team.jobcoach)
    url = reverse("trajectories:close", args=[team.trajectory.pk])
    again = c.post(url, {"reason": "work_found", "outcome": "paid_work", "ended_on": "2000-01-01"})
    assert again.status_code == 200 and "begindatum" in again.content.decode()
    response = c.post(url, {"reason": "work_found", "outcome": "paid_work"}, follow=True)
    # The closed file opens read-only (it ended on a 404 before).
    assert response.status_code == 200 and "alleen-lezen" in response.content.decode()
    assert Trajectory.objects.get().status == "closed"
