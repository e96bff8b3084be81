"""Experience-expert services: domains and profiles."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import policy
from werkbrug.core.choices import Role
from werkbrug.core.models import Region, User

from ..models import (
    Absence,
    CoordinatorAssignment,
    ExpertProfile,
    LivedExperienceDomain,
)
from ._common import _authorize, _invalid

# --- domains and profiles -------------------------------------------------------------------


@transaction.atomic
def domain_create(*, region: Region, name: str, created_by: User) -> LivedExperienceDomain:
    _authorize(created_by, "ee_domain.change", None)
    name = name.strip()
    if not name:
        raise _invalid("name", _("Give the domain a name."), "required")
    if LivedExperienceDomain.objects.filter(region=region, name__iexact=name).exists():
        raise _invalid("name", _("This domain is already on the list."), "duplicate")
    return LivedExperienceDomain.objects.create(region=region, name=name)


@transaction.atomic
def domain_update(*, domain: LivedExperienceDomain, changed_by: User, name: str | None = None,
                  active: bool | None = None) -> LivedExperienceDomain:
    domain = LivedExperienceDomain.objects.select_for_update().get(pk=domain.pk)
    _authorize(changed_by, "ee_domain.change", domain)
    if name is not None:
        name = name.strip()
        if not name:
            raise _invalid("name", _("Give the domain a name."), "required")
        if LivedExperienceDomain.objects.filter(region_id=domain.region_id, name__iexact=name).exclude(pk=domain.pk).exists():
            raise _invalid("name", _("This domain is already on the list."), "duplicate")
        domain.name = name
    if active is not None:
        domain.active = active
    domain.save()
    return domain


def _check_hours(contract_hours: Decimal, limit: Decimal) -> None:
    if contract_hours is None or not (Decimal(0) < Decimal(contract_hours) <= 60):
        raise _invalid("contract_hours", _("Contract hours must be more than 0 and at most 60 a week."), "hours")
    if limit is None or not (Decimal(0) <= Decimal(limit) <= Decimal(contract_hours)):
        raise _invalid("client_contact_limit", _("The own limit must be between 0 and the contract hours."), "limit")


def _check_coordinator(coordinator: User | None, region_id: int) -> None:
    if coordinator is not None and (coordinator.region_id != region_id or not coordinator.has_role(Role.EE_COORDINATOR)):
        raise _invalid("coordinator", _("Choose an experience-expert coordinator of this region."), "coordinator")


PROFILE_FIELDS = {"higher_vocational", "education_field", "training_name", "training_year", "availability", "active"}


@transaction.atomic
def profile_create(*, person: User, created_by: User, contract_hours: Decimal, client_contact_limit: Decimal,
                   coordinator: User | None = None, domains: Iterable[LivedExperienceDomain] = (), **fields) -> ExpertProfile:
    """A new profile. Naming its coordinator is an assignment like any other (`coordinator_assign`):
    only the region administrator makes it, and the expert is told."""
    if not person.is_professional or person.region_id is None or not person.has_role(Role.EXPERIENCE_EXPERT):
        raise _invalid("person", _("This person is not an experience expert."), "not_expert")
    profile = ExpertProfile(person=person, region_id=person.region_id)
    _authorize(created_by, "ee_profile.create", profile)
    if coordinator is not None and not policy.can(created_by, "ee_profile.assign_coordinator", profile):
        raise _invalid("coordinator", _("Only the region administrator decides who coordinates an expert."),
                       "coordinator_not_allowed")
    if ExpertProfile.objects.filter(person=person).exists():
        raise _invalid("person", _("This expert already has a profile."), "duplicate")
    _check_hours(contract_hours, client_contact_limit)
    _check_coordinator(coordinator, person.region_id)
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    profile.contract_hours = Decimal(contract_hours)
    profile.client_contact_limit = Decimal(client_contact_limit)
    for key, value in fields.items():
        setattr(profile, key, value)
    profile.save()
    profile.domains.set([d for d in domains if d.region_id == person.region_id])
    if coordinator is not None:
        coordinator_assign(profile=profile, coordinator=coordinator, assigned_by=created_by)
        profile.refresh_from_db()
    return profile


@transaction.atomic
def profile_update(*, profile: ExpertProfile, changed_by: User, domains: Iterable[LivedExperienceDomain] | None = None,
                   **fields) -> ExpertProfile:
    """The expert's own details. Who coordinates the expert is not among them: `coordinator_assign`."""
    profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
    _authorize(changed_by, "ee_profile.change", profile)
    if "coordinator" in fields:
        raise _invalid("coordinator", _("The region administrator assigns coordinators, not a profile change."),
                       "coordinator_not_allowed")
    allowed = PROFILE_FIELDS | {"contract_hours", "client_contact_limit"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    for key, value in fields.items():
        setattr(profile, key, value)
    _check_hours(profile.contract_hours, profile.client_contact_limit)
    profile.save()
    if domains is not None:
        profile.domains.set([d for d in domains if d.region_id == profile.region_id])
    return profile


@transaction.atomic
def coordinator_assign(*, profile: ExpertProfile, coordinator: User | None, assigned_by: User,
                       now: datetime | None = None) -> CoordinatorAssignment:
    """Make `coordinator` (None: nobody) the expert's coordinator.

    The coordinator reads the expert's wellbeing, so only the region administrator decides it
    (`ee_profile.assign_coordinator`). Every assignment is kept (who, whom, by whom, when) and
    the expert is told by mail — a link, no wellbeing data — and on their own profile page.
    """
    profile = ExpertProfile.objects.select_for_update().select_related("person").get(pk=profile.pk)
    _authorize(assigned_by, "ee_profile.assign_coordinator", profile)
    _check_coordinator(coordinator, profile.region_id)
    if coordinator is not None and coordinator.pk == profile.person_id:
        raise _invalid("coordinator", _("An expert cannot coordinate themselves."), "coordinator")
    if (coordinator.pk if coordinator else None) == profile.coordinator_id:
        raise _invalid("coordinator", _("This is already the expert's coordinator."), "unchanged")
    assignment = CoordinatorAssignment.objects.create(
        profile=profile, coordinator=coordinator, previous_id=profile.coordinator_id, assigned_by=assigned_by,
        assigned_at=now or timezone.now(),
    )
    profile.coordinator = coordinator
    profile.save(update_fields=["coordinator"])
    _tell_expert_about_coordinator(profile, coordinator)
    return assignment


def _tell_expert_about_coordinator(profile: ExpertProfile, coordinator: User | None) -> None:
    """Mail after commit: who coordinates the expert now, with an absolute link; no wellbeing data."""
    import logging
    import smtplib

    from django.conf import settings
    from django.core.mail import send_mail

    email = profile.person.email
    if not email:
        return
    url = settings.WERKBRUG_BASE_URL + reverse("experience_experts:profile", args=[profile.pk])
    if coordinator is None:
        body = _("You no longer have an experience-expert coordinator. See your profile: %(url)s") % {"url": url}
    else:
        body = _("%(name)s is now your experience-expert coordinator and can read your wellbeing check-ins. "
                 "See your profile: %(url)s") % {"name": coordinator.get_full_name(), "url": url}
    subject = _("Werkbrug: your coordinator has changed")

    def deliver() -> None:
        # A mail server that is down must not undo the assignment; the profile page shows it too.
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
        except (OSError, smtplib.SMTPException):
            logging.getLogger(__name__).warning("coordinator mail could not be sent", exc_info=True)

    transaction.on_commit(deliver)


@transaction.atomic
def buddy_pair(*, profile: ExpertProfile, buddy: ExpertProfile | None, changed_by: User) -> ExpertProfile:
    """Buddies are paired both ways; pairing with someone else ends the old pair."""
    profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
    _authorize(changed_by, "ee_profile.change", profile)
    if buddy is not None:
        buddy = ExpertProfile.objects.select_for_update().get(pk=buddy.pk)
        if buddy.pk == profile.pk:
            raise _invalid("buddy", _("An expert cannot be their own buddy."), "self")
        if buddy.region_id != profile.region_id:
            raise _invalid("buddy", _("Choose a buddy in the same region."), "region")
    ExpertProfile.objects.filter(buddy=profile).update(buddy=None)
    if buddy is not None:
        ExpertProfile.objects.filter(buddy=buddy).update(buddy=None)
        buddy.buddy = profile
        buddy.save(update_fields=["buddy"])
    profile.buddy = buddy
    profile.save(update_fields=["buddy"])
    return profile


@transaction.atomic
def absence_add(*, profile: ExpertProfile, start: date, end: date, added_by: User, note: str = "") -> Absence:
    profile = ExpertProfile.objects.select_for_update().get(pk=profile.pk)
    _authorize(added_by, "ee_profile.change", profile)
    if start is None or end is None or end < start:
        raise _invalid("end", _("The end date lies before the start date."), "end_before_start")
    return Absence.objects.create(profile=profile, start=start, end=end, note=note)


@transaction.atomic
def absence_remove(*, absence: Absence, removed_by: User) -> None:
    """Take back a planned absence (plans change): the expert themselves or a coordinator."""
    profile = ExpertProfile.objects.select_for_update().get(pk=absence.profile_id)
    _authorize(removed_by, "ee_profile.change", profile)
    Absence.objects.filter(pk=absence.pk).delete()


def absent_days(profile: ExpertProfile, start: date, end: date) -> int:
    days = set()
    for absence in profile.absences.all():
        first, last = max(start, absence.start), min(end, absence.end)
        while first <= last:
            days.add(first)
            first += timedelta(days=1)
    return len(days)
