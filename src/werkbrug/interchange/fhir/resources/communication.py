"""Communication: a signal between team members, with each recipient's acknowledgement.

Read and search under `signal.view` (the client's consent to signals for the person's
organisation); create (`signal.create`) sends a signal to the whole team, as the pages' "whole
team" choice does, through the same service, so recipients are told by the notification service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from werkbrug.collaboration.models import Signal, SignalCategory, SignalRecipient, Urgency
from werkbrug.core import policy
from werkbrug.trajectories.models import Trajectory

from ..base import EXTENSION, FhirError, Search, filter_updated, instant
from .common import clients_of, page, patient_ref, practitioner, readable

if TYPE_CHECKING:
    from werkbrug.core.models import User

CATEGORY_SYSTEM = EXTENSION + "signal-category"


def communication(signal: Signal) -> dict:
    recipients = list(signal.recipients.all())
    return {
        "resourceType": "Communication", "id": str(signal.pk),
        "meta": {"lastUpdated": instant(signal.created_at)},
        "status": "completed",
        "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": signal.category}],
                      "text": signal.get_category_display()}],
        "priority": "urgent" if signal.urgency == Urgency.URGENT else "routine",
        "subject": patient_ref(signal.trajectory.client),
        "about": [{"reference": f"CarePlan/{signal.trajectory_id}"}],
        "sent": instant(signal.created_at),
        "sender": practitioner(signal.author),
        "recipient": [practitioner(r.person) for r in recipients],
        "payload": [{"contentString": signal.text}],
        "extension": [{"url": EXTENSION + "acknowledgement", "extension": [
            {"url": "recipient", "valueString": r.person.get_full_name()},
            *([{"url": "acknowledged", "valueDateTime": instant(r.acknowledged_at)}] if r.acknowledged_at else []),
        ]} for r in recipients],
    }


def _signals() -> QuerySet[Signal]:
    return (Signal.objects.select_related("trajectory__client", "author")
            .prefetch_related(Prefetch("recipients", queryset=SignalRecipient.objects.select_related("person")
                                       .order_by("id"))))


def communication_read(user: User, pk: str) -> dict:
    if not pk.isdigit() or len(pk) > 18:
        raise Http404
    signal = _signals().filter(pk=int(pk)).first()
    if signal is None:
        raise Http404
    policy.authorize(user, "signal.view", signal.trajectory)
    return communication(signal)


def communication_search(user: User, search: Search) -> tuple[list[dict], bool]:
    if search.status not in (None, "completed"):
        raise FhirError(400, "invalid", "a signal's status is completed")
    signals = _signals().filter(trajectory__client__in=clients_of(user, search))
    rows, more = page(filter_updated(signals, "created_at", search).order_by("pk"), search)
    return [communication(s) for s in rows if readable(user, "signal.view", s.trajectory)], more


def communication_create(user: User, body: dict) -> tuple[dict, str]:
    """A signal from the organisation's own system. The trajectory it names is authorized first;
    then the rest of the resource is read."""
    from django.core.exceptions import ValidationError

    from werkbrug.collaboration.services import signal_create

    about = [a.get("reference", "") for a in body.get("about") or [] if isinstance(a, dict)]
    plans = [ref.removeprefix("CarePlan/") for ref in about if isinstance(ref, str) and ref.startswith("CarePlan/")]
    if len(plans) != 1 or not plans[0].isdigit() or len(plans[0]) > 18:
        raise FhirError(422, "required", "about must name one CarePlan/<id>: the trajectory the signal is about")
    trajectory = Trajectory.objects.select_related("client").filter(pk=int(plans[0])).first()
    if trajectory is None:
        raise Http404
    policy.check(user, "signal.create", trajectory)
    subject = (body.get("subject") or {}).get("reference") if isinstance(body.get("subject"), dict) else None
    if subject is not None and subject != f"Patient/{trajectory.client.pseudonym}":
        raise FhirError(422, "invalid", "subject is not the client of this CarePlan")
    codes = [c.get("code") for cat in body.get("category") or [] if isinstance(cat, dict)
             for c in cat.get("coding") or [] if isinstance(c, dict) and c.get("system") == CATEGORY_SYSTEM]
    if len(codes) != 1 or codes[0] not in SignalCategory.values:
        raise FhirError(422, "code-invalid", f"category must have one coding of {CATEGORY_SYSTEM}: "
                        + ", ".join(SignalCategory.values))
    priority = body.get("priority", "routine")
    if priority not in ("routine", "urgent"):
        raise FhirError(422, "code-invalid", "priority is routine or urgent")
    payload = body.get("payload") or []
    texts = [p.get("contentString") for p in payload if isinstance(p, dict) and isinstance(p.get("contentString"), str)]
    if len(texts) != 1:
        raise FhirError(422, "required", "payload must hold one contentString")
    try:
        signal = signal_create(trajectory=trajectory, author=user, category=codes[0],
                               urgency=Urgency.URGENT if priority == "urgent" else Urgency.NORMAL,
                               text=texts[0], whole_team=True)
    except ValidationError as exc:
        raise FhirError(422, "invariant", "; ".join(exc.messages)) from exc
    signal = _signals().get(pk=signal.pk)
    return communication(signal), str(signal.pk)
