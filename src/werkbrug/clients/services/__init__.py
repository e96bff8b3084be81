"""Writes for the client record and consent.

Consent (AVG art. 9): GGZ data goes to a W&I organisation only with the client's explicit
consent for that organisation and that kind of data. Consent belongs to the client: the client
gives and withdraws it in the portal, for any organisation. A professional records only consent
the client gave to their own organisation, noting how (verbally, on paper), when, and where it
can be checked (`evidence`: the signed form's reference); the client sees every such recording
in the portal, with a one-click withdraw (the policy's `consent.record` / `consent.withdraw`).
Consent may end on a date, and it can be withdrawn at any moment with immediate effect: the
policy reads the current state on every access. Withdrawing `participation` ends the
organisation's team memberships in the same transaction. Every grant and withdrawal is a new
`ConsentEvent` (history is never edited); `ConsentState` holds the current answer.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from werkbrug.core import crypto, policy
from werkbrug.core.access_log import access_log_write
from werkbrug.core.choices import DataCategory
from werkbrug.core.models import Organisation, Region
from werkbrug.core.policy import memo
from werkbrug.core.policy.clients import ConsentChange

from ..bsn import is_valid_bsn, normalise_bsn
from ..models import Client, ConsentEvent, ConsentMethod, ConsentState
from ..selectors import latest_consent_event_id

if TYPE_CHECKING:
    from werkbrug.core.models import User

__all__ = ["client_register", "client_update", "consent_grant", "consent_grant_many", "consent_withdraw", "bsn_hash"]


# `sensitive_variables()`: the BSN is never shown in an error report (these frames and the ones
# they call show no local variables at all).
@sensitive_variables()
def bsn_hash(bsn: str) -> str:
    return crypto.keyed_hash(normalise_bsn(bsn), "bsn")


@sensitive_variables()
def _check_bsn(*, region: Region, bsn: str, exclude_pk: int | None = None) -> str:
    if not is_valid_bsn(bsn):
        raise ValidationError({"bsn": ValidationError(_("This is not a valid citizen service number (BSN): it fails the eleven test."), code="invalid_bsn")})
    digest = bsn_hash(bsn)
    clash = Client.objects.filter(region=region, bsn_hash=digest)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"bsn": ValidationError(_("A client with this BSN is already registered in this region."), code="duplicate_bsn")})
    return digest


@sensitive_variables()
@transaction.atomic
def client_register(
    *,
    registered_by: User,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    bsn: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    postcode: str = "",
    city: str = "",
    benefit: str = "none",
) -> Client:
    """Register a client in the professional's region (the trajectory is started separately)."""
    region = registered_by.region
    if region is None:
        raise ValidationError(_("You are not linked to a region."), code="no_region")
    if date_of_birth > timezone.localdate():
        raise ValidationError({"date_of_birth": ValidationError(_("The date of birth lies in the future."), code="future")})
    client = Client(
        region=region, first_name=first_name.strip(), last_name=last_name.strip(),
        date_of_birth=date_of_birth, email=email, phone=phone, address=address,
        postcode=postcode, city=city, benefit=benefit,
    )
    if bsn:
        client.bsn_hash = _check_bsn(region=region, bsn=bsn)
        client.bsn_encrypted = crypto.encrypt(normalise_bsn(bsn))
    client.full_clean(exclude=["user"])
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError as exc:  # a concurrent registration with the same BSN
        raise ValidationError({"bsn": ValidationError(_("A client with this BSN is already registered in this region."), code="duplicate_bsn")}) from exc
    access_log_write(
        actor=registered_by, code="C", action="client.register", granted=True,
        client_pseudonym=client.pseudonym, data_category=DataCategory.PARTICIPATION, obj=client,
        purpose="registration", role=registered_by.primary_role, relation=True, consent=True,
        region_id=region.pk,
    )
    return client


