"""Demo data: a year of ambassador questions with recurring themes, answers, lates and two proposals.

Everything goes through the real services, deterministic from `rng`. Mail is silenced.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from werkbrug.core.choices import CASEWORK_ROLES, Role
from werkbrug.core.models import Region, RoleAssignment, User

from . import notify, services, synthetic
from .models import Ambassador, Question, QuestionGroup, Topic

TOPICS = [
    ("benefits", "Uitkeringen en regels"),
    ("care", "Toegang tot zorg"),
    ("debts", "Schulden"),
    ("work", "Werkgevers en werk"),
    ("privacy", "Privacy en gegevens delen"),
    ("process", "Samenwerking en proces"),
]
QUESTIONS = 180


def _second_ambassadors(region: Region) -> None:
    """Give three organisations a second ambassador, so escalation has a colleague to go to."""
    for short in ("GGZ-R", "UWV", "Gem. Bommelstad"):
        candidate = (User.objects.filter(region=region, organisation__short_name=short, role_assignments__role__in=list(CASEWORK_ROLES))
                     .exclude(role_assignments__role=Role.AMBASSADOR).order_by("id").first())
        if candidate is not None:
            RoleAssignment.objects.get_or_create(person=candidate, role=Role.AMBASSADOR)


def load(region: Region, rng: random.Random) -> None:
    with notify.silenced():
        _load(region, rng)


def _load(region: Region, rng: random.Random) -> None:
    admin = User.objects.filter(region=region, is_superuser=True).first() or User.objects.filter(region=region, role_assignments__role=Role.REGION_ADMIN).first()
    topics = {key: Topic.objects.create(region=region, name=name, position=i) for i, (key, name) in enumerate(TOPICS)}
    _second_ambassadors(region)
    people = User.objects.filter(region=region, role_assignments__role=Role.AMBASSADOR).select_related("organisation").order_by("organisation__name", "id")
    by_org: dict[int, list[Ambassador]] = {}
    for person in people:
        position = len(by_org.get(person.organisation_id, []))
        ambassador = services.ambassador_appoint(person=person, appointed_by=admin, position=position)
        by_org.setdefault(person.organisation_id, []).append(ambassador)
    for ambassadors in by_org.values():
        for a in ambassadors:
            services.ambassador_set_stand_ins(ambassador=a, stand_ins=[b for b in ambassadors if b != a], changed_by=admin)
    orgs_by_type: dict[str, list] = {}
    for ambassadors in by_org.values():
        org = ambassadors[0].organisation
        orgs_by_type.setdefault(org.type, []).append(org)
    all_orgs = [a[0].organisation for a in by_org.values()]
    askers = list(User.objects.filter(region=region, role_assignments__role__in=list(CASEWORK_ROLES)).distinct().order_by("id"))
    now = timezone.now()
    start = now - timedelta(days=365)
    # A few absences in the past year, routed around when the questions come in.
    for ambassadors in list(by_org.values())[:3]:
        first = start.date() + timedelta(days=rng.randrange(60, 300))
        services.absence_add(ambassador=ambassadors[0], starts_on=first, ends_on=first + timedelta(days=rng.randrange(3, 15)),
                             reason=rng.choice(["holiday", "sick"]), recorded_by=admin, now=start)
    data = synthetic.questions(rng, QUESTIONS)
    moments = sorted(_working_moment(rng, start, now) for _ in data)
    created: list[tuple[Question, str]] = []
    for (label, topic_key, org_type, text), asked_at in zip(data, moments, strict=True):
        org = rng.choice(orgs_by_type.get(org_type) or all_orgs)
        asker = rng.choice([p for p in askers if p.organisation_id != org.pk] or askers)
        question = services.question_ask(asked_by=asker, organisation=org, topic=topics[topic_key], text=text,
                                         urgency="urgent" if rng.random() < 0.15 else "normal", now=asked_at)
        created.append((question, label))
    published_labels: set[str] = set()
    for question, label in created:
        _answer(question, label, rng, now, published_labels)
    services.groups_rebuild(region=region, now=now)
    _proposals(region, rng, now)


def _working_moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    for _ in range(50):
        moment = start + timedelta(seconds=rng.randrange(int((end - start).total_seconds() - 3 * 86400)))
        local = timezone.localtime(moment)
        if local.weekday() < 5 and 8 <= local.hour < 18:
            return moment
    return moment


def _answer(question: Question, label: str, rng: random.Random, now: datetime, published: set[str]) -> None:
    roll = rng.random()
    if question.asked_at > now - timedelta(days=4) and roll < 0.6:
        return  # recent and still open
    hours = question.deadline_hours
    if roll < 0.78:
        delay = timedelta(hours=rng.uniform(0.5, hours * 0.95))
    elif roll < 0.93:
        delay = timedelta(hours=rng.uniform(hours * 1.05, hours * 2.8))  # late
    else:
        delay = timedelta(hours=rng.uniform(hours * 3.2, hours * 5))  # more than three times late
    answered_at = question.asked_at + delay
    if answered_at >= question.reminder_due_at:
        services.question_remind(question=question, now=question.reminder_due_at)
    if answered_at >= question.deadline_at:
        services.question_escalate(question=question, now=question.deadline_at)
    question.refresh_from_db()
    author = question.assignee.person if question.assignee else Ambassador.objects.filter(organisation=question.organisation).first().person
    answer = synthetic.ANSWERS.get(label, synthetic.DEFAULT_ANSWER)
    services.question_answer(question=question, author=author, text=answer, now=answered_at)
    if rng.random() < 0.7:
        services.question_rate(question=question, person=question.asked_by, useful=rng.random() < 0.85,
                               now=answered_at + timedelta(hours=rng.uniform(1, 48)))
    if label in synthetic.ANSWERS and label not in published and rng.random() < 0.5:
        published.add(label)
        services.question_publish(question=question, person=author, public_question=synthetic.THEMES[label][2][0],
                                  public_answer=answer, now=answered_at + timedelta(days=1))


def _proposals(region: Region, rng: random.Random, now: datetime) -> None:
    from django.db.models import Count

    groups = list(QuestionGroup.objects.filter(region=region).annotate(n=Count("questions")).order_by("-n", "id")[:2])
    author = Ambassador.objects.filter(organisation__region=region).select_related("person").order_by("id").first().person
    if len(groups) < 2:
        return
    drafted = now - timedelta(days=120)
    first = services.proposal_draft(
        region=region, by=author, title="Eén vast loket voor vragen over inkomsten naast een uitkering",
        problem="Professionals stellen steeds dezelfde vragen over het verrekenen van loon met een uitkering. Cliënten stellen werk uit uit angst voor inkomensverlies.",
        process="Verrekening van inkomsten (UWV en gemeente), informatie aan cliënt en jobcoach.",
        proposal="Eén rekenhulp en één aanspreekpunt per organisatie; ambassadeurs houden een actuele Q&A bij.",
        audience="portfolio_holders", groups=[groups[0]], now=drafted)
    services.proposal_transition(proposal=first, to_status="presented", by=author, on=(drafted + timedelta(days=30)).date(), now=now)
    services.proposal_transition(proposal=first, to_status="accepted", by=author, on=(drafted + timedelta(days=45)).date(),
                                 note="Aangenomen in het portefeuillehoudersoverleg; uitwerking door UWV en gemeenten.", now=now)
    uwv = Ambassador.objects.filter(organisation__region=region, organisation__short_name="UWV").select_related("organisation").first()
    services.proposal_draft(
        region=region, by=author, title="Afspraken over terugkerende vragen: " + (", ".join(groups[1].terms[:3]) or "tweede groep"),
        problem="Een terugkerende vraag zonder vaste werkafspraak tussen de organisaties.",
        process="Samenwerking tussen de betrokken organisaties.",
        proposal="Een werkafspraak op één A4, besproken in het MT en gedeeld met alle professionals.",
        audience="management", audience_organisation=uwv.organisation if uwv else None,
        groups=[groups[1]], now=now - timedelta(days=10))
