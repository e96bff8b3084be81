"""Demo data: five experience experts, a year of deployments, one out of balance, a support group.

Synthetic and deterministic from `rng`. The two UWV experts work 0.5 fte (18 of 36 hours) and are
buddies, as at UWV Nijmegen; three more work at Stichting Ervaringswerk. Ervaringswerk's third
expert has spent too much time outside the own office for the last three months, so the
coordinator sees an out-of-balance signal. Everything goes through the module's services.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import client_register, consent_grant
from werkbrug.core.choices import DataCategory, OrganisationType, Role
from werkbrug.core.models import Organisation, Region, User

from . import services
from .models import Deployment, DeploymentKind, DeploymentStatus, Setting

DOMAINS = ["Depressie en burn-out", "Angst", "Psychose", "Verslaving", "Schulden", "Autisme", "Trauma"]
CLIENTS = [("Noor", "Vermeulen"), ("Ruben", "de Graaf"), ("Samira", "El Idrissi"), ("Tim", "Hoekstra")]
BALANCED = {Setting.OWN_OFFICE: 0.68, Setting.EXTERNAL: 0.2, Setting.OTHER_OFFICE: 0.12}
UNBALANCED = {Setting.OWN_OFFICE: 0.3, Setting.EXTERNAL: 0.6, Setting.OTHER_OFFICE: 0.1}
TOPICS = {
    DeploymentKind.GROUP_TRAINING: "WIA/Wajong-training",
    DeploymentKind.CLIENT_WORKSHOP: "Vertellen of verzwijgen?",
    DeploymentKind.SUPPORT_GROUP: "Steungroep",
    DeploymentKind.CONSULTATION_ONE: "Casusoverleg",
    DeploymentKind.CONSULTATION_GROUP: "Intervisie team",
    DeploymentKind.SPARRING: "Voorbereiding gesprek",
    DeploymentKind.PRESENTATION: "Teamoverleg",
    DeploymentKind.EMPLOYER_INFO: "Werkgeversontbijt",
    DeploymentKind.NETWORK: "Overleg met cliëntenraad",
}


def _people(region: Region, short_name: str, role: str) -> list[User]:
    return list(User.objects.filter(region=region, organisation__short_name=short_name, role_assignments__role=role)
                .order_by("id"))


def _pick_setting(rng: random.Random, split: dict[str, float]) -> str:
    roll, total = rng.random(), 0.0
    for setting, share in split.items():
        total += share
        if roll < total:
            return setting
    return Setting.OWN_OFFICE


def load(region: Region, rng: random.Random) -> None:
    from werkbrug.trajectories.services import trajectory_start

    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    uwv = Organisation.objects.get(region=region, short_name="UWV")
    ew = Organisation.objects.get(region=region, short_name="Ervaringswerk")
    uwv_coordinator = _people(region, "UWV", Role.EE_COORDINATOR)[0]
    ew_coordinator = _people(region, "Ervaringswerk", Role.EE_COORDINATOR)[0]
    uwv_experts = _people(region, "UWV", Role.EXPERIENCE_EXPERT)[:2]
    ew_experts = _people(region, "Ervaringswerk", Role.EXPERIENCE_EXPERT)[:3]
    labour_expert = _people(region, "UWV", Role.LABOUR_EXPERT)[0]

    domains = [services.domain_create(region=region, name=name, created_by=uwv_coordinator) for name in DOMAINS]
    by_name = {d.name: d for d in domains}
    profiles = {}
    setups = [
        (uwv_experts[0], uwv_coordinator, 18, 8, ["Depressie en burn-out", "Schulden"], "ma, di en wo"),
        (uwv_experts[1], uwv_coordinator, 18, 6, ["Angst", "Trauma"], "di, wo en do"),
        (ew_experts[0], ew_coordinator, 24, 12, ["Psychose", "Verslaving"], "ma t/m do"),
        (ew_experts[1], ew_coordinator, 16, 8, ["Autisme", "Angst"], "wo t/m vr"),
        (ew_experts[2], ew_coordinator, 20, 10, ["Depressie en burn-out", "Trauma", "Schulden"], "ma, do en vr"),
    ]
    # Coordinators are assigned by the region administrator (the expert is told).
    admin = User.objects.filter(region=region, role_assignments__role=Role.REGION_ADMIN).order_by("id").first()
    for person, coordinator, hours, limit, names, availability in setups:
        profiles[person.pk] = services.profile_create(
            person=person, created_by=admin or coordinator, coordinator=coordinator if admin else None, contract_hours=Decimal(hours),
            client_contact_limit=Decimal(limit), domains=[by_name[n] for n in names], higher_vocational=True,
            education_field="Social Work", training_name="Ervaringsdeskundigheid (Associate degree)",
            training_year=rng.choice([2018, 2019, 2020, 2021, 2022]), availability=availability,
        )
    first, second = profiles[uwv_experts[0].pk], profiles[uwv_experts[1].pk]
    services.buddy_pair(profile=first, buddy=second, changed_by=uwv_coordinator)
    services.absence_add(profile=profiles[ew_experts[1].pk], start=today + timedelta(days=10),
                         end=today + timedelta(days=24), added_by=ew_coordinator, note="Verlof")

    # Clients in a trajectory started by the UWV labour expert, consenting to both organisations.
    clients = []
    for index, (first_name, last_name) in enumerate(CLIENTS):
        client = client_register(registered_by=labour_expert, first_name=first_name, last_name=last_name,
                                 date_of_birth=date(1975 + 6 * index, 1 + index, 10 + index))
        trajectory = trajectory_start(client=client, started_by=labour_expert, role=Role.LABOUR_EXPERT,
                                      consent_method=ConsentMethod.PAPER, started_on=today - timedelta(days=330 - 40 * index))
        # Ervaringswerk records the consent given to it (the policy's `consent.record`).
        consent_grant(client=client, organisation=ew, category=DataCategory.PARTICIPATION, recorded_by=ew_experts[0],
                      method=ConsentMethod.PAPER, evidence="Toestemmingsformulier ervaringswerk")
        clients.append((client, trajectory))

    # Requests: accepted ones put the experts in the clients' teams; one declined first; one open.
    year_ago = today - timedelta(days=364)
    client_of: dict[int, list] = {}
    for index, (client, trajectory) in enumerate(clients):
        expert = [uwv_experts[0], uwv_experts[1], ew_experts[0], ew_experts[2]][index]
        start = year_ago + timedelta(days=14 + 60 * index)
        request = services.request_create(
            requested_by=labour_expert, kind=DeploymentKind.ONE_ON_ONE, trajectory=trajectory, period_start=start,
            period_end=start + timedelta(days=14), domains=[by_name["Schulden"]] if index % 2 == 0 else [],
            now=datetime.combine(start - timedelta(days=3), time(9), tz),
        )
        moment = datetime.combine(start - timedelta(days=2), time(10), tz)  # answered then, not today
        if index == 1:
            services.request_offer(request=request, expert=ew_experts[1], offered_by=labour_expert, now=moment)
            services.request_decline(request=request, expert=ew_experts[1], now=moment)
        services.request_offer(request=request, expert=expert, offered_by=labour_expert, now=moment)
        # The expert chooses the day, time and place when accepting: the deployment's appointment.
        chosen = services.DeploymentSchedule(datetime.combine(start + timedelta(days=2), time(10 + index), tz),
                                             datetime.combine(start + timedelta(days=2), time(11 + index), tz),
                                             "Ervaringswerk, spreekkamer 1" if index % 2 else "UWV Apeldoorn, kamer 2.14")
        planned = services.request_accept(request=request, expert=expert, schedule=chosen, now=moment)
        services.deployment_complete(deployment=planned, expert=expert, date=start + timedelta(days=2), minutes=60,
                                     setting=Setting.OWN_OFFICE, outcome="Kennismaking; vervolg afgesproken")
        client_of.setdefault(expert.pk, []).append(client)
    services.request_create(requested_by=labour_expert, kind=DeploymentKind.PRESENTATION, topic="Teamoverleg arbeidsdeskundigen",
                            setting=Setting.OTHER_OFFICE, period_start=today + timedelta(days=7),
                            period_end=today + timedelta(days=28), domains=[by_name["Angst"]])

    # A year of deployments of every kind, about three a week per expert.
    kinds = list(DeploymentKind.values)
    unbalanced = ew_experts[2]
    served = [uwv, ew] + list(Organisation.objects.filter(region=region, type__in=[OrganisationType.GGZ,
                                                                                  OrganisationType.MUNICIPALITY]))
    for person, *_rest in setups:
        week = year_ago - timedelta(days=year_ago.weekday())
        n = 0
        while week + timedelta(days=4) < today:
            for _i in range(rng.choice([2, 3, 3, 4])):
                day = week + timedelta(days=rng.randrange(5))
                if day >= today:
                    continue
                kind = kinds[n % len(kinds)] if n < len(kinds) else rng.choice(kinds)
                n += 1
                split = UNBALANCED if person == unbalanced and (today - day).days < 100 else BALANCED
                client = None
                if kind in (DeploymentKind.ONE_ON_ONE, DeploymentKind.THREE_WAY) and client_of.get(person.pk):
                    candidates = [c for c, t in clients if c in client_of[person.pk] and t.started_on <= day]
                    client = rng.choice(candidates) if candidates else None
                services.deployment_register(
                    expert=person, date=day, kind=kind, minutes=rng.choice([45, 60, 60, 90, 120, 180]),
                    setting=_pick_setting(rng, split), organisation_served=person.organisation if client else rng.choice(served),
                    client=client, topic="" if client else TOPICS.get(kind, "Gesprek op verwijzing"),
                    outcome=rng.choice(["", "Goed contact", "Vervolg gepland", "Doorverwezen naar jobcoach"]),
                    check_signals=False,
                )
            week += timedelta(days=7)

    # One registration corrected by its expert (the first version kept in its history), one group
    # request cancelled with a reason (the expert it was put to is told), one for a period long
    # past closed by the daily task as expired.
    mistaken = (Deployment.objects.filter(expert=ew_experts[0], client__isnull=True, status=DeploymentStatus.REGISTERED)
                .order_by("-date", "-id").first())
    if mistaken is not None:
        services.deployment_correct(deployment=mistaken, changed_by=ew_experts[0], minutes=mistaken.minutes + 30,
                                    reason="Uitloop: het gesprek duurde een half uur langer dan geregistreerd.")
    cancelled = services.request_create(
        requested_by=labour_expert, kind=DeploymentKind.PRESENTATION, topic="Themamiddag werkgevers",
        setting=Setting.EXTERNAL, period_start=today + timedelta(days=10), period_end=today + timedelta(days=20))
    services.request_offer(request=cancelled, expert=uwv_experts[1], offered_by=labour_expert)
    services.request_cancel(request=cancelled, cancelled_by=labour_expert,
                            reason="De themamiddag is verplaatst naar het voorjaar.")
    services.request_create(requested_by=labour_expert, kind=DeploymentKind.SPARRING, topic="Voorbereiding intake",
                            period_start=today - timedelta(days=30), period_end=today - timedelta(days=20),
                            now=datetime.combine(today - timedelta(days=32), time(9), tz))
    services.requests_expire(today=today, region=region)

    # Weekly check-ins for the last ten weeks; the out-of-balance expert has had low energy lately.
    for person, *_rest in setups:
        for weeks_back in range(10, 0, -1):
            moment = datetime.combine(today - timedelta(weeks=weeks_back), time(16), tz)
            low = person == unbalanced and weeks_back <= 3
            services.checkin_submit(expert=person, energy=rng.choice([1, 2]) if low else rng.choice([3, 4, 4, 5]),
                                    load=rng.choice([4, 5]) if low else rng.choice([2, 3, 3, 4]),
                                    note="Veel extern, weinig rust" if low else "", now=moment)
        services.expert_signals_check(expert=person, today=today)

    # One support-group series at UWV, facilitated by the buddies, half-way through.
    start = datetime.combine(today - timedelta(weeks=3) - timedelta(days=today.weekday() - 1), time(14), tz)
    group = services.support_group_create(organisation=uwv, name="Steungroep Rivierenland (voorjaar)",
                                          facilitators=uwv_experts, created_by=uwv_coordinator, first_meeting_at=start)
    participants = [services.participant_add(group=group, client=c, added_by=uwv_experts[0]) for c, _t in clients[:4]]
    for meeting in group.meetings.filter(starts_at__lt=timezone.now()).order_by("number"):
        present = [p.pk for p in participants if rng.random() < 0.8]
        services.attendance_record(meeting=meeting, present=present, recorded_by=uwv_experts[0],
                                   notes="Huiskamersfeer; iedereen kwam aan het woord.")