@sensitive_variables()
@transaction.atomic
def client_update(*, client: Client, changed_by: User, bsn: str | None = None, **fields) -> Client:
    """Change contact and benefit details; `bsn=""` removes it, None leaves it."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    policy.authorize(changed_by, "client.change", client)
    if fields.get("date_of_birth") and fields["date_of_birth"] > timezone.localdate():
        raise ValidationError({"date_of_birth": ValidationError(_("The date of birth lies in the future."), code="future")})
    allowed = {"first_name", "last_name", "date_of_birth", "email", "phone", "address", "postcode", "city", "benefit", "status"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown client fields: {unknown}")
    for name, value in fields.items():
        setattr(client, name, value)
    if bsn is not None:
        if bsn:
            client.bsn_hash = _check_bsn(region=client.region, bsn=bsn, exclude_pk=client.pk)
            client.bsn_encrypted = crypto.encrypt(normalise_bsn(bsn))
        else:
            client.bsn_hash = client.bsn_encrypted = ""
    client.full_clean(exclude=["user"])
    client.save()
    return client


def _validate_consent_target(client: Client, organisation: Organisation, category: str) -> None:
    if organisation.region_id != client.region_id:
        raise ValidationError(_("This organisation is not in the client's region."), code="other_region")
    if category not in DataCategory.values:
        raise ValidationError(_("Unknown data category."), code="unknown_category")


@transaction.atomic
def consent_grant(
    *,
    client: Client,
    organisation: Organisation,
    category: str,
    recorded_by: User,
    method: str,
    given_on: date | None = None,
    valid_until: date | None = None,
    note: str = "",
    evidence: str = "",
    expected_version: int | None = None,
) -> ConsentState:
    """Record that the client consents to `organisation` seeing `category` data.

    A professional records consent given to their own organisation (verbally or on paper), with
    the date and the evidence; the client gives it in the portal. `expected_version` guards
    against a stale form.
    """
    policy.authorize(recorded_by, "consent.record", ConsentChange(client, organisation.pk, category))
    return _grant(
        client=client, organisation=organisation, category=category, recorded_by=recorded_by, method=method,
        given_on=given_on, valid_until=valid_until, note=note, evidence=evidence, expected_version=expected_version,
    )


def consent_grant_many(
    *,
    client: Client,
    organisation: Organisation,
    categories: list[str],
    recorded_by: User,
    method: str,
    given_on: date | None = None,
    valid_until: date | None = None,
    note: str = "",
    evidence: str = "",
    seen_event: int | None = None,
) -> list[ConsentState]:
    """Record consent for several categories at once (one form, one access-log record).

    `seen_event`: the newest consent event the form showed (0: none). When the client's consent
    changed since — the client withdrew something in the portal, say — nothing is recorded: a
    form opened before a withdrawal must not quietly grant it again.
    """
    # Authorized outside the transaction: the access-log record stays when the form is refused.
    # One record for the form: the first category refused, else the first one.
    changes = [ConsentChange(client, organisation.pk, category) for category in dict.fromkeys(categories or [""])]
    refused = next((c for c in changes if not policy.can(recorded_by, "consent.record", c)), None)
    policy.authorize(recorded_by, "consent.record", refused or changes[0])
    if not categories:
        raise ValidationError({"categories": ValidationError(_("Choose at least one kind of data."), code="required")})
    categories = list(dict.fromkeys(categories))
    with transaction.atomic():
        if seen_event is not None:
            # Lock what a concurrent withdrawal would change, then look for anything newer.
            list(ConsentState.objects.select_for_update()
                 .filter(client=client, organisation=organisation, category__in=categories).order_by("pk"))
            if latest_consent_event_id(client) > seen_event:
                raise ValidationError(
                    _("The client's consent was changed in the meantime. Look at the current choices and try again."),
                    code="stale",
                )
        return [
            _grant(client=client, organisation=organisation, category=category, recorded_by=recorded_by, method=method,
                   given_on=given_on, valid_until=valid_until, note=note, evidence=evidence, expected_version=None)
            for category in categories
        ]


def _grant(*, client, organisation, category, recorded_by, method, given_on, valid_until, note, evidence,
           expected_version):
    _validate_consent_target(client, organisation, category)
    if method not in ConsentMethod.values:
        raise ValidationError({"method": ValidationError(_("Say how the consent was given."), code="method")})
    if recorded_by.is_client != (method == ConsentMethod.PORTAL):
        raise ValidationError({"method": ValidationError(_("Only the client gives consent in the portal; professionals record verbal or paper consent."), code="method")})
    evidence = evidence.strip()
    if not recorded_by.is_client and not evidence:
        raise ValidationError({"evidence": ValidationError(
            _("Say where the consent can be checked, for example the reference of the signed form."), code="evidence")})
    today = timezone.localdate()
    given_on = given_on or today
    if given_on > today:
        raise ValidationError({"given_on": ValidationError(_("Consent cannot be given in the future."), code="future")})
    if valid_until is not None and valid_until < given_on:
        raise ValidationError({"valid_until": ValidationError(_("The end date lies before the start date."), code="end_before_start")})
    state = _lock_state(client, organisation, category, expected_version)
    if (not recorded_by.is_client and state is not None and not state.granted
            and state.last_event.method == ConsentMethod.PORTAL):
        # The client withdrew it themself: only the client gives it again (in the portal), not
        # a professional on their own word.
        raise ValidationError(
            _("The client withdrew this consent in the portal. Only the client can give it again, in the portal."),
            code="withdrawn_by_client",
        )
    event = ConsentEvent.objects.create(
        client=client, organisation=organisation, category=category, kind=ConsentEvent.Kind.GRANT,
        method=method, given_on=given_on, valid_until=valid_until, note=note, evidence=evidence,
        recorded_by=recorded_by, recorded_at=timezone.now(),
    )
    return _save_state(state, client, organisation, category, event, granted=True, valid_until=valid_until, actor=recorded_by)


@transaction.atomic
def consent_withdraw(
    *,
    client: Client,
    organisation: Organisation,
    category: str,
    recorded_by: User,
    method: str,
    note: str = "",
    expected_version: int | None = None,
) -> ConsentState:
    """Withdraw consent. Takes effect at once: the next access is decided without it.

    The client withdraws for any organisation; a professional only for their own."""
    policy.authorize(recorded_by, "consent.withdraw", ConsentChange(client, organisation.pk, category))
    _validate_consent_target(client, organisation, category)
    if method not in ConsentMethod.values or recorded_by.is_client != (method == ConsentMethod.PORTAL):
        raise ValidationError({"method": ValidationError(_("Say how the client withdrew the consent."), code="method")})
    state = _lock_state(client, organisation, category, expected_version)
    if state is None or not state.granted:
        raise ValidationError(_("There is no consent to withdraw."), code="not_granted")
    event = ConsentEvent.objects.create(
        client=client, organisation=organisation, category=category, kind=ConsentEvent.Kind.WITHDRAW,
        method=method, given_on=timezone.localdate(), note=note, recorded_by=recorded_by,
        recorded_at=timezone.now(),
    )
    state = _save_state(state, client, organisation, category, event, granted=False, valid_until=None, actor=recorded_by)
    if category == DataCategory.PARTICIPATION:
        # Without consent to take part, the organisation's people leave the client's team now.
        from werkbrug.trajectories.services import team_memberships_end_for_withdrawal

        team_memberships_end_for_withdrawal(client=client, organisation_id=organisation.pk)
    return state


def _lock_state(client, organisation, category, expected_version) -> ConsentState | None:
    state = (
        ConsentState.objects.select_for_update()
        .filter(client=client, organisation=organisation, category=category)
        .first()
    )
    current = state.version if state else 0
    if expected_version is not None and expected_version != current:
        raise ValidationError(
            _("This consent was changed in the meantime by someone else. Look at the current choice and try again."),
            code="stale",
        )
    return state


def _save_state(state, client, organisation, category, event, *, granted, valid_until, actor) -> ConsentState:
    if state is None:
        state = ConsentState.objects.create(
            client=client, organisation=organisation, category=category, granted=granted,
            valid_until=valid_until, last_event=event,
        )
    else:
        state.granted = granted
        state.valid_until = valid_until
        state.last_event = event
        state.version += 1
        state.save(update_fields=["granted", "valid_until", "last_event", "version"])
    memo.forget(facts=(memo.CONSENTS,))
    _tell_consent_change(client, organisation, actor)
    return state


def _tell_consent_change(client: Client, organisation: Organisation, actor: User) -> None:
    """Who must know: the organisation's team members and the plan director; the client, when a
    professional recorded it (one unread notice per person and client, however many categories)."""
    from django.urls import reverse

    from werkbrug.core.models import User
    from werkbrug.notifications import services as notifications
    from werkbrug.notifications.kinds import Kind
    from werkbrug.trajectories.models import TeamMembership, Trajectory, TrajectoryStatus

    trajectory = Trajectory.objects.filter(client=client, status=TrajectoryStatus.ACTIVE).select_related("plan_director").first()
    if trajectory is not None:
        members = [m.person for m in TeamMembership.objects.filter(
            trajectory=trajectory, organisation=organisation, left_at__isnull=True).select_related("person")]
        notifications.notify_many(recipients=[*members, trajectory.plan_director], actor=actor, kind=Kind.CONSENT_CHANGED,
                                  obj=client, ref_number=trajectory.pk,
                                  link=reverse("trajectories:detail", kwargs={"pk": trajectory.pk}))
    if client.user_id is not None and actor.pk != client.user_id:
        notifications.notify(recipient=User.objects.get(pk=client.user_id), kind=Kind.CONSENT_CHANGED, obj=client,
                             link=reverse("portal:consents"))


from .known import (  # noqa: E402
    KnownAnswer,
    KnownCheckLimit,
    join_request_create,
    join_request_decide,
    known_check,
)
from .merge import client_merge  # noqa: E402

__all__ += ["KnownAnswer", "KnownCheckLimit", "client_merge", "join_request_create", "join_request_decide",
            "known_check"]
