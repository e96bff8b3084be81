"""Writes for the client portal: linking a client to their portal account, and the client's
request to correct their data (AVG art. 16) with the plan director's answer.

In production the account is made by the region administrator and linked once the client signs
in through OpenID Connect (DigiD via a broker, see docs/apps/portal.md); in the demo it is made
with a password so the persona page can sign the client in.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Client
from werkbrug.core import policy
from werkbrug.core.choices import UserKind
from werkbrug.core.models import User
from werkbrug.notifications import services as notifications
from werkbrug.notifications.kinds import Kind as NotificationKind
from werkbrug.trajectories.models import Trajectory

from .models import CorrectionRequest, CorrectionState, CorrectionSubject

__all__ = ["correction_request_answer", "correction_request_create", "portal_account_create"]

MAX_TEXT = 2000


@transaction.atomic
def portal_account_create(*, client: Client, username: str, password: str | None = None) -> User:
    """Make a client account for `client` and link it (at most one per client)."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.user_id is not None:
        raise ValidationError(_("This client already has a portal account."), code="already_linked")
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": ValidationError(_("This user name is taken."), code="taken")})
    user = User(username=username, kind=UserKind.CLIENT, region=client.region, first_name=client.first_name,
                last_name=client.last_name, email=client.email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    client.user = user
    client.save(update_fields=["user"])
    return user


def _text(value: str, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: ValidationError(message, code="required")})
    if len(value) > MAX_TEXT:
        raise ValidationError({field: ValidationError(
            _("This text is too long (at most %(n)s characters).") % {"n": MAX_TEXT}, code="too_long")})
    return value


def correction_request_create(*, client: Client, person: User, subject: str, text: str) -> CorrectionRequest:
    """The client asks to correct their data (AVG art. 16): a record of the request, and the plan
    director of their trajectory is told (a notification without the text: the page shows it)."""
    policy.authorize(person, "portal.correction", client)
    with transaction.atomic():
        # The active trajectory first, else the latest: who has the file now answers.
        trajectory = (
            Trajectory.objects.select_for_update(of=("self",)).select_related("plan_director")
            .filter(client=client).order_by("status", "-started_on", "-id").first()
        )
        if trajectory is None:
            raise ValidationError(_("You do not have a team yet that can correct your data."), code="no_team")
        if subject not in CorrectionSubject.values:
            raise ValidationError({"subject": ValidationError(_("Choose what it is about."), code="invalid_choice")})
        text = _text(text, "text", _("Write what is not right, and what it should be."))
        request = CorrectionRequest.objects.create(
            client=client, trajectory=trajectory, subject=subject, text=text, requested_by=person,
            requested_at=timezone.now(),
        )
        notifications.notify(recipient=trajectory.plan_director, kind=NotificationKind.CORRECTION_REQUESTED,
                             obj=request, ref_number=request.pk,
                             link=reverse("portal:correction_request", kwargs={"pk": request.pk}))
        return request


def correction_request_answer(*, request: CorrectionRequest, person: User, answer: str) -> CorrectionRequest:
    """The plan director answers a correction request (what was corrected, or why not); the
    client is told. Answered once."""
    policy.authorize(person, "correction.handle", request)
    with transaction.atomic():
        request = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != CorrectionState.OPEN:
            raise ValidationError(_("This request has already been answered."), code="already_answered")
        request.answer = _text(answer, "answer", _("Write what you corrected, or why not."))
        request.state = CorrectionState.ANSWERED
        request.answered_by = person
        request.answered_at = timezone.now()
        request.save(update_fields=["answer", "state", "answered_by", "answered_at"])
        notifications.notify_many(recipients=User.objects.filter(client_record=request.client_id), actor=person,
                                  kind=NotificationKind.CORRECTION_ANSWERED, obj=request, ref_number=request.pk,
                                  link=reverse("portal:corrections"))
        return request
