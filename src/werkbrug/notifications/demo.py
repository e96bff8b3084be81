"""Demo notifications: something waiting for every persona, and a week of sent digests.

The other modules' demo loaders already notify through their services (signals, referrals);
this adds, per persona, a few unread notifications that fit their roles and link to real pages,
and for the past seven days one notification a day that went out in that morning's digest.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from werkbrug.core.choices import CASEWORK_ROLES, Role, UserKind
from werkbrug.core.models import Region, User

from .kinds import INFO, Channel, Kind
from .models import Notification

# Per role: (kind, page) pairs that fit what the role does.
FOR_ROLE: dict[str, list[tuple[str, str]]] = {
    Role.AMBASSADOR: [(Kind.QUESTION_RECEIVED, "ambassadors:questions"), (Kind.QUESTION_REMINDER, "ambassadors:questions"),
                      (Kind.QUESTION_FOLLOW_UP, "ambassadors:questions")],
    Role.EXPERIENCE_EXPERT: [(Kind.DEPLOYMENT_OFFERED, "experience_experts:index")],
    Role.EE_COORDINATOR: [(Kind.BALANCE_SIGNAL, "experience_experts:index")],
    Role.MANAGER: [(Kind.PROPOSAL_DECISION, "ambassadors:index")],
    Role.EDITOR: [(Kind.KNOWLEDGE_REVIEW, "knowledge_map:review")],
    Role.RESEARCHER: [(Kind.QUESTIONNAIRE_REMINDER, "evaluations:index")],
    Role.REGION_ADMIN: [(Kind.PROPOSAL_DECISION, "ambassadors:index")],
    Role.PRIVACY_OFFICER: [(Kind.CONSENT_CHANGED, "web:access_log")],
    Role.PORTFOLIO_HOLDER: [(Kind.MONTHLY_REPORT, "reporting:index")],
}
CASEWORK = [(Kind.PLAN_AGREEMENT_REQUESTED, "trajectories:index"), (Kind.ACTION_DUE, "trajectories:index"),
            (Kind.REFERRAL_RECEIVED, "collaboration:index")]


def _pairs(person: User) -> list[tuple[str, str]]:
    if person.kind == UserKind.CLIENT:
        return [(Kind.PLAN_AGREEMENT_REQUESTED, "portal:index")]
    pairs = list(CASEWORK) if person.roles & CASEWORK_ROLES else []
    for role in sorted(person.roles):
        pairs += FOR_ROLE.get(role, [])
    return pairs


def load(region: Region, rng: random.Random) -> None:
    now = timezone.now()
    made = []
    for person in User.objects.filter(region=region, username__startswith="demo.", is_active=True).order_by("pk"):
        pairs = _pairs(person)
        if not pairs:
            continue
        # No reference number: these stand for no object of the demo, they lead to the role's page.
        for n, (kind, page) in enumerate(pairs):
            made.append(Notification(recipient=person, kind=kind, link=reverse(page),
                                     created_at=now - timedelta(hours=n * 3 + rng.randint(0, 2))))
        # A week of digests: one notification a day of a kind mailed in the digest, mailed the
        # next morning at 07:30.
        kind, page = next(((k, p) for k, p in reversed(pairs) if INFO[k].default_channel == Channel.DIGEST), pairs[-1])
        for days_ago in range(1, 8):
            day = timezone.localdate(now) - timedelta(days=days_ago)
            created = timezone.make_aware(datetime.combine(day, time(10 + rng.randint(0, 6), rng.randint(0, 59))))
            mailed = timezone.make_aware(datetime.combine(day + timedelta(days=1), time(7, 30)))
            made.append(Notification(recipient=person, kind=kind, link=reverse(page),
                                     created_at=created, mailed_at=mailed, read_at=mailed if days_ago > 2 else None))
    Notification.objects.bulk_create(made)
