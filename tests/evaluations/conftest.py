"""Fixtures for evaluation research: a research institute, researchers, consenting clients."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_grant
from werkbrug.core.choices import DataCategory, OrganisationType, Role
from werkbrug.trajectories.services import trajectory_start


@pytest.fixture
def research(region, make_org, make_person, make_client, ggz):
    """An institute with two researchers, a GGZ jobcoach and helpers to make clients."""
    institute = make_org(OrganisationType.RESEARCH, "Kennisinstituut Test")
    researcher = make_person(institute, Role.RESEARCHER, first_name="Rosa", last_name="Onderzoeker")
    second = make_person(institute, Role.RESEARCHER, first_name="Ravi", last_name="Tweede")
    jobcoach = make_person(ggz, Role.JOBCOACH, first_name="Jet", last_name="Coach")
    counter = {"n": 0}

    def client(*, consent: bool = True, benefit: str = "none", coach=None):
        counter["n"] += 1
        coach = coach or jobcoach
        c = make_client(coach, first_name="Sanne", last_name=f"Geheimnaam{counter['n']}", benefit=benefit,
                        email=f"sanne{counter['n']}@example.org", phone="0612345678",
                        bsn="" if counter["n"] > 1 else "111222333")
        trajectory_start(client=c, started_by=coach, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL)
        if consent:
            consent_grant(client=c, organisation=institute, category=DataCategory.RESEARCH, recorded_by=researcher,
                          method=ConsentMethod.PAPER, evidence="Formulier")
        return c

    return SimpleNamespace(institute=institute, researcher=researcher, second=second, jobcoach=jobcoach,
                           client=client, ggz=ggz)


@pytest.fixture
def make_study(research):
    from werkbrug.evaluations.services import study_create, study_start

    def make(*, draft: bool = False, **extra):
        fields = {
            "created_by": research.researcher, "title": "Ervaringsdeskundigheid en MI",
            "research_question": "Vinden meer mensen werk?", "design": "rct",
            "starts_on": date(2026, 1, 1), "ends_on": date(2027, 12, 31),
            "arms": [
                {"name": "Ervaringsdeskundige + MI", "code": "ee_mi"},
                {"name": "Gebruikelijke ondersteuning", "code": "usual", "is_control": True},
            ],
            "researchers": [research.second], "seed": 12345,
        }
        fields.update(extra)
        study = study_create(**fields)
        return study if draft else study_start(study=study, started_by=fields["created_by"])

    return make


def consent_to_study(participant, by):
    """Walk a participant to the consented stage."""
    from werkbrug.evaluations.services import participant_stage_set

    participant_stage_set(participant=participant, stage="informed", recorded_by=by)
    return participant_stage_set(participant=participant, stage="consented", recorded_by=by)


@pytest.fixture
def populated(research, make_study):
    """A running trial with 8 randomised participants, a questionnaire with answers, two interview
    rounds with codings by two researchers, expectations and recorded jobs."""
    from datetime import timedelta
    from decimal import Decimal

    import time_machine

    from werkbrug.evaluations import services as s

    with time_machine.travel(date(2026, 2, 1)):
        study = make_study(follow_up_days=[30, 90])
        clients = [research.client(benefit="wajong" if i % 2 else "ww") for i in range(9)]
        s.participants_enrol_eligible(study=study, enrolled_by=research.researcher)
        people = list(study.participants.order_by("pk"))
        for p in people[:8]:
            consent_to_study(p, research.researcher)
            s.participant_randomise(participant=p, randomised_by=research.researcher)
        s.participant_stage_set(participant=people[8], stage="excluded", reason="Wil niet meedoen", recorded_by=research.researcher)
        for p in people[:6]:
            s.participant_stage_set(participant=p, stage="started", recorded_by=research.researcher)
        s.participant_stage_set(participant=people[6], stage="dropped_out", reason="Verhuisd", recorded_by=research.researcher)
        for i, p in enumerate(people[:8]):
            if i % 3 != 2:
                s.recorded_job_add(participant=p, start=date(2026, 2, 1) + timedelta(days=10 + 7 * i),
                                   hours_per_week=Decimal(12 + i), competitive=i % 2 == 0, recorded_by=research.researcher)
        questionnaire = s.questionnaire_create(
            study=study, title="Tevredenheid", created_by=research.researcher,
            questions=[
                {"code": "experience", "text": "Hoe heeft u het ervaren?", "type": "text", "required": False},
                {"code": "brought", "text": "Wat heeft het u opgeleverd?", "type": "text", "required": False},
                {"code": "grade", "text": "Welk cijfer geeft u?", "type": "grade"},
                {"code": "helped", "text": "De begeleiding hielp mij", "type": "likert"},
                {"code": "support", "text": "Welke steun kreeg u?", "type": "multiple", "choices": ["Gesprek", "Groep", "Werkplek"], "required": False},
            ],
        )
        invitations = s.questionnaire_send(questionnaire=questionnaire, sent_by=research.researcher,
                                           links=[("employer", "werkgever@example.org")])
        portal = [i for i in invitations if i.participant_id]
        for n, invitation in enumerate(portal[:5]):
            s.response_submit(invitation=invitation, answers={
                "experience": f"Prettig gesprek {n}", "brought": "Meer zelfvertrouwen", "grade": 6 + n % 4,
                "helped": 3 + n % 3, "support": [1, 3] if n % 2 else [2],
            })
        round1 = s.interview_round_create(study=study, title="Verwachtingen", created_by=research.researcher)
        round2 = s.interview_round_create(study=study, title="Ervaringen na een jaar", created_by=research.researcher)
        interview = s.interview_add(round=round1, label="R1-01", respondent_role="professional", held_on=date(2026, 1, 20),
                                    transcript="Ik verwacht veel van de ervaringsdeskundige.\n\nDe tijd is krap.\n\nHet management steunt het project.",
                                    added_by=research.researcher)
        s.interview_add(round=round2, label="R2-01", respondent_role="client", held_on=date(2026, 1, 25),
                        transcript="Het gesprek gaf mij moed.", added_by=research.researcher)
        barriers = s.code_create(study=study, name="Knelpunten", created_by=research.researcher)
        time_code = s.code_create(study=study, name="Tijd", parent=barriers, created_by=research.researcher)
        support = s.code_create(study=study, name="Steun", created_by=research.researcher)
        passages = list(interview.passages.order_by("number"))
        for coder, codes in ((research.researcher, [support, time_code, support]), (research.second, [support, time_code, barriers])):
            for passage, code in zip(passages, codes, strict=True):
                s.coding_add(passage=passage, code=code, level="professional", coder=coder)
        expectation = s.expectation_add(round=round1, kind="minimum_goal", level="management", text="Vijf cliënten aan het werk",
                                        added_by=research.researcher)
        s.expectation_assess(expectation=expectation, assessment="achieved", round=round2, evidence="Zes aan het werk",
                             assessed_by=research.researcher)
    return SimpleNamespace(study=study, clients=clients, people=people, questionnaire=questionnaire,
                           invitations=invitations, interview=interview, passages=passages,
                           codes=[barriers, time_code, support], rounds=[round1, round2])


@pytest.fixture
def api(client, research):
    """The Django test client signed in as the study's researcher."""
    client.force_login(research.researcher)
    return client


@pytest.fixture
def outsider(make_person, make_org):
    """A researcher of another research institute, outside every study team."""
    from werkbrug.core.choices import OrganisationType, Role

    return make_person(make_org(OrganisationType.RESEARCH, "Elders"), Role.RESEARCHER)
