"""Browser walk: create a study → randomise → send a questionnaire → answer it in the portal →
code an interview passage → the report with its CONSORT diagram; axe-clean on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible, follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(region, make_org, make_person, make_client, ggz):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_grant
    from werkbrug.core.choices import DataCategory, OrganisationType, Role, UserKind
    from werkbrug.core.models import User
    from werkbrug.trajectories.services import trajectory_start

    institute = make_org(OrganisationType.RESEARCH, "Kennisinstituut")
    researcher = make_person(institute, Role.RESEARCHER, username="demo.rosa", first_name="Rosa", last_name="Onderzoek")
    coach = make_person(ggz, Role.JOBCOACH, username="demo.jet", first_name="Jet", last_name="Coach")
    client = make_client(coach, first_name="Sanne", last_name="Geheim")
    trajectory_start(client=client, started_by=coach, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL)
    consent_grant(client=client, organisation=institute, category=DataCategory.RESEARCH, recorded_by=researcher,
                  method=ConsentMethod.PAPER, evidence="Formulier")
    portal = User.objects.create_user(username="demo.client.sanne", password="x" * 16, kind=UserKind.CLIENT,
                                      region=region, first_name="Sanne", last_name="Geheim")
    client.user = portal
    client.save(update_fields=["user"])
    return researcher, portal


def test_research_flow(page, sign_in, people):
    researcher, portal = people
    sign_in(researcher)
    page.goto("/research/")
    assert_accessible(page)
    follow(page.locator("a[href='/research/studies/new/']"))
    assert_accessible(page)
    page.fill("#id_title", "Ervaringsdeskundige en MI")
    page.fill("#id_research_question", "Vinden meer mensen betaald werk?")
    page.select_option("#id_design", "rct")
    page.fill("#id_starts_on", "2026-01-01")
    page.fill("#id_ends_on", "2027-12-31")
    page.fill("#id_arm_1", "Ervaringsdeskundige + MI")
    page.fill("#id_arm_2", "Gebruikelijke ondersteuning")
    follow(page.locator("form.form button[type=submit]"))
    page.wait_for_url("**/research/studies/*/")
    study_url = page.url
    assert_accessible(page)
    # a draft: start it (locks the protocol)
    follow(page.locator("input[name=action][value=start] ~ button"))
    assert page.locator(".message--success").count() == 1
    assert_accessible(page)
    # recruit and randomise
    follow(page.locator("form[action$='/enrol/'] button"))
    follow(page.locator("table a[href*='/participants/']").first)
    assert_accessible(page)
    for stage in ("informed", "consented"):
        page.select_option("#id_stage", stage)
        follow(page.locator("input[name=action][value=stage] ~ button"))
    follow(page.locator("input[name=action][value=randomise] ~ button"))
    assert page.locator(".message--success").count() == 1
    assert_accessible(page)
    # a questionnaire with a grade question, sent to the participants
    page.goto(study_url + "questionnaires/new/")
    assert_accessible(page)
    page.fill("#id_title", "Tevredenheid")
    follow(page.locator("form.form button[type=submit]"))
    page.wait_for_url("**/questionnaires/*/")
    page.fill("#id_q-text", "Welk cijfer geeft u?")
    page.fill("#id_q-code", "grade")
    page.select_option("#id_q-type", "grade")
    follow(page.locator("input[name=action][value=question] ~ button"))
    follow(page.locator("input[name=action][value=send] ~ button"))
    assert_accessible(page)
    # the client answers in the portal
    sign_in(portal)
    page.goto("/research/my-questionnaires/")
    assert_accessible(page)
    follow(page.locator("main a[href^='/research/my-questionnaires/']").first)
    assert_accessible(page)
    page.locator("input[name=q_grade][value='8']").check()
    follow(page.locator("form.form button[type=submit]"))
    page.wait_for_url("**/research/my-questionnaires/")
    assert page.locator(".message--success").count() == 1
    assert_accessible(page)
    # the researcher codes an interview passage
    sign_in(researcher)
    page.goto(study_url + "codes/")
    assert_accessible(page)
    page.fill("#id_c-name", "Motivatie")
    follow(page.locator("input[name=action][value=code] ~ button"))
    page.goto(study_url + "interviews/")
    page.fill("#id_r-title", "Verwachtingen")
    follow(page.locator("input[name=action][value=round] ~ button"))
    assert_accessible(page)
    page.fill("#id_i-label", "R1-01")
    page.select_option("#id_i-respondent_role", "client")
    page.fill("#id_i-held_on", "2026-03-01")
    page.fill("#id_i-transcript", "Ik wil weer werken.\n\nMaar ik ben bang voor de eerste dag.")
    follow(page.locator("input[name=action][value=interview] ~ button"))
    page.wait_for_url("**/interviews/*/")
    assert_accessible(page)
    follow(page.locator("section.card").first.locator("form[data-span-form] button[type=submit]"))
    expect(page.locator("section.card").first.locator(".tag")).to_have_text("Motivatie")
    assert_accessible(page)
    # a span: select "bang" in the second passage; the page's script fills the form
    second = page.locator("section.card").nth(1)
    second.locator("blockquote.passage-text").evaluate("""(el) => {
        const text = el.firstChild, at = text.data.indexOf('bang'), range = document.createRange();
        range.setStart(text, at); range.setEnd(text, at + 4);
        window.getSelection().removeAllRanges(); window.getSelection().addRange(range);
        document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    }""")
    expect(second.locator("[data-span-shown]")).to_have_text("bang")
    follow(second.locator("form[data-span-form] button[type=submit]"))
    expect(page.locator("section.card").nth(1).locator("li").first).to_contain_text("«bang»")
    assert_accessible(page)
    # the report with the CONSORT diagram
    page.goto(study_url + "report/")
    assert page.locator("svg[aria-labelledby='consort-t consort-d']").count() == 1
    assert "Geheim" not in page.content()
    assert_accessible(page)
