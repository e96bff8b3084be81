"""Browser walk of the longitudinal schedule: a draft study gets a schedule and is started, a
participant is randomised, the worker sends the baseline questionnaire, the client answers it in
the portal, and on frozen time six months later the 6-month event comes due; axe-clean pages."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.support.browser import assert_accessible, follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AMS = ZoneInfo("Europe/Amsterdam")


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
    return researcher, portal, client


def test_schedule_flow(page, sign_in, people):
    from werkbrug.evaluations import services as s
    from werkbrug.evaluations.models import Invitation
    from werkbrug.evaluations.tasks import send_scheduled_questionnaires

    researcher, portal, client = people
    with time_machine.travel(datetime(2026, 12, 7, 10, 0, tzinfo=AMS), tick=True):
        study = s.study_create(
            created_by=researcher, title="Werk na een jaar", research_question="Vinden meer mensen werk?",
            design="rct", starts_on=date(2026, 12, 1), ends_on=date(2028, 12, 31),
            arms=[{"name": "Nieuw", "code": "new"}, {"name": "Gebruikelijk", "code": "usual", "is_control": True}])
        s.questionnaire_create(study=study, title="Werk en welzijn", created_by=researcher,
                               questions=[{"code": "grade", "text": "Welk cijfer geeft u?", "type": "grade"}])
        study_url = f"/research/studies/{study.pk}/"
        sign_in(researcher)
        # the schedule, written while the study is a draft
        page.goto(study_url + "schedule/")
        assert_accessible(page)
        for name, months in (("Nulmeting", "0"), ("6 maanden", "6")):
            page.fill("#id_name", name)
            page.fill("#id_offset_months", months)
            page.fill("#id_window_days", "28")
            page.fill("#id_reminder_after_days", "7")
            page.locator("input[name=q_client]").first.check()
            follow(page.locator("form.form button[type=submit]"))
            assert page.locator(".message--success").count() == 1
        assert page.locator("table").first.locator("tbody th", has_text="6 maanden").count() == 1
        assert_accessible(page)
        # start the study: the schedule is locked
        page.goto(study_url)
        follow(page.locator("input[name=action][value=start] ~ button"))
        page.goto(study_url + "schedule/")
        assert page.locator("#id_name").count() == 0
        # enrol and randomise
        participant = s.participant_enrol(study=study, client=client, enrolled_by=researcher)
        for stage in ("informed", "consented"):
            s.participant_stage_set(participant=participant, stage=stage, recorded_by=researcher)
        page.goto(f"{study_url}participants/{participant.pk}/")
        follow(page.locator("input[name=action][value=randomise] ~ button"))
        assert page.locator(".message--success").count() == 1
        # the worker sends the baseline questionnaire
        assert send_scheduled_questionnaires() == {"sent": 1, "reminded": 0}
        # the client answers in the portal
        sign_in(portal)
        page.goto("/research/my-questionnaires/")
        assert_accessible(page)
        follow(page.locator("main a[href^='/research/my-questionnaires/']").first)
        page.locator("input[name=q_grade][value='8']").check()
        follow(page.locator("form.form button[type=submit]"))
        assert page.locator(".message--success").count() == 1
        assert Invitation.objects.get(participant=participant).responded_at is not None
        # the researcher's queue: baseline answered, 6 months upcoming
        sign_in(researcher)
        page.goto(f"{study_url}participants/{participant.pk}/queue/")
        assert_accessible(page)
        rows = page.locator("table tbody tr")
        assert "Beantwoord" in rows.nth(0).inner_text() and "Nog niet aan de beurt" in rows.nth(1).inner_text()
        assert "7 juni 2027" in rows.nth(1).inner_text()
    # six months later, on the day: the 6-month questionnaire comes due
    with time_machine.travel(datetime(2027, 6, 4, 10, 0, tzinfo=AMS), tick=True):
        assert send_scheduled_questionnaires() == {"sent": 0, "reminded": 0}
    with time_machine.travel(datetime(2027, 6, 7, 10, 0, tzinfo=AMS), tick=True):
        assert send_scheduled_questionnaires() == {"sent": 1, "reminded": 0}
        sign_in(portal)
        page.goto("/research/my-questionnaires/")
        assert page.locator("main a[href^='/research/my-questionnaires/']").count() == 1
        sign_in(researcher)
        page.goto(study_url + "schedule/")
        assert_accessible(page)
        assert "Geheim" not in page.content()
