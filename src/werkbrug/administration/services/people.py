"""People of the region: invited, changed, given and relieved of roles, linked to a sign-in
identity. Deactivation and reactivation: `deactivation.py`.

An invited person gets an account without a usable password and a mail with a set-password link
(Django's password-reset tokens: the link works once, and no longer after the password is set or
after `PASSWORD_RESET_TIMEOUT`). Role rules that hold elsewhere hold here too: roles are for
professionals of an organisation; a casework role cannot be taken while the person sits in a
client's team in that role (`team.join` would no longer allow the seat: hand it over first); the
region keeps at least one active region administrator; an account is deactivated only once
nothing is left in the person's hands (`handovers.open_seats`), so no client is left without a
plan director or team member through a deactivation.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from werkbrug.core import policy
from werkbrug.core.choices import CASEWORK_ROLES, TWO_FACTOR_ROLES, Role, UserKind
from werkbrug.core.links import absolute_url
from werkbrug.core.models import Organisation, RoleAssignment, User
from werkbrug.core.principal import forget

from ..models import EventAction, OIDCIdentity
from ..selectors import open_seats
from .audit import changes, event_record, snapshot

PERSON_FIELDS = ("first_name", "last_name", "email", "organisation_id", "job_title", "phone")
log = logging.getLogger(__name__)


def _field_error(field: str, message: Any, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _check_organisation(actor: User, organisation: Organisation | None) -> None:
    if organisation is None or organisation.region_id != actor.region_id:
        raise _field_error("organisation", _("Choose an organisation of your region."), "organisation")


def _check_email(email: str, *, exclude: int | None = None) -> str:
    email = (email or "").strip().lower()
    if not email:
        raise _field_error("email", _("Give an e-mail address: the invitation is sent there."), "required")
    clash = User.objects.filter(email__iexact=email)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        # Sign-in through the provider matches by e-mail address: it must name one person.
        raise _field_error("email", _("Someone already has this e-mail address."), "duplicate")
    return email


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise _field_error("role", _("Choose one of the roles."), "role")


def _lock(person: User) -> User:
    return User.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=person.pk)


def set_password_link(person: User) -> str:
    """The absolute set-password address for `person`, valid until the password is set."""
    path = reverse("administration:welcome", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
        "token": default_token_generator.make_token(person),
    })
    return absolute_url(path)


def _send_invitation(person: User, inviter: User) -> None:
    """Mail after commit: the set-password link, in Dutch; nothing about clients or health."""
    link = set_password_link(person)
    with translation.override("nl"):
        subject = gettext("Your Werkbrug account")
        body = gettext(
            "Hello %(name)s,\n\n"
            "%(inviter)s has made a Werkbrug account for you at %(organisation)s.\n"
            "Choose your password here (the link works once, for a few days):\n\n%(link)s\n\n"
            "Your user name is %(username)s. If you did not expect this mail, you can ignore it.\n"
        ) % {
            "name": person.get_full_name(), "inviter": inviter.get_full_name() or inviter.username,
            "organisation": person.organisation, "link": link, "username": person.username,
        }

    def deliver() -> None:
        # A mail server that is down must not undo the invitation: it can be sent again.
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
        except (OSError, smtplib.SMTPException):
            log.warning("invitation mail could not be sent", exc_info=True)

    transaction.on_commit(deliver)


@transaction.atomic
def person_invite(
    *, actor: User, first_name: str, last_name: str, email: str, organisation: Organisation,
    job_title: str = "", phone: str = "", roles: list[str] | tuple[str, ...] = (),
) -> User:
    """A new professional of `organisation`, with `roles`, and the invitation mail."""
    policy.authorize(actor, "person.change", organisation)
    _check_organisation(actor, organisation)
    if not (first_name or "").strip() or not (last_name or "").strip():
        raise _field_error("last_name", _("Give the person's first and last name."), "required")
    email = _check_email(email)
    for role in roles:
        _check_role(role)
    person = User(
        username=email, first_name=first_name.strip(), last_name=last_name.strip(), email=email,
        kind=UserKind.PROFESSIONAL, region_id=actor.region_id, organisation=organisation,
        job_title=(job_title or "").strip(), phone=(phone or "").strip(), is_active=True,
    )
    person.set_unusable_password()
    person.full_clean(exclude=["password", "region", "organisation"])
    person.save()
    RoleAssignment.objects.bulk_create([RoleAssignment(person=person, role=role) for role in sorted(set(roles))])
    after = snapshot(person, PERSON_FIELDS) | {"roles": sorted(set(roles))}
    event_record(actor=actor, action=EventAction.PERSON_INVITED, region_id=actor.region_id, person=person,
                 organisation=organisation, after=after)
    _send_invitation(person, actor)
    return person


@transaction.atomic
def invitation_resend(*, person: User, actor: User) -> User:
    """A new link for someone who has not set a password yet (the old link stays valid until then)."""
    person = _lock(person)
    policy.authorize(actor, "person.change", person)
    if person.has_usable_password() or not person.is_active:
        raise ValidationError(_("This person has already chosen a password."), code="already_set")
    event_record(actor=actor, action=EventAction.INVITATION_RESENT, region_id=person.region_id, person=person)
    _send_invitation(person, actor)
    return person


@sensitive_variables("password")
@transaction.atomic
def invitation_accept(*, person: User, token: str, password: str) -> User:
    """The invited person chooses a password through the link (checked again under the lock)."""
    person = _lock(person)
    if not person.is_active or not default_token_generator.check_token(person, token):
        raise ValidationError(_("This link is no longer valid. Ask your region administrator for a new one."), code="token")
    person.set_password(password)
    person.save(update_fields=["password"])
    event_record(actor=person, action=EventAction.PASSWORD_SET, region_id=person.region_id, person=person)
    return person


@transaction.atomic
def person_update(*, person: User, actor: User, **fields: Any) -> User:
    """Name, mail address, organisation, job title, phone."""
    person = _lock(person)
    policy.authorize(actor, "person.change", person)
    if not person.is_professional:
        raise ValidationError(_("Only professionals are administered here."), code="not_professional")
    unknown = set(fields) - {"first_name", "last_name", "email", "organisation", "job_title", "phone"}
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}, code="unknown_field")
    before = snapshot(person, PERSON_FIELDS)
    if "organisation" in fields:
        organisation = fields.pop("organisation")
        _check_organisation(actor, organisation)
        if organisation.pk != person.organisation_id and open_seats(person):
            # A team seat belongs to the organisation the client consented to: hand it over first.
            raise _field_error("organisation", _("This person still works in client teams for their organisation. Hand those over first."), "hand_over_first")
        person.organisation = organisation
    if "email" in fields:
        person.email = _check_email(fields.pop("email"), exclude=person.pk)
    for name, value in fields.items():
        setattr(person, name, (value or "").strip())
    if not person.first_name or not person.last_name:
        raise _field_error("last_name", _("Give the person's first and last name."), "required")
    person.full_clean(exclude=["password", "region", "organisation", "username"])
    old, new = changes(before, snapshot(person, PERSON_FIELDS))
    if not new:
        return person
    person.save()
    event_record(actor=actor, action=EventAction.PERSON_CHANGED, region_id=person.region_id, person=person,
                 organisation=person.organisation, before=old, after=new)
    return person


def _active_region_admins(region_id: int) -> int:
    return User.objects.filter(region_id=region_id, is_active=True, role_assignments__role=Role.REGION_ADMIN).count()


@transaction.atomic
def role_give(*, person: User, role: str, actor: User) -> RoleAssignment:
    """Give a role. A role in `TWO_FACTOR_ROLES` makes the person set up two factors at their
    next sign-in (the middleware asks; the audit trail records that it will)."""
    person = _lock(person)
    policy.authorize(actor, "person.change", person)
    _check_role(role)
    if not person.is_professional or person.organisation_id is None or not person.is_active:
        raise _field_error("role", _("Roles are given to active professionals of an organisation."), "not_professional")
    held = frozenset(person.roles)
    if role in held:
        raise _field_error("role", _("This person already has this role."), "duplicate")
    assignment = RoleAssignment.objects.create(person=person, role=role)
    forget(person.pk)
    event_record(actor=actor, action=EventAction.ROLE_GIVEN, region_id=person.region_id, person=person,
                 organisation=person.organisation, before={"roles": sorted(held)},
                 after={"roles": sorted(held | {role}), "two_factor": role in TWO_FACTOR_ROLES})
    return assignment


@transaction.atomic
def role_take(*, person: User, role: str, actor: User) -> None:
    person = _lock(person)
    policy.authorize(actor, "person.change", person)
    _check_role(role)
    held = frozenset(person.roles)
    assignment = RoleAssignment.objects.select_for_update().filter(person=person, role=role).first()
    if assignment is None:
        raise _field_error("role", _("This person does not have this role."), "not_held")
    if role in CASEWORK_ROLES and any(seat.role == role for seat in open_seats(person)):
        raise _field_error("role", _("This person still works in client teams in this role. Hand those over first."), "hand_over_first")
    if role == Role.REGION_ADMIN and _active_region_admins(person.region_id) <= 1:
        raise _field_error("role", _("The region needs at least one region administrator."), "last_admin")
    assignment.delete()
    forget(person.pk)
    event_record(actor=actor, action=EventAction.ROLE_TAKEN, region_id=person.region_id, person=person,
                 organisation=person.organisation, before={"roles": sorted(held)},
                 after={"roles": sorted(held - {role})})


@transaction.atomic
def identity_link(*, person: User, subject: str, actor: User, label: str = "") -> OIDCIdentity:
    """Link the provider's subject (`sub`) to `person`: from then on only a linked subject signs
    them in through the provider (`administration/oidc.py`)."""
    person = _lock(person)
    policy.authorize(actor, "person.change", person)
    subject = (subject or "").strip()
    if not subject or len(subject) > 255:
        raise _field_error("subject", _("Give the identifier (sub) the sign-in provider uses for this person."), "required")
    if OIDCIdentity.objects.filter(subject=subject).exists():
        raise _field_error("subject", _("This identity is already linked to an account."), "duplicate")
    identity = OIDCIdentity.objects.create(person=person, subject=subject, label=(label or "").strip()[:120],
                                           linked_at=timezone.now(), linked_by=actor)
    event_record(actor=actor, action=EventAction.IDENTITY_LINKED, region_id=person.region_id, person=person,
                 after={"subject": subject, "label": identity.label})
    return identity


@transaction.atomic
def identity_unlink(*, identity: OIDCIdentity, actor: User) -> None:
    identity = OIDCIdentity.objects.select_for_update().select_related("person").get(pk=identity.pk)
    person = identity.person
    policy.authorize(actor, "person.change", person)
    event_record(actor=actor, action=EventAction.IDENTITY_UNLINKED, region_id=person.region_id, person=person,
                 before={"subject": identity.subject, "label": identity.label})
    identity.delete()
    forget(person.pk)
