"""Experience-expert services: support groups."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients.models import Client
from werkbrug.core.models import Organisation, User

from ..models import (
    DEFAULT_MEETINGS,
    DEFAULT_THEMES,
    Attendance,
    SupportGroup,
    SupportGroupMeeting,
    SupportGroupParticipant,
)
from ._common import _authorize, _invalid
from .requests import _has_participation_consent

# --- support groups ---------------------------------------------------------------------------


def _check_facilitator_overlap(facilitators: Iterable[User], starts_at: datetime, ends_at: datetime,
                               exclude_meeting: int | None = None) -> None:
    if ends_at <= starts_at:
        raise _invalid("ends_at", _("A meeting ends after it starts."), "end_before_start")
    for person in facilitators:
        clash = (
            SupportGroupMeeting.objects.filter(group__facilitators=person, starts_at__lt=ends_at, ends_at__gt=starts_at)
            .exclude(pk=exclude_meeting).select_related("group").first()
        )
        if clash is not None:
            raise ValidationError(
                _("%(name)s already facilitates a meeting at that time (%(group)s, meeting %(n)s).")
                % {"name": person, "group": clash.group.name, "n": clash.number},
                code="overlap",
            )


@transaction.atomic
def support_group_create(
    *, organisation: Organisation, name: str, facilitators: Iterable[User], created_by: User, first_meeting_at: datetime,
    meetings: int = DEFAULT_MEETINGS, interval_days: int = 7, duration_minutes: int = 120, now: datetime | None = None,
) -> SupportGroup:
    """A series of meetings (default six, weekly) with the default themes, to be adapted with the group."""
    _authorize(created_by, "support_group.create", None)
    facilitators = list(facilitators)
    name = (name or "").strip()
    if not name:
        raise _invalid("name", _("Give the group a name."), "required")
    if not facilitators:
        raise _invalid("facilitators", _("Choose at least one facilitator."), "required")
    if organisation.region_id != created_by.region_id or any(f.region_id != created_by.region_id for f in facilitators):
        raise ValidationError(_("The organisation and the facilitators must be in your region."), code="region")
    if not 1 <= int(meetings) <= 20:
        raise _invalid("meetings", _("A series has 1 to 20 meetings."), "meetings")
    if not 15 <= int(duration_minutes) <= 480:
        raise _invalid("duration_minutes", _("A meeting lasts 15 minutes to 8 hours."), "duration")
    group = SupportGroup.objects.create(region_id=organisation.region_id, organisation=organisation, name=name,
                                        created_by=created_by, created_at=now or timezone.now())
    for number in range(1, int(meetings) + 1):
        starts_at = first_meeting_at + timedelta(days=interval_days * (number - 1))
        ends_at = starts_at + timedelta(minutes=int(duration_minutes))
        _check_facilitator_overlap(facilitators, starts_at, ends_at)
        theme = DEFAULT_THEMES[number - 1] if number <= len(DEFAULT_THEMES) else DEFAULT_THEMES[-1]
        SupportGroupMeeting.objects.create(group=group, number=number, theme=str(theme), starts_at=starts_at, ends_at=ends_at)
    group.facilitators.set(facilitators)
    return group


@transaction.atomic
def meeting_update(*, meeting: SupportGroupMeeting, changed_by: User, theme: str, starts_at: datetime,
                   ends_at: datetime, notes: str = "") -> SupportGroupMeeting:
    meeting = SupportGroupMeeting.objects.select_for_update(of=("self",)).select_related("group").get(pk=meeting.pk)
    _authorize(changed_by, "support_group.change", meeting.group)
    if not (theme or "").strip():
        raise _invalid("theme", _("Give the meeting a theme."), "required")
    _check_facilitator_overlap(meeting.group.facilitators.all(), starts_at, ends_at, exclude_meeting=meeting.pk)
    meeting.theme, meeting.starts_at, meeting.ends_at, meeting.notes = theme.strip(), starts_at, ends_at, notes
    meeting.save()
    return meeting


@transaction.atomic
def participant_add(*, group: SupportGroup, client: Client, added_by: User, now: datetime | None = None) -> SupportGroupParticipant:
    """A client joins the group — only with consent for the group's organisation to take part."""
    group = SupportGroup.objects.select_for_update().get(pk=group.pk)
    participant = SupportGroupParticipant(group=group, client=client, added_by=added_by, added_at=now or timezone.now())
    if client.region_id == group.region_id and not _has_participation_consent(client, group.organisation_id):
        raise _invalid("client", _("The client has not consented to %(org)s taking part. Record the consent first.")
             % {"org": group.organisation}, "no_consent")
    _authorize(added_by, "support_group.add_participant", participant)
    if SupportGroupParticipant.objects.filter(group=group, client=client).exists():
        raise _invalid("client", _("This client already takes part."), "duplicate")
    participant.save()
    return participant


@transaction.atomic
def attendance_record(*, meeting: SupportGroupMeeting, present: Iterable[int], recorded_by: User,
                      notes: str | None = None) -> list[Attendance]:
    """Who was there (participant ids); everyone else of the group is recorded absent."""
    meeting = SupportGroupMeeting.objects.select_for_update(of=("self",)).select_related("group").get(pk=meeting.pk)
    _authorize(recorded_by, "support_group.change", meeting.group)
    present = {int(p) for p in present}
    participants = list(meeting.group.participants.all())
    unknown = present - {p.pk for p in participants}
    if unknown:
        raise ValidationError(_("Someone ticked is not a participant of this group."), code="unknown_participant")
    result = []
    for participant in participants:
        row, _created = Attendance.objects.update_or_create(
            meeting=meeting, participant=participant, defaults={"present": participant.pk in present}
        )
        result.append(row)
    if notes is not None:
        meeting.notes = notes
        meeting.save(update_fields=["notes"])
    return result
