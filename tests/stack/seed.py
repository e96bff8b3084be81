"""The whole-stack test's data, made through the real services in the stack's own database.

Run by `tests/stack/stack.py` as `python -m tests.stack.seed` with the stack's environment
(production settings). Prints one JSON object: the people, their password and the labour
expert's TOTP key, and the objects the flow follows.

A client in an active trajectory with a GGZ jobcoach (the plan director) and a UWV labour expert
(who signs in through the web processes); a UWV ambassador who was asked a question; the
region's escalation time shortened to seconds.
"""

from __future__ import annotations

import json
import secrets
from datetime import date, timedelta

import django


def main() -> None:
    django.setup()
    from django.db import transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from werkbrug.ambassadors import services as ambassadors
    from werkbrug.ambassadors.models import Question, Topic
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import client_register, consent_grant
    from werkbrug.core.choices import DataCategory, OrganisationType, Role
    from werkbrug.core.models import Organisation, Region, RoleAssignment, User
    from werkbrug.trajectories.services import team_member_add, trajectory_start

    password = secrets.token_urlsafe(16)

    def person(org, username, first, last, *roles):
        user = User.objects.create_user(username=username, password=password, first_name=first, last_name=last,
                                        email=f"{username}@stack.test", region=org.region, organisation=org)
        RoleAssignment.objects.bulk_create([RoleAssignment(person=user, role=role) for role in roles])
        return user

    with transaction.atomic():
        # Shortened time: an urgent signal nobody acknowledges escalates after 8 seconds (the
        # region's own setting, as a region administrator would set it, in hours).
        region = Region.objects.create(name="Stackregio", slug="stackregio",
                                       settings={"SIGNAL_ESCALATION_HOURS": 8 / 3600})
        ggz = Organisation.objects.create(region=region, name="GGZ Stack", type=OrganisationType.GGZ)
        uwv = Organisation.objects.create(region=region, name="UWV Stack", type=OrganisationType.UWV)
        admin = person(ggz, "stack.beheer", "Rita", "Beheer", Role.REGION_ADMIN)
        jobcoach = person(ggz, "stack.jobcoach", "Jet", "Coach", Role.JOBCOACH)
        expert = person(uwv, "stack.arbeidsdeskundige", "Lars", "Deskundige", Role.LABOUR_EXPERT)
        ambassador_person = person(uwv, "stack.ambassadeur", "Anna", "Ambassadeur", Role.AMBASSADOR)
        ambassador = ambassadors.ambassador_appoint(person=ambassador_person, appointed_by=admin, position=0)
        topic = Topic.objects.create(region=region, name="Uitkeringen en regels", position=0)

        client = client_register(registered_by=jobcoach, first_name="Sam", last_name="Stackcliënt",
                                 date_of_birth=date(1990, 5, 17))
        trajectory = trajectory_start(client=client, started_by=jobcoach, role=Role.JOBCOACH,
                                      consent_method=ConsentMethod.VERBAL)
        for by, categories in (
            (jobcoach, [DataCategory.PLAN, DataCategory.SIGNALS, DataCategory.CARE]),
            (expert, [DataCategory.PARTICIPATION]),
        ):
            for category in categories:
                consent_grant(client=client, organisation=by.organisation, category=category, recorded_by=by,
                              method=ConsentMethod.PAPER, evidence="Getekend formulier S-1")
        # The labour expert joins the team: a "you joined a team" notice, which goes by the digest.
        team_member_add(trajectory=trajectory, person=expert, role=Role.LABOUR_EXPERT, added_by=jobcoach)
        for category in (DataCategory.PLAN, DataCategory.SIGNALS):
            consent_grant(client=client, organisation=uwv, category=category, recorded_by=expert,
                          method=ConsentMethod.PAPER, evidence="Getekend formulier S-1")

        # The jobcoach asks UWV's ambassador a question (48 hours to answer). Shortened time: its
        # reminder moment (at 75 %) is brought forward to a few seconds from now.
        question = ambassadors.question_ask(
            asked_by=jobcoach, organisation=uwv, topic=topic,
            text="Hoe werkt de inkomstenverrekening als iemand parttime gaat werken?")
        Question.objects.filter(pk=question.pk).update(reminder_due_at=timezone.now() + timedelta(seconds=5))

        device = TOTPDevice.objects.create(user=expert, name="authenticator", confirmed=True)

    print(json.dumps({
        "password": password,
        "jobcoach": {"pk": jobcoach.pk, "username": jobcoach.username, "email": jobcoach.email},
        "expert": {"pk": expert.pk, "username": expert.username, "email": expert.email,
                   "first_name": expert.first_name, "totp_key": device.key},
        "ambassador": {"pk": ambassador_person.pk, "email": ambassador_person.email, "id": ambassador.pk},
        "trajectory": trajectory.pk,
        "question": question.pk,
    }))


if __name__ == "__main__":
    main()
