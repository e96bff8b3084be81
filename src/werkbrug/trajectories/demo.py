"""Demo data for trajectories: ~60 made-up clients with teams, consent, intakes and hand-overs.

Everything goes through the real services, so the access log and consent history look as they
would in use. Deterministic from `rng`. Three clients get a portal account
(`demo.client.<first name>`) so they appear on the persona page.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from werkbrug.clients.models import Benefit, ConsentMethod
from werkbrug.clients.services import consent_grant, consent_grant_many, consent_withdraw
from werkbrug.core.choices import CASEWORK_ROLES, DataCategory, OrganisationType, Role, UserKind
from werkbrug.core.demo import DEMO_PASSWORD, FIRST_NAMES, LAST_NAMES
from werkbrug.core.models import Region, User
from werkbrug.core.policy.memo import forget
from werkbrug.core.policy.trajectories import visible_categories

from .intake import SECTIONS
from .models import TeamMembership
from .services import (
    client_register_and_start,
    intake_save,
    plan_director_hand_over,
    team_member_add,
    trajectory_close,
    trajectory_reopen,
)

N_CLIENTS = 60
PORTAL_CLIENTS = 3

TEXTS = {
    "support_needs": ["Rust en vaste afspraken helpen. Spanning bij veel prikkels.", "Hulp bij plannen van de week.",
                      "Wil leren omgaan met somberheid op het werk.", "Steun bij het eerste contact met een werkgever."],
    "work_history": ["Tien jaar magazijnmedewerker, daarna uitgevallen.", "Werkte in de zorg als helpende.",
                     "Vakkenvuller en bezorger, korte contracten.", "Nog nooit betaald werk gehad."],
    "education": ["vmbo kader, diploma", "mbo 2 logistiek, niet afgemaakt", "havo", "mbo 3 zorg en welzijn"],
    "wished_sector": ["groen en tuin", "logistiek", "zorg", "techniek", "horeca", "administratie"],
    "wished_conditions": ["Vaste werktijden, rustige plek.", "Dicht bij huis, met de fiets bereikbaar.",
                          "Begeleiding in de eerste weken."],
    "income_and_benefit": ["Bijstand, wil graag uit de uitkering.", "WIA-uitkering, deels arbeidsongeschikt.",
                           "Wajong, wil uren opbouwen."],
    "debts": ["Schulden bij energiebedrijf, regeling loopt.", "Betalingsachterstand huur.", ""],
    "living_situation": ["Woont zelfstandig.", "Woont bij ouders.", "Beschermd wonen, wil zelfstandig wonen."],
    "social_network": ["Contact met zus en een vriend.", "Klein netwerk, wil meer mensen leren kennen.",
                       "Steun van partner."],
    "own_goal": ["Ik wil weer buiten werken, met mijn handen.", "Ik wil twintig uur per week werken in een magazijn.",
                 "Ik wil iets doen waar ik trots op kan zijn.", "Eerst vrijwilligerswerk, dan een echte baan."],
}


def _bsn(rng: random.Random, taken: set[str]) -> str:
    """A random nine-digit number that passes the eleven test (made up; not a real person's)."""
    while True:
        digits = [rng.randrange(10) for _ in range(8)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check == 10 or digits[0] == 0:
            continue
        bsn = "".join(map(str, digits)) + str(check)
        if bsn not in taken:
            taken.add(bsn)
            return bsn


def _intake_data(rng: random.Random, categories: frozenset[str]) -> dict:
    data = {}
    for section in SECTIONS:
        if section.category not in categories:
            continue
        for name in section.fields:
            if name == "wished_hours_per_week":
                data[name] = rng.choice([8, 12, 16, 20, 24, 32])
            elif name == "has_debts":
                data[name] = rng.choice([True, False, None])
            else:
                data[name] = rng.choice(TEXTS[name])
    return data


def load(region: Region, rng: random.Random) -> None:
    people = list(
        User.objects.filter(region=region, kind=UserKind.PROFESSIONAL, organisation__isnull=False,
                            role_assignments__role__in=CASEWORK_ROLES)
        .select_related("organisation").prefetch_related("role_assignments").distinct().order_by("pk")
    )
    if not people:
        return
    starters = [p for p in people if p.has_role(Role.JOBCOACH, Role.CLIENT_MANAGER, Role.LABOUR_EXPERT)]
    today = timezone.localdate()
    taken_bsns: set[str] = set()
    portal_password = make_password(DEMO_PASSWORD)
    portal_names: set[str] = set()
    all_categories = [c for c in DataCategory.values if c != DataCategory.RESEARCH]
    for index in range(N_CLIENTS):
        starter = rng.choice(starters)
        role = next(r for r in (Role.JOBCOACH, Role.CLIENT_MANAGER, Role.LABOUR_EXPERT) if starter.has_role(r))
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        trajectory = client_register_and_start(
            registered_by=starter, role=role, consent_method=rng.choice([ConsentMethod.VERBAL, ConsentMethod.PAPER]),
            started_on=today - timedelta(days=rng.randrange(10, 700)),
            first_name=first, last_name=last,
            date_of_birth=date(1965, 1, 1) + timedelta(days=rng.randrange(0, 38 * 365)),
            bsn=_bsn(rng, taken_bsns) if rng.random() < 0.8 else "",
            email=f"{first.lower()}.{index}@example.org".replace("ë", "e"), phone=f"06-{rng.randrange(10**7, 10**8)}",
            postcode=f"{rng.randrange(4000, 4200)} {rng.choice(['AB', 'KL', 'RT', 'ZW'])}", city="Bommelstad",
            benefit=rng.choice(Benefit.values),
        )
        client = trajectory.client
        # The starter's organisation: everything but care unless it is a care provider.
        own = [c for c in all_categories if c != DataCategory.CARE or starter.organisation.type == OrganisationType.GGZ]
        consent_grant_many(client=client, organisation=starter.organisation, categories=own, recorded_by=starter,
                           method=ConsentMethod.PAPER, evidence=f"Toestemmingsformulier {client.pseudonym}")
        # One to three colleagues of other organisations join, after the client's consent: each
        # records the consent given to their own organisation (taking part first, to join).
        others = [p for p in people if p.organisation_id != starter.organisation_id]
        team = rng.sample(others, rng.randint(1, 3))
        joined = []
        for person in team:
            if any(m.organisation_id == person.organisation_id for m in joined):
                continue
            categories = [DataCategory.PARTICIPATION, DataCategory.PLAN, DataCategory.SIGNALS]
            if person.organisation.type == OrganisationType.GGZ:
                categories.append(DataCategory.CARE)
            if person.organisation.type == OrganisationType.DEBT_COUNSELLING:
                categories.append(DataCategory.DEBTS)
            if person.organisation.type in (OrganisationType.UWV, OrganisationType.MUNICIPALITY, OrganisationType.REINTEGRATION):
                categories += [DataCategory.WORK_INCOME, DataCategory.JOB_OUTCOMES]
            method = rng.choice([ConsentMethod.VERBAL, ConsentMethod.PAPER])
            evidence = f"Kennismakingsgesprek {client.pseudonym}"
            consent_grant(client=client, organisation=person.organisation, category=DataCategory.PARTICIPATION,
                          recorded_by=person, method=method, evidence=evidence)
            member_role = next(r for r in Role if r in CASEWORK_ROLES and person.has_role(r))
            joined.append(team_member_add(trajectory=trajectory, person=person, role=member_role, added_by=starter))
            consent_grant_many(client=client, organisation=person.organisation, categories=categories[1:],
                               recorded_by=person, method=method, evidence=evidence)
        # Intake: most have one, some still a draft.
        if rng.random() < 0.8:
            forget(starter)

            data = _intake_data(rng, visible_categories(starter, client))
            complete = rng.random() < 0.65
            if not complete:
                data.pop("own_goal", None)
            intake_save(trajectory=trajectory, saved_by=starter, data=data, complete=complete)
        # Some hand over the plan director role.
        if joined and index % 9 == 4:
            plan_director_hand_over(trajectory=trajectory, new_director=joined[0].person, handed_over_by=starter,
                                    note=rng.choice(["Het werk staat nu voorop.", "Afgesproken in het teamoverleg."]))
        # Some withdraw a consent; some consents have expired.
        if joined and index % 7 == 3:
            consent_withdraw(client=client, organisation=joined[-1].organisation, category=DataCategory.SIGNALS,
                             recorded_by=joined[-1].person, method=ConsentMethod.VERBAL, note="Cliënt wil dit nu niet delen.")
        if joined and index % 11 == 6:
            consent_withdraw(client=client, organisation=joined[-1].organisation, category=DataCategory.PARTICIPATION,
                             recorded_by=joined[-1].person, method=ConsentMethod.PAPER, note="Cliënt stopt met deze organisatie.")
        if index % 8 == 5:
            consent_grant(client=client, organisation=starter.organisation, category=DataCategory.RESEARCH,
                          recorded_by=starter, method=ConsentMethod.PAPER, evidence="Onderzoeksformulier",
                          given_on=today - timedelta(days=400),
                          valid_until=today - timedelta(days=rng.randrange(1, 60)))
        # A few clients use the portal.
        if len(portal_names) < PORTAL_CLIENTS and index % 5 == 0 and first.lower() not in portal_names:
            username = "demo.client." + first.lower().replace("ë", "e").replace("é", "e")
            if not User.objects.filter(username=username).exists():
                portal_names.add(first.lower())
                user = User.objects.create(
                    username=username, first_name=first, last_name=last, email=client.email, kind=UserKind.CLIENT,
                    region=region, password=portal_password,
                )
                client.user = user
                client.save(update_fields=["user"])
    _archive(region, rng, people)
    assert TeamMembership.objects.filter(trajectory__region=region).exists()


# (reason, outcome, note) of the demo's closed trajectories.
CLOSINGS = [
    ("work_found", "paid_work", "Vaste baan van 24 uur bij een hoveniersbedrijf."),
    ("work_found", "paid_work", "Werkt 16 uur in het magazijn van de bouwmarkt."),
    ("moved", "unknown", "Verhuisd naar familie in Groningen; overgedragen aan de gemeente daar."),
    ("stopped_by_client", "no_work", "Wil eerst rust; kan zich later weer melden."),
    ("referred_elsewhere", "education", "Gaat een mbo-opleiding doen met begeleiding van school."),
    ("work_found", "volunteer_work", "Vrijwilligerswerk bij de kringloop, twee dagen per week."),
]


def _before_closing(trajectory) -> None:
    """What the archive then shows of a closed file besides its plan and case file: a past talk in
    the calendar, a signal and an employer contact — written through the real services while the
    trajectory still runs (the later module demos fill only the active trajectories)."""
    from werkbrug.appointments.models import AppointmentKind
    from werkbrug.appointments.services import appointment_plan
    from werkbrug.collaboration.services import signal_create
    from werkbrug.core import policy
    from werkbrug.employment.services import employer_contact_record

    director = trajectory.plan_director
    others = [m.person for m in TeamMembership.objects.filter(trajectory=trajectory, left_at__isnull=True)
              .exclude(person=director).select_related("person").order_by("joined_at", "pk")]
    now = timezone.now()
    zone = timezone.get_default_timezone()
    day = timezone.localdate() - timedelta(days=12)
    if policy.can(director, "appointment.create", trajectory):
        starts = timezone.make_aware(datetime.combine(day, time(14)), zone)
        appointment_plan(planned_by=director, trajectory=trajectory, kind=AppointmentKind.THREE_WAY, starts_at=starts,
                         ends_at=starts + timedelta(hours=1), place="Werkplein Rivierenland, kamer 3",
                         with_client=True, participants=others[:1], now=now - timedelta(days=20))
    readers = [p for p in others if policy.can(p, "signal.view", trajectory)]
    if readers and policy.can(director, "signal.create", trajectory):
        signal_create(trajectory=trajectory, author=director, category="work", urgency="normal",
                      text="Afrondend gesprek gehad; de cliënt weet bij wie ze terecht kan.", recipients=readers[:1])
    if policy.can(director, "employer_contact.create", trajectory):
        employer_contact_record(trajectory=trajectory, recorded_by=director, contacted_on=day,
                                employer_name="Hoveniersbedrijf De Linde", kind="placement_talk",
                                note="Overdracht aan de leidinggevende.")


def _archive(region: Region, rng: random.Random, people: list[User]) -> None:
    """Closed trajectories with their reasons (one closed and reopened), and one possible duplicate:
    a client registered a second time by another organisation, with a request to join the first file."""
    from werkbrug.clients.services import join_request_create
    from werkbrug.core import policy

    from .models import Trajectory

    active = list(Trajectory.objects.filter(region=region, status="active").select_related("client", "plan_director")
                  .order_by("pk"))
    closable = [t for t in active if policy.can(t.plan_director, "trajectory.close", t)]
    for trajectory, (reason, outcome, note) in zip(closable[-len(CLOSINGS):], CLOSINGS, strict=False):
        _before_closing(trajectory)
        trajectory_close(trajectory=trajectory, closed_by=trajectory.plan_director, reason=reason, outcome=outcome,
                         note=note)
        forget(trajectory.plan_director)
    reopened = Trajectory.objects.filter(region=region, status="closed", close_reason="stopped_by_client").first()
    if reopened is not None:
        trajectory_reopen(trajectory=reopened, reopened_by=reopened.plan_director,
                          reason="De cliënt meldt zich weer: wil nu toch aan het werk.")
    # The possible duplicate: the first client again, a letter different and without a BSN.
    original = active[0].client
    other = next((p for p in people if p.organisation_id != active[0].plan_director.organisation_id
                  and p.has_role(Role.JOBCOACH, Role.CLIENT_MANAGER, Role.DEBT_COUNSELLOR)
                  and not TeamMembership.objects.filter(trajectory=active[0], person=p).exists()), None)
    if other is None:
        return
    role = next(r for r in (Role.JOBCOACH, Role.CLIENT_MANAGER, Role.DEBT_COUNSELLOR) if other.has_role(r))
    first = original.first_name[:-1] + ("e" if original.first_name[-1] != "e" else "a")
    client_register_and_start(
        registered_by=other, role=role, consent_method=ConsentMethod.VERBAL, first_name=first,
        last_name=original.last_name, date_of_birth=original.date_of_birth, city="Bommelstad",
    )
    join_request_create(user=other, role=role, first_name=original.first_name, last_name=original.last_name,
                        date_of_birth=original.date_of_birth, note="Cliënt noemde een eerdere jobcoach.")
    forget(other)
