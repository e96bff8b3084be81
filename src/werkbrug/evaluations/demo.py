"""Demo research: one running two-arm trial in the demo region, through the real services.

Experience expert + motivational interviewing against usual support: about 26 clients with
research consent for the research institute, recruitment with exclusions and a drop-out,
randomised participants, jobs found at follow-up, a satisfaction questionnaire with the domain's
three questions (some left open for the portal personas), two interview rounds coded by both
researchers, an expectations register and two IPS fidelity reviews. Deterministic from `rng`.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_grant
from werkbrug.core.choices import DataCategory, OrganisationType, Role
from werkbrug.core.models import Organisation, Region, User
from werkbrug.core.policy.clients import consented_categories, forget

from . import services as s
from .models import Design, Interview, Stage

N_CONSENTING = 26

ROUND_1 = [
    ("R1-01", "professional", [
        "Ik verwacht dat de ervaringsdeskundige mensen bereikt die wij als klantmanager niet meer bereiken.",
        "Het succes is voor mij: binnen een jaar zijn er vijf mensen aan het werk die eerst niet in beeld waren.",
        "Mijn zorg is de tijd. Onze caseload is hoog en een driegesprek kost extra uren.",
    ]),
    ("R1-02", "manager", [
        "Als MT steunen we het project, maar we willen wel zien wat het oplevert.",
        "De samenwerking met de GGZ moet beter; nu weten we vaak niet wie de behandelaar is.",
        "Minimaal doel: alle klantmanagers weten dat de ervaringsdeskundige er is.",
    ]),
    ("R1-03", "client", [
        "Ik hoop dat iemand snapt hoe het is als je dagen niet uit bed komt.",
        "Werk is voor mij een doel, maar eerst moet ik weer ritme hebben.",
    ]),
    ("R1-04", "experience_expert", [
        "Ik wil mijn eigen verhaal gebruiken om hoop te geven, niet om het over mij te laten gaan.",
        "Ik moet mijn grenzen bewaken: de vraag is groot en mijn herstel gaat voor.",
        "Een duidelijke lijn en prioriteiten na de eerste maanden zouden helpen.",
    ]),
]
ROUND_2 = [
    ("R2-01", "client", [
        "Het gesprek met de ervaringsdeskundige gaf mij moed. Zij had het zelf ook meegemaakt.",
        "Ik werk nu twaalf uur per week in de groenvoorziening.",
    ]),
    ("R2-02", "professional", [
        "Klanten komen vaker op afspraken sinds de driegesprekken.",
        "We vergeten nog steeds soms om de ervaringsdeskundige in te schakelen.",
    ]),
    ("R2-03", "employer", [
        "De begeleiding op de werkvloer was goed; ik wist bij wie ik terecht kon.",
    ]),
]
CODEBOOK = [
    ("Verwachtingen", None, "Wat men vooraf verwacht"),
    ("Doelen", "Verwachtingen", "Doelen en succescriteria"),
    ("Succesfactoren", "Verwachtingen", ""),
    ("Knelpunten", None, "Wat het werk moeilijk maakt"),
    ("Tijd en caseload", "Knelpunten", ""),
    ("Samenwerking", "Knelpunten", "Samenwerking tussen organisaties"),
    ("Opbrengst", None, "Wat het oplevert"),
    ("Voor de cliënt", "Opbrengst", ""),
    ("Voor de organisatie", "Opbrengst", ""),
    ("Herstel", None, "Herstel en grenzen"),
]
# Per interview: (code, level) for each passage, as the first researcher coded them.
CODING_1 = {
    "R1-01": [("Verwachtingen", "professional"), ("Doelen", "professional"), ("Tijd en caseload", "professional")],
    "R1-02": [("Verwachtingen", "management"), ("Samenwerking", "organisation"), ("Doelen", "management")],
    "R1-03": [("Verwachtingen", "client"), ("Herstel", "client")],
    "R1-04": [("Succesfactoren", "professional"), ("Herstel", "professional"), ("Knelpunten", "organisation")],
    "R2-01": [("Voor de cliënt", "client"), ("Voor de cliënt", "client")],
    "R2-02": [("Voor de organisatie", "professional"), ("Samenwerking", "professional")],
    "R2-03": [("Voor de cliënt", "external")],
}
# Where the second researcher chose differently (round 1 only).
CODING_2_DIFFERENT = {("R1-01", 1): "Doelen", ("R1-04", 3): "Samenwerking", ("R1-03", 2): "Verwachtingen"}

EXPERIENCES = [
    "Fijn dat iemand echt luisterde.", "Het gaf me rust dat ik niet alles hoefde uit te leggen.",
    "Soms ging het me te snel.", "Goed, de gesprekken waren eerlijk.", "Ik voelde me serieus genomen.",
    "Wisselend; de eerste weken waren zwaar.",
]
BROUGHT = [
    "Meer zelfvertrouwen.", "Een baan voor twaalf uur.", "Ritme in mijn week.", "Ik durf nu te solliciteren.",
    "Inzicht in wat ik wil.", "Nog niet veel, maar ik heb hoop.",
]


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def load(region: Region, rng: random.Random) -> None:
    researchers = list(
        User.objects.filter(region=region, role_assignments__role=Role.RESEARCHER).select_related("organisation").order_by("pk")
    )
    institute = Organisation.objects.filter(region=region, type=OrganisationType.RESEARCH).order_by("pk").first()
    if len(researchers) < 2 or institute is None:
        return
    lead, second = researchers[0], researchers[1]
    from werkbrug.trajectories.models import Trajectory

    trajectories = list(
        Trajectory.objects.filter(region=region, status="active").select_related("client", "plan_director").order_by("pk")
    )
    if not trajectories:
        return
    today = timezone.localdate()
    # Portal clients first, so the personas have a questionnaire waiting for them.
    trajectories.sort(key=lambda t: (t.client.user_id is None, t.pk))
    chosen = trajectories[:3] + rng.sample(trajectories[3:], min(N_CONSENTING - 3, len(trajectories) - 3))
    for trajectory in chosen:
        if DataCategory.RESEARCH not in consented_categories(trajectory.client, institute.pk):
            # The institute records the consent given to it (the policy's `consent.record`).
            consent_grant(client=trajectory.client, organisation=institute, category=DataCategory.RESEARCH,
                          recorded_by=lead, method=ConsentMethod.PAPER, evidence="Onderzoeksformulier KWH",
                          given_on=today - timedelta(days=330), note="Toestemming voor het onderzoek van KWH.")
        forget(trajectory.plan_director)

    start = today - timedelta(days=320)
    study = s.study_create(
        created_by=lead, researchers=[second],
        title="Ervaringsdeskundigheid en motiverende gespreksvoering naar werk",
        research_question=("Vinden cliënten met een psychische kwetsbaarheid vaker en sneller betaald werk met inzet van "
                           "een ervaringsdeskundige en motiverende gespreksvoering dan met de gebruikelijke ondersteuning?"),
        design=Design.RCT, starts_on=start, ends_on=today + timedelta(days=400),
        eligibility="Cliënten met een actief traject naar werk, 18 jaar of ouder, met toestemming voor onderzoek.",
        arms=[
            {"name": "Ervaringsdeskundige + motiverende gespreksvoering", "code": "ee_mi",
             "description": "Gesprekken met een ervaringsdeskundige en een jobcoach die motiverend werkt."},
            {"name": "Gebruikelijke ondersteuning", "code": "usual", "is_control": True,
             "description": "De ondersteuning die het team nu al geeft."},
        ],
        follow_up_days=[90, 180], block_multipliers=[1, 2], seed=rng.randrange(2**31),
    )
    _schedule(study, lead)
    s.study_start(study=study, started_by=lead)
    # The screening log: besides the consenting clients enrolled below, some were assessed and not
    # enrolled (counted without a name in CONSORT's first box).
    for outcome, reason in (("not_eligible", "Jonger dan 18 jaar"), ("not_eligible", "Geen actief traject"),
                            ("declined", ""), ("declined", "")):
        s.screening_record(study=study, outcome=outcome, reason=reason, screened_by=lead,
                           screened_on=start + timedelta(days=4))
    s.participants_enrol_eligible(study=study, enrolled_by=lead, now=_at(start + timedelta(days=5)))
    people = list(study.participants.select_related("client").order_by("pk"))
    # The portal clients first and recruited in full, the rest in random order.
    rest = people[3:]
    rng.shuffle(rest)
    people = people[:3] + rest
    excluded = {3: "Wil niet deelnemen", 4: "Verhuisd buiten de regio"}
    waiting = {5, 6}
    allocations = {}
    for index, participant in enumerate(people):
        day = start + timedelta(days=10 + index * 7)
        if index in excluded:
            s.participant_stage_set(participant=participant, stage=Stage.INFORMED, recorded_by=lead, occurred_on=day)
            s.participant_stage_set(participant=participant, stage=Stage.EXCLUDED, recorded_by=lead,
                                    reason=excluded[index], occurred_on=day + timedelta(days=3))
            continue
        if index in waiting:
            s.participant_stage_set(participant=participant, stage=Stage.INFORMED, recorded_by=lead, occurred_on=day)
            continue
        s.participant_stage_set(participant=participant, stage=Stage.INFORMED, recorded_by=lead, occurred_on=day)
        s.participant_stage_set(participant=participant, stage=Stage.CONSENTED, recorded_by=lead, occurred_on=day + timedelta(days=2))
        allocation = s.participant_randomise(participant=participant, randomised_by=lead, now=_at(day + timedelta(days=3)))
        allocations[participant.pk] = allocation
        s.participant_stage_set(participant=participant, stage=Stage.STARTED, recorded_by=lead, occurred_on=day + timedelta(days=10))
        if index == 9:
            s.participant_stage_set(participant=participant, stage=Stage.DROPPED_OUT, recorded_by=lead,
                                    reason="Opgenomen in een kliniek", occurred_on=day + timedelta(days=40))
        elif day + timedelta(days=100) <= today:
            s.participant_stage_set(participant=participant, stage=Stage.FOLLOWED_UP, recorded_by=lead, occurred_on=day + timedelta(days=100))
        # The CONSORT boxes after allocation, each with its reason.
        if index == 8:
            s.participant_flow_set(participant=participant, flag="not_received", value=True, recorded_by=lead,
                                   reason="Geen ervaringsdeskundige beschikbaar")
        if index == 11:
            s.participant_flow_set(participant=participant, flag="lost_to_follow_up", value=True, recorded_by=lead,
                                   reason="Niet meer bereikbaar")
        if index == 12:
            s.participant_flow_set(participant=participant, flag="excluded_from_analysis", value=True, recorded_by=lead,
                                   reason="Bleek bij nader inzien niet in aanmerking te komen")
        # Jobs found at follow-up: more often and sooner with the intervention.
        intervention = allocation.arm.code == "ee_mi"
        if rng.random() < (0.6 if intervention else 0.35):
            job_start = allocation.randomised_on + timedelta(days=rng.randrange(20 if intervention else 45, 200))
            if job_start < today:
                s.recorded_job_add(participant=participant, start=job_start, recorded_by=lead,
                                   hours_per_week=Decimal(rng.choice([8, 12, 16, 20, 24, 32])),
                                   competitive=rng.random() < 0.8)
    _employer_contact(study, lead, allocations, today)
    _questionnaire(study, lead, rng, allocations, today)
    _branching_questionnaire(study, lead, rng, allocations, today)
    _interviews(study, lead, second, today)
    _fidelity(region, lead, today)


def _employer_contact(study, lead, allocations, today) -> None:
    """One randomised client with a job at an employer (an IPS job in their trajectory) allowed the
    study to ask that employer (a synthetic address); the worker sends the 12-month questionnaire."""
    from werkbrug.employment.models import Job

    randomised = study.participants.filter(pk__in=allocations).select_related("client").order_by("pk")
    working = [p for p in randomised if Job.objects.filter(trajectory__client=p.client).exists()]
    participant = (working or list(randomised))[0]
    given = today - timedelta(days=30)
    s.employer_contact_set(participant=participant, recorded_by=lead, name="Mw. J. de Werkgever (demo)",
                           email="werkgever.onderzoek@example.org", permission=True,
                           permission_given_on=given, now=_at(given))


def _schedule(study, lead) -> None:
    """The longitudinal schedule, written while the study is a draft: a short questionnaire for
    the client at baseline, 6, 12 and 18 months, for the jobcoach at 6 and 12 months, and for the
    employer at 12 months (sent where the client allowed an employer contact)."""
    client_q = s.questionnaire_create(
        study=study, created_by=lead, title="Werk en welzijn",
        introduction="Een paar vragen over werk en hoe het met u gaat. Het kost drie minuten.",
        questions=[
            {"code": "paid_work", "text": "Heeft u op dit moment betaald werk?", "type": "single", "choices": ["Ja", "Nee"]},
            {"code": "work_hours", "text": "Hoeveel uur per week werkt u?", "type": "number", "min_value": 0,
             "max_value": 60, "show_if": "paid_work", "show_if_value": "Ja"},
            {"code": "life_grade", "text": "Welk rapportcijfer geeft u uw leven op dit moment?", "type": "grade"},
        ],
    )
    coach_q = s.questionnaire_create(
        study=study, created_by=lead, title="Voortgang volgens de jobcoach",
        questions=[{"code": "coach_progress", "text": "Hoeveel vooruitgang naar werk ziet u?", "type": "likert"}],
    )
    employer_q = s.questionnaire_create(
        study=study, created_by=lead, title="Het werk volgens de werkgever",
        questions=[{"code": "employer_fit", "text": "Hoe goed past het werk bij de werknemer?", "type": "likert"}],
    )
    for name, months, items in (
        ("Nulmeting", 0, [(client_q.pk, "client")]),
        ("6 maanden", 6, [(client_q.pk, "client"), (coach_q.pk, "professional")]),
        ("12 maanden", 12, [(client_q.pk, "client"), (coach_q.pk, "professional"), (employer_q.pk, "employer")]),
        ("18 maanden", 18, [(client_q.pk, "client")]),
    ):
        s.schedule_event_add(study=study, added_by=lead, name=name, offset_months=months, window_days=28,
                             reminder_after_days=7, items=items)


def _questionnaire(study, lead, rng, allocations, today) -> None:
    questionnaire = s.questionnaire_create(
        study=study, created_by=lead, title="Hoe was de ondersteuning?",
        introduction="Drie korte vragen over de ondersteuning die u kreeg. Het kost twee minuten.",
        questions=[
            {"code": "experience", "text": "Hoe heeft u de ondersteuning ervaren?", "type": "text", "required": False},
            {"code": "brought", "text": "Wat heeft het u opgeleverd?", "type": "text", "required": False},
            {"code": "grade", "text": "Welk rapportcijfer geeft u de ondersteuning (1 tot en met 10)?", "type": "grade"},
        ],
    )
    sent = today - timedelta(days=30)
    invitations = s.questionnaire_send(questionnaire=questionnaire, sent_by=lead, now=_at(sent),
                                       links=[("employer", "werkgever@example.org"), ("professional", "jobcoach@example.org")])
    for invitation in invitations:
        participant_id = invitation.participant_id
        if participant_id is None:
            continue
        if invitation.participant.client.user_id is not None:
            continue  # the portal personas answer themselves
        if participant_id not in allocations or rng.random() < 0.3:
            continue
        intervention = allocations[participant_id].arm.code == "ee_mi"
        s.response_submit(invitation=invitation, now=_at(sent + timedelta(days=rng.randrange(1, 20))), answers={
            "experience": rng.choice(EXPERIENCES), "brought": rng.choice(BROUGHT),
            "grade": min(10, max(1, round(rng.gauss(7.6 if intervention else 6.8, 1.1)))),
        })
    employer = next(i for i in invitations if i.email == "werkgever@example.org")
    s.response_submit(invitation=employer, now=_at(sent + timedelta(days=4)),
                      answers={"experience": "Prettig contact met de jobcoach.", "brought": "Een gemotiveerde medewerker.", "grade": 8})
    s.questionnaire_remind(questionnaire=questionnaire, reminded_by=lead)


def _branching_questionnaire(study, lead, rng, allocations, today) -> None:
    """A follow-up questionnaire with branching: hours and a grade for the job only for those who
    work, the search only for those who do not; a seven-point scale; grades in halves."""
    questionnaire = s.questionnaire_create(
        study=study, created_by=lead, title="Werk na zes maanden",
        introduction="Vier of vijf vragen over werk en hoe het met u gaat.",
        questions=[
            {"code": "works", "text": "Heeft u nu betaald werk?", "type": "single", "choices": ["Ja", "Nee"]},
            {"code": "hours", "text": "Hoeveel uur per week werkt u?", "type": "number", "min_value": 0,
             "max_value": 60, "decimals": 0, "show_if": "works", "show_if_value": "Ja"},
            {"code": "job_grade", "text": "Welk rapportcijfer geeft u uw werk?", "type": "grade",
             "show_if": "works", "show_if_value": "Ja"},
            {"code": "looking", "text": "Zoekt u werk?", "type": "single", "choices": ["Ja", "Nee", "Nog niet"],
             "show_if": "works", "show_if_value": "Nee"},
            {"code": "calm", "text": "Ik voel me de laatste weken rustig", "type": "likert", "scale_points": 7,
             "scale_labels": ["Nooit", "Zelden", "Soms", "Regelmatig", "Vaak", "Meestal", "Altijd"]},
        ],
    )
    sent = today - timedelta(days=14)
    invitations = s.questionnaire_send(questionnaire=questionnaire, sent_by=lead, now=_at(sent))
    for invitation in invitations:
        if invitation.participant.client.user_id is not None or invitation.participant_id not in allocations:
            continue  # the portal personas answer themselves
        if rng.random() < 0.4:
            continue
        works = rng.random() < 0.45
        answers = {"works": 1 if works else 2, "calm": rng.randint(2, 7)}
        if works:
            answers.update(hours=rng.choice([8, 12, 16, 20, 24, 32]), job_grade=rng.choice(["6", "6,5", "7", "7,5", "8"]))
        else:
            answers["looking"] = rng.choice([1, 2, 3])
        s.response_submit(invitation=invitation, now=_at(sent + timedelta(days=rng.randrange(1, 10))), answers=answers)


def _interviews(study, lead, second, today) -> None:
    codes = {}
    for name, parent, description in CODEBOOK:
        codes[name] = s.code_create(study=study, name=name, parent=codes.get(parent), description=description, created_by=lead)
    rounds = [
        s.interview_round_create(study=study, title="Verwachtingen en doelen", created_by=lead,
                                 topics="Verwachtingen; hoe bereiken we de doelen; wanneer is het een succes; minimale doelen."),
        s.interview_round_create(study=study, title="Ervaringen na een jaar", created_by=lead,
                                 topics="Wat voegt het toe; zijn verwachtingen bijgesteld; welke knelpunten moeten nu opgelost worden."),
    ]
    for rnd, items, held in ((rounds[0], ROUND_1, study.starts_on + timedelta(days=14)), (rounds[1], ROUND_2, today - timedelta(days=20))):
        for label, role, passages in items:
            interview = s.interview_add(round=rnd, label=label, respondent_role=role, held_on=held,
                                        transcript="\n\n".join(passages), added_by=lead)
            for passage, (code, level) in zip(interview.passages.order_by("number"), CODING_1[label], strict=True):
                s.coding_add(passage=passage, code=codes[code], level=level, coder=lead)
                if rnd.number == 1:
                    other = CODING_2_DIFFERENT.get((label, passage.number), code)
                    s.coding_add(passage=passage, code=codes[other], level=level, coder=second)
    _qualitative(study, lead, codes)
    register = [
        ("expectation", "professional", "De ervaringsdeskundige bereikt cliënten die wij niet meer bereiken.", "exceeded",
         "Klanten komen vaker op afspraken sinds de driegesprekken."),
        ("success_factor", "management", "Alle klantmanagers weten dat de ervaringsdeskundige er is.", "adjusted_down",
         "Men vergeet de ervaringsdeskundige nog vaak in te schakelen."),
        ("minimum_goal", "organisation", "Binnen een jaar vijf mensen aan het werk die eerst niet in beeld waren.", "achieved",
         "Zes deelnemers in de interventiegroep hebben werk gevonden."),
    ]
    for kind, level, text, assessment, evidence in register:
        item = s.expectation_add(round=rounds[0], kind=kind, level=level, text=text, added_by=lead)
        s.expectation_assess(expectation=item, assessment=assessment, round=rounds[1], evidence=evidence, assessed_by=lead)


def _qualitative(study, lead, codes) -> None:
    """Span codings, memos and a codebook with a history (round 2, coded by the lead only, so the
    agreement figures of round 1 stay as they are)."""
    from . import qualitative as q

    r2 = {i.label: list(i.passages.order_by("number")) for i in Interview.objects.filter(round__study=study, round__number=2)}
    q.coding_span_add(passage=r2["R2-01"][0], code=codes["Herstel"], level="client", coder=lead,
                      quote="Zij had het zelf ook meegemaakt.")
    rhythm = s.code_create(study=study, name="Ritme", parent=codes["Opbrengst"], created_by=lead,
                           description="Werk als ritme in de week")
    q.coding_span_add(passage=r2["R2-01"][1], code=rhythm, level="client", coder=lead, quote="twaalf uur per week")
    q.code_rename(code=rhythm, name="Werkritme", renamed_by=lead, reason="Duidelijker naam")
    q.memo_add(study=study, author=lead, code=rhythm, text="Overlapt sterk met ‘Voor de cliënt’; samenvoegen?")
    q.code_merge(code=rhythm, into=codes["Voor de cliënt"], merged_by=lead, reason="Te weinig onderscheidend")
    q.memo_add(study=study, author=lead, code=codes["Herstel"],
               text="Herstel gaat over de cliënt én over de ervaringsdeskundige zelf (grenzen).")
    q.memo_add(study=study, author=lead, passage=r2["R2-02"][1],
               text="Terugkerend knelpunt: inschakelen van de ervaringsdeskundige. Navragen in ronde 3.")


def _fidelity(region, lead, today) -> None:
    ggz = Organisation.objects.filter(region=region, type=OrganisationType.GGZ).order_by("pk").first()
    if ggz is None:
        return
    first = [3, 4, 4, 3, 3, 2, 4, 3, 4, 3, 3, 2, 3, 4, 3, 4, 3, 3, 4, 4, 5, 4, 4, 3, 3]
    later = [4, 5, 4, 4, 4, 3, 5, 4, 4, 4, 4, 3, 4, 5, 4, 4, 4, 3, 4, 4, 5, 5, 5, 4, 3]
    for scores, days in ((first, 380), (later, 20)):
        s.fidelity_review_record(organisation=ggz, team_name="IPS-team GGZ Rivierenland", reviewed_on=today - timedelta(days=days),
                                 scores=scores, reviewers="Twee getrainde IPS-reviewers", recorded_by=lead)
