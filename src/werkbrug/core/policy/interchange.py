"""Rules for other systems (FHIR interface, OAuth2 client credentials).

- `system.manage`: the region administrator registers, lists and revokes the systems of her
  region's organisations; another region's system looks like none.
- `system_scope_allows`: what one access token may touch (a resource type, read or write). The
  data itself is then decided by the ordinary rules, as for the person the system acts for.
- `may_act_for`: a system acts only for an active professional of its own organisation.
- `may_act_as`: a call may name as its person the system's default person or one of the persons
  the administrator allowed it, while `may_act_for` still holds.
- `questionnaire.answer_via_system`: a system creates a QuestionnaireResponse only where its acting
  person is themselves the invited professional respondent of a pending scheduled invitation: the
  schedule delivered that invitation's personal link to the person's own inbox (a notification
  with the invitation as object). Nothing is matched by name or e-mail address.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import Decision, rule
from .core import change_directory

if TYPE_CHECKING:
    from ..models import User


@rule("system.manage")
def manage_system(user: User, system: Any) -> Decision:
    return change_directory(user, system)


def system_scope_allows(scopes: list[str], resource_type: str, mode: str) -> bool:
    """`mode` is "read" or "write"; `system/*.read` style wildcards are honoured."""
    return f"system/{resource_type}.{mode}" in scopes or f"system/*.{mode}" in scopes


def may_act_for(system: Any, person: User | None) -> bool:
    return (
        person is not None and person.is_active and person.is_professional
        and person.organisation_id == system.organisation_id and person.region_id == system.region_id
    )


def may_act_as(system: Any, person: User | None) -> bool:
    if person is None or not may_act_for(system, person):
        return False
    return person.pk == system.acting_person_id or system.persons.filter(pk=person.pk).exists()


@rule("questionnaire.answer_via_system")
def answer_via_system(user: User, invitation: Any) -> Decision:
    from django.core.exceptions import ObjectDoesNotExist

    from werkbrug.evaluations.models import RespondentKind
    from werkbrug.notifications.kinds import Kind
    from werkbrug.notifications.models import Notification

    from ..choices import DataCategory
    from .clients import consented_categories

    try:
        scheduled = invitation.scheduled
    except ObjectDoesNotExist:
        scheduled = None
    participant = scheduled.participant if scheduled is not None else None
    client = participant.client if participant is not None else None
    if (not user.is_professional or not user.is_active or invitation.kind != RespondentKind.PROFESSIONAL
            or scheduled is None or invitation.responded_at is not None):
        return Decision(False, reason="not a pending professional invitation of the schedule")
    delivered = Notification.objects.filter(
        recipient=user, object_type=invitation._meta.label_lower, object_id=invitation.pk,
        kind__in=(Kind.QUESTIONNAIRE_INVITATION, Kind.QUESTIONNAIRE_REMINDER),
    ).exists()
    if not delivered:
        return Decision(False, reason="not your invitation", client=client, category=DataCategory.RESEARCH, code="C")
    # As the schedule's worker: nothing more about a client who withdrew research consent.
    if DataCategory.RESEARCH not in consented_categories(client, participant.study.organisation_id):
        return Decision(False, reason="research consent withdrawn", client=client, category=DataCategory.RESEARCH,
                        code="C", relation=True)
    return Decision(True, client=client, category=DataCategory.RESEARCH, code="C",
                    purpose="research questionnaire answered as the invited professional",
                    role=user.primary_role, relation=True, consent=True)


def owns_subscription(system: Any, subscription: Any) -> bool:
    """A system reads and changes its own FHIR subscriptions only."""
    return system is not None and subscription is not None and subscription.system_id == system.pk
