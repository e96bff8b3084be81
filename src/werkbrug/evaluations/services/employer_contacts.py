"""A participant's employer research contact: whom the worker may mail the employer questionnaires
of the study's schedule.

Werkbrug keeps no employer addresses of its own. A researcher of the study records a contact
person (name and e-mail address) for a participant only with the client's permission, and the
date it was given: in IPS the client decides whether their employer may be contacted at all, and
many keep their mental health to themselves at work. When the client withdraws the permission
the contact is removed (`employer_contact_remove`); nothing of it is kept. With a contact the
worker (`schedules.schedule_run`) sends the employer invitations and reminders; without one they
are sent by hand with personal links, as before. The contact never appears in an export.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import policy

from .. import workflow
from ..models import EmployerContact, Participant

if TYPE_CHECKING:
    from werkbrug.core.models import User

MAX_NAME = 120


def _locked(participant: Participant, user: User) -> Participant:
    participant = Participant.objects.select_for_update().select_related("study", "client").get(pk=participant.pk)
    policy.authorize(user, "participant.change", participant)
    workflow.study_require(participant.study, workflow.StudyAction.PARTICIPANTS)
    return participant


@transaction.atomic
def employer_contact_set(
    *, participant: Participant, recorded_by: User, name: str, email: str, permission: bool,
    permission_given_on: date | None, now: datetime | None = None,
) -> EmployerContact:
    """Record (or change) the employer contact; `permission` says the client agreed that this
    employer may be contacted for the study, on `permission_given_on` (not in the future)."""
    participant = _locked(participant, recorded_by)
    now = now or timezone.now()
    errors: dict[str, ValidationError] = {}
    name, email = (name or "").strip(), (email or "").strip()
    if not name or len(name) > MAX_NAME:
        errors["name"] = ValidationError(
            _("Give the contact person's name (at most %(n)s characters).") % {"n": MAX_NAME}, code="name")
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ValidationError(_("Give a valid e-mail address."), code="email")
    if not permission:
        errors["permission"] = ValidationError(
            _("Only with the client's permission to contact this employer for the study."), code="permission_required")
    if permission_given_on is None:
        errors["permission_given_on"] = ValidationError(_("Give the date of the client's permission."),
                                                        code="permission_date")
    elif permission_given_on > timezone.localdate(now):
        errors["permission_given_on"] = ValidationError(_("The date of the permission lies in the future."),
                                                        code="permission_date")
    if errors:
        raise ValidationError(errors)
    contact, _created = EmployerContact.objects.update_or_create(
        participant=participant,
        defaults={"name": name, "email": email, "permission_given_on": permission_given_on,
                  "recorded_by": recorded_by, "recorded_at": now},
    )
    return contact


@transaction.atomic
def employer_contact_remove(*, participant: Participant, removed_by: User) -> None:
    """The client withdrew the permission (or the job ended): the contact is erased; employer
    questionnaires for this participant go back to being sent by hand."""
    participant = _locked(participant, removed_by)
    EmployerContact.objects.filter(participant=participant).delete()
