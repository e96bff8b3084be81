"""Demo data for signals and referrals, through the real services.

For the demo trajectories: signals (normal and urgent; acknowledged, urgent and still open, and
escalated to the plan director) and referrals in every state. Deterministic from `rng`. Times
are moved into the past after creation, so that escalation has something to find.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from werkbrug.clients.models import ConsentMethod
from werkbrug.clients.services import consent_grant
from werkbrug.core.choices import CASEWORK_ROLES, DataCategory, OrganisationType
from werkbrug.core.models import Organisation, Region, User
from werkbrug.core.policy.clients import consented_categories
from werkbrug.trajectories.models import TeamMembership, Trajectory, TrajectoryStatus

from .models import ReferralService, Signal, SignalCategory, SignalRecipient, Urgency
from .services import (
    referral_accept,
    referral_complete,
    referral_create,
    referral_join_team,
    referral_reject,
    referral_withdraw,
    signal_acknowledge,
    signal_create,
    signals_escalate,
)

TEXTS = {
    SignalCategory.DEBTS: ["Er komt volgende week een beslaglegging op de uitkering. Dat kan haar stemming raken.",
                           "De schuldregeling is rond. Dat geeft rust; goed moment om werk te bespreken."],
    SignalCategory.MOOD: ["Hij slaapt slecht sinds een paar weken en zegt afspraken af.",
                          "Stemming is beter; ze wil de uren uitbreiden."],
    SignalCategory.HEALTH: ["Nieuwe medicatie; de eerste weken kan hij 's ochtends suf zijn."],
    SignalCategory.HOUSING: ["Ze moet binnen twee maanden verhuizen; dat kost veel energie."],
    SignalCategory.WORK: ["De werkgever belde: het gaat goed, wel graag vaste pauzes inplannen."],
    SignalCategory.OTHER: ["Familieomstandigheden: de komende week minder bereikbaar."],
}
SERVICE_ORG = {
    ReferralService.DEBT_COUNSELLING: OrganisationType.DEBT_COUNSELLING,
    ReferralService.IPS: OrganisationType.REINTEGRATION,
    ReferralService.WORK_COMPANY: OrganisationType.WORK_COMPANY,
    ReferralService.WORK_FOCUSED_CBT: OrganisationType.GGZ,
    ReferralService.EXPERIENCE_EXPERT: OrganisationType.EXPERIENCE_EXPERTS,
}
QUESTIONS = {
    ReferralService.DEBT_COUNSELLING: "Betalingsachterstanden bij huur en energie; cliënt wil een regeling.",
    ReferralService.IPS: "Cliënt wil snel aan het werk in een gewone baan, met begeleiding.",
    ReferralService.WORK_COMPANY: "Cliënt wil eerst ritme opbouwen in een werkbedrijf.",
    ReferralService.WORK_FOCUSED_CBT: "Somberheid staat werk in de weg; werkgerichte behandeling gewenst.",
    ReferralService.EXPERIENCE_EXPERT: "Cliënt wil praten met iemand die zelf weer aan het werk ging.",
}
# Final state of each referral, in turn: every state occurs.
PATHS = ["requested", "accepted", "rejected", "withdrawn", "completed_ok", "completed_not", "accepted_joined"]


def _signal_members(trajectory: Trajectory, members: list[TeamMembership]) -> list[TeamMembership]:
    return [m for m in members if DataCategory.SIGNALS in consented_categories(trajectory.client, m.organisation_id)]


def _signals(trajectory: Trajectory, members: list[TeamMembership], rng: random.Random, now) -> None:
    eligible = _signal_members(trajectory, members)
    if len(eligible) < 2:
        return
    for _ in range(rng.randint(1, 3)):
        author, *others = rng.sample(eligible, len(eligible))
        category = rng.choice(list(TEXTS))
        urgent = rng.random() < 0.35
        signal = signal_create(
            trajectory=trajectory, author=author.person, category=category,
            urgency=Urgency.URGENT if urgent else Urgency.NORMAL, text=rng.choice(TEXTS[category]),
            recipients=[m.person for m in others[: rng.randint(1, len(others))]],
        )
        # Recent urgent signals stay open (not yet due); older ones are acknowledged or escalate.
        age = timedelta(hours=rng.randint(2, 20)) if urgent and rng.random() < 0.4 else timedelta(hours=rng.randint(26, 24 * 40))
        sent = now - age
        Signal.objects.filter(pk=signal.pk).update(created_at=sent)
        if rng.random() < (0.4 if urgent else 0.7) and age > timedelta(hours=24):
            recipient = signal.recipients.order_by("id").first()
            signal_acknowledge(signal=signal, person=recipient.person)
            SignalRecipient.objects.filter(pk=recipient.pk).update(
                acknowledged_at=sent + timedelta(hours=rng.randint(1, 20)))


def _receiver(org: Organisation) -> User | None:
    return (
        User.objects.filter(organisation=org, is_active=True, role_assignments__role__in=CASEWORK_ROLES)
        .order_by("pk").first()
    )


def _referral(trajectory: Trajectory, members: list[TeamMembership], receivers: dict[int, User],
              orgs: list[Organisation], path: str, rng: random.Random) -> None:
    in_team = {m.organisation_id for m in members}
    services = list(SERVICE_ORG)
    rng.shuffle(services)
    for service in services:
        candidates = [o for o in orgs if o.type == SERVICE_ORG[service] and o.pk not in in_team and o.pk in receivers]
        if candidates:
            break
    else:
        return
    org = rng.choice(candidates)
    referrer = next(m.person for m in members if m.person_id == trajectory.plan_director_id)
    receiver = receivers[org.pk]
    if DataCategory.PARTICIPATION not in consented_categories(trajectory.client, org.pk):
        # The receiving organisation records the consent given to it (the policy's `consent.record`).
        consent_grant(client=trajectory.client, organisation=org, category=DataCategory.PARTICIPATION,
                      recorded_by=receiver, method=ConsentMethod.PAPER, evidence="Verwijsformulier")
    referral = referral_create(trajectory=trajectory, referred_by=referrer, organisation=org, service=service,
                               question=QUESTIONS[service])
    if path == "rejected":
        referral_reject(referral=referral, actor=receiver, reason="Geen plek binnen zes weken; probeer het later opnieuw.")
    elif path == "withdrawn":
        referral_withdraw(referral=referral, actor=referrer, reason="De cliënt wil eerst iets anders proberen.")
    elif path != "requested":
        referral_accept(referral=referral, actor=receiver)
        if path == "completed_ok":
            referral_complete(referral=referral, actor=receiver, successful=True, reason="Doel bereikt.")
        elif path == "completed_not":
            referral_complete(referral=referral, actor=receiver, successful=False, reason="Cliënt kwam niet meer.")
        elif path == "accepted_joined":
            referral_join_team(referral=referral, person=receiver)


def load(region: Region, rng: random.Random) -> None:
    now = timezone.now()
    trajectories = list(
        Trajectory.objects.filter(region=region, status=TrajectoryStatus.ACTIVE).select_related("client").order_by("pk")
    )
    orgs = list(Organisation.objects.filter(region=region).order_by("pk"))
    receivers = {org.pk: person for org in orgs if (person := _receiver(org)) is not None}
    members_by: dict[int, list[TeamMembership]] = {}
    for m in TeamMembership.objects.filter(trajectory__in=trajectories, left_at__isnull=True).select_related("person", "organisation"):
        members_by.setdefault(m.trajectory_id, []).append(m)
    for index, trajectory in enumerate(trajectories):
        members = members_by.get(trajectory.pk, [])
        if not members:
            continue
        _signals(trajectory, members, rng, now)
        if index % 2 == 0:
            _referral(trajectory, members, receivers, orgs, PATHS[(index // 2) % len(PATHS)], rng)
    # Urgent signals older than the escalation time and still unread go to the plan director.
    signals_escalate(now=now, notify=False)
