"""Demo appointments: three-way talks and conversations in the demo region's trajectories (some
past, some moved, one cancelled, some for a plan action, with an employer contact), and the
coming support-group meetings in the calendars of their facilitators.

The experience-expert demo, which runs before this one, already made the appointments of the
deployments its experts accepted (`appointment_plan_for_deployment`).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db.models import F
from django.utils import timezone

from werkbrug.core import policy
from werkbrug.core.models import Region
from werkbrug.trajectories.models import TeamMembership, Trajectory

from . import services
from .models import AppointmentKind

PLACES = ["UWV Tiel, spreekkamer 2", "Gemeentehuis Culemborg, kamer 1.14", "Werkplein Rivierenland",
          "Bibliotheek Zaltbommel, vergaderruimte", "Kantoor re-integratiebedrijf, Geldermalsen"]
EMPLOYERS = [("Ria van Dam", "r.vandam@example.org"), ("Henk Verbeek", "h.verbeek@example.org"), ("", "")]


def _at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), timezone.get_default_timezone())


def load(region: Region, rng: random.Random) -> None:
    today = timezone.localdate()
    now = timezone.now()
    # Every active trajectory gets its appointments: the demo's files stay alike in what they hold
    # (the attack suite picks the file that reaches the most kinds of data as its victim).
    trajectories = list(Trajectory.objects.filter(region=region, status="active").select_related("client", "client__user")
                        .order_by("pk"))
    for index, trajectory in enumerate(trajectories):
        members = [m.person for m in TeamMembership.objects.filter(trajectory=trajectory, left_at__isnull=True)
                   .select_related("person").order_by("joined_at", "pk")
                   if policy.can(m.person, "appointment.create", trajectory)]
        if not members:
            continue
        planner, others = members[0], members[1:3]
        action = _open_action(trajectory)
        # One past conversation, one coming three-way talk.
        past_day = today - timedelta(days=7 + rng.randrange(20))
        services.appointment_plan(
            planned_by=planner, trajectory=trajectory, kind=AppointmentKind.CONVERSATION, starts_at=_at(past_day, 10),
            ends_at=_at(past_day, 11), place=rng.choice(PLACES), with_client=True, participants=others[:1],
            now=now - timedelta(days=30),
        )
        day = today + timedelta(days=2 + index % 10)
        if day.weekday() >= 5:
            day += timedelta(days=7 - day.weekday())
        employer, email = EMPLOYERS[index % len(EMPLOYERS)]
        hour = 9 + index % 7
        talk = services.appointment_plan(
            planned_by=planner, trajectory=trajectory, kind=AppointmentKind.THREE_WAY if employer else AppointmentKind.CONVERSATION,
            starts_at=_at(day, hour), ends_at=_at(day, hour, 45), place="" if index % 4 == 3 else rng.choice(PLACES),
            video_link=f"https://video.example.org/werkbrug-{trajectory.pk}" if index % 4 == 3 else "",
            with_client=True, participants=others, employer_contact_name=employer, employer_contact_email=email,
            plan_action=action, now=now - timedelta(days=3),
        )
        if index % 5 == 1:  # moved by a day
            services.appointment_update(
                appointment=talk, changed_by=planner, kind=talk.kind, starts_at=talk.starts_at + timedelta(days=1),
                ends_at=talk.ends_at + timedelta(days=1), place=talk.place, video_link=talk.video_link,
                with_client=True, participants=list(talk.participants.all()), employer_contact_name=employer,
                employer_contact_email=email, plan_action=action, reason="Werkgever kon niet op de eerste dag",
                now=now - timedelta(days=1),
            )
        elif index % 7 == 4:
            services.appointment_cancel(appointment=talk, cancelled_by=planner, reason="Cliënt heeft zich afgemeld",
                                        now=now - timedelta(days=1))
    _support_group_meetings(region, now)


def _open_action(trajectory: Trajectory):
    from werkbrug.plans.models import Action

    return Action.objects.filter(version__plan__trajectory=trajectory, version__plan__current_version=F("version"),
                                 status="open").order_by("due_on", "pk").first()


def _support_group_meetings(region: Region, now: datetime) -> None:
    """The coming support-group meetings in the calendars of their facilitators."""
    from werkbrug.experience_experts.models import SupportGroupMeeting

    for meeting in (SupportGroupMeeting.objects.filter(group__region=region, starts_at__gt=now)
                    .select_related("group").prefetch_related("group__facilitators").order_by("starts_at")[:3]):
        facilitators = list(meeting.group.facilitators.all())
        if not facilitators:
            continue
        services.appointment_plan(
            planned_by=facilitators[0], kind=AppointmentKind.SUPPORT_GROUP, starts_at=meeting.starts_at,
            ends_at=meeting.ends_at, place="UWV Tiel, groepsruimte", participants=facilitators[1:],
            support_group_meeting=meeting, now=now - timedelta(days=7),
        )
