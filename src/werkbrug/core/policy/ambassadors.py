"""Rules for the ambassador network.

Questions carry no client identity, so no rule here writes access-log records; the policy still
decides every access:

- every professional of the region may ask, and sees their own questions and the published Q&As;
- ambassadors (role `ambassador`) see every question of their region, the groups and proposals;
  only an ambassador *of the organisation asked* answers or publishes its questions;
- managers see aggregates only: the report and the proposals, never a question;
- region administrators keep the settings, the topic taxonomy and the list of ambassadors;
- an absence's reason (e.g. "sick") is for the ambassador, their organisation's ambassadors and
  managers (who cover and manage absences) and region administrators; everyone else sees only
  that the ambassador is away, and the dates;
- a Q&A is unpublished by who may publish it (an ambassador of the organisation asked) or a
  region administrator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from ..choices import Role
from . import ALLOW, Decision, memo, rule, scope_rule

if TYPE_CHECKING:
    from ..models import User

NOT_HERE = Decision(False, reason="not in this region")


def _in_region(user: User, obj: Any) -> bool:
    region_id = getattr(obj, "region_id", None)
    return region_id is None or region_id == user.region_id


def _professional(user: User) -> bool:
    return user.is_professional and user.region_id is not None


def is_ambassador(user: User) -> bool:
    return _professional(user) and user.has_role(Role.AMBASSADOR)


def ambassador_of(user: User, organisation_id: int | None) -> bool:
    """Is `user` an active, appointed ambassador of this organisation?"""
    if not is_ambassador(user) or organisation_id is None:
        return False

    def read() -> frozenset[int]:
        from werkbrug.ambassadors.models import Ambassador

        return frozenset(Ambassador.objects.filter(person=user, active=True).values_list("organisation_id", flat=True))

    return organisation_id in memo.recall(memo.AMBASSADOR_ORGS, user, None, read)


@rule("ambassadors.use")
def use(user: User, _obj: Any) -> Decision:
    return ALLOW if _professional(user) else Decision(False, reason="professionals only", hide=False)


@rule("ambassador_question.ask")
def ask(user: User, organisation: Any) -> Decision:
    if not _professional(user):
        return Decision(False, reason="professionals only", hide=False)
    if organisation is not None and not _in_region(user, organisation):
        return NOT_HERE
    return ALLOW


@rule("ambassador_question.view")
def view_question(user: User, question: Any) -> Decision:
    if not _professional(user) or not _in_region(user, question):
        return NOT_HERE
    if question is None or is_ambassador(user) or question.asked_by_id == user.pk:
        return ALLOW
    if escalated_to(user, question):
        return ALLOW
    return Decision(False, reason="ambassadors, the asker and whom it was escalated to only")


def escalated_to(user: User, question: Any) -> bool:
    """Was the question escalated to `user` (the network coordinator or a manager)?"""
    from werkbrug.ambassadors.models import EventKind, QuestionEvent

    return QuestionEvent.objects.filter(question_id=question.pk, kind=EventKind.ESCALATED_UP, person=user).exists()


@scope_rule("ambassador_question.view")
def visible_questions(user: User, queryset: QuerySet) -> QuerySet:
    if not _professional(user):
        return queryset.none()
    queryset = queryset.filter(region_id=user.region_id)
    if is_ambassador(user):
        return queryset
    from werkbrug.ambassadors.models import EventKind

    return queryset.filter(Q(asked_by=user) | Q(events__kind=EventKind.ESCALATED_UP, events__person=user)).distinct()


@rule("ambassador_question.answer", "ambassador_question.publish")
def answer(user: User, question: Any) -> Decision:
    if not _professional(user) or not _in_region(user, question):
        return NOT_HERE
    if ambassador_of(user, question.organisation_id):
        return ALLOW
    if is_ambassador(user) or question.asked_by_id == user.pk:
        return Decision(False, reason="only an ambassador of the organisation asked may do this", hide=False)
    return Decision(False, reason="ambassadors and the asker only")


@rule("ambassador_question.follow_up")
def follow_up(user: User, question: Any) -> Decision:
    if not _professional(user) or not _in_region(user, question):
        return NOT_HERE
    if question.asked_by_id == user.pk or ambassador_of(user, question.organisation_id):
        return ALLOW
    return Decision(False, reason="the asker and the organisation's ambassadors only", hide=not is_ambassador(user))


@rule("ambassador_question.rate")
def rate(user: User, question: Any) -> Decision:
    if not _professional(user) or not _in_region(user, question):
        return NOT_HERE
    if question.asked_by_id == user.pk:
        return ALLOW
    return Decision(False, reason="only the asker rates the answer", hide=not is_ambassador(user))


@rule("ambassador_qa.view")
def view_qa(user: User, question: Any) -> Decision:
    if not _professional(user) or not _in_region(user, question):
        return NOT_HERE
    if question is not None and not question.published:
        return Decision(False, reason="not published")
    return ALLOW


@scope_rule("ambassador_qa.view")
def visible_qas(user: User, queryset: QuerySet) -> QuerySet:
    if not _professional(user):
        return queryset.none()
    return queryset.filter(region_id=user.region_id, published=True)


@scope_rule("ambassador_question.similar")
def similar_scope(user: User, queryset: QuerySet) -> QuerySet:
    """Suggestions while typing: published Q&As, plus the asker's own answered questions.

    Applies to `Question` and to `QuestionTerm` (which copies region, published and asker).
    """
    if not _professional(user):
        return queryset.none()
    queryset = queryset.filter(region_id=user.region_id)
    return queryset if is_ambassador(user) else queryset.filter(Q(published=True) | Q(asked_by=user))


@rule("ambassador_group.view", "ambassador_group.change", "ambassador_proposal.change")
def ambassadors_only(user: User, obj: Any) -> Decision:
    if not _professional(user) or not _in_region(user, obj):
        return NOT_HERE
    return ALLOW if is_ambassador(user) else Decision(False, reason="ambassadors only", hide=False)


@rule("ambassador_proposal.view", "ambassador_report.view")
def aggregates(user: User, obj: Any) -> Decision:
    """Proposals and the report are aggregates: for ambassadors, managers and region administrators."""
    if not _professional(user) or not _in_region(user, obj):
        return NOT_HERE
    if user.has_role(Role.AMBASSADOR, Role.MANAGER, Role.REGION_ADMIN) or user.is_superuser:
        return ALLOW
    return Decision(False, reason="ambassadors and managers only", hide=False)


@rule("ambassador_settings.change", "ambassador.manage")
def region_admin(user: User, obj: Any) -> Decision:
    if not _professional(user) or not _in_region(user, obj):
        return NOT_HERE
    if user.has_role(Role.REGION_ADMIN) or user.is_superuser:
        return ALLOW
    return Decision(False, reason="region administrators only", hide=False)


@rule("ambassador_topic.change")
def change_topics(user: User, obj: Any) -> Decision:
    if not _professional(user) or not _in_region(user, obj):
        return NOT_HERE
    if user.has_role(Role.REGION_ADMIN, Role.AMBASSADOR) or user.is_superuser:
        return ALLOW
    return Decision(False, reason="ambassadors and region administrators only", hide=False)


@rule("ambassador_absence.record")
def record_absence(user: User, ambassador: Any) -> Decision:
    """An ambassador records their own absence (and a colleague's: they cover for each other)."""
    region_id = getattr(getattr(ambassador, "organisation", None), "region_id", None)
    if not _professional(user) or (region_id is not None and region_id != user.region_id):
        return NOT_HERE
    if user.has_role(Role.REGION_ADMIN) or user.is_superuser:
        return ALLOW
    if ambassador is not None and ambassador_of(user, ambassador.organisation_id):
        return ALLOW
    return Decision(False, reason="the organisation's ambassadors and region administrators only", hide=False)


@rule("ambassador_absence.view_reason")
def view_absence_reason(user: User, ambassador: Any) -> Decision:
    region_id = getattr(getattr(ambassador, "organisation", None), "region_id", None)
    if ambassador is None or not _professional(user) or region_id != user.region_id:
        return NOT_HERE
    if ambassador.person_id == user.pk or user.has_role(Role.REGION_ADMIN) or user.is_superuser:
        return ALLOW
    if ambassador_of(user, ambassador.organisation_id):
        return ALLOW
    if user.has_role(Role.MANAGER) and user.organisation_id == ambassador.organisation_id:
        return ALLOW
    return Decision(False, reason="the person, their organisation's ambassadors and managers, region administrators")


@rule("ambassador_qa.unpublish")
def unpublish(user: User, question: Any) -> Decision:
    if not _professional(user) or not _in_region(user, question):
        return NOT_HERE
    if ambassador_of(user, question.organisation_id) or user.has_role(Role.REGION_ADMIN) or user.is_superuser:
        return ALLOW
    return Decision(False, reason="the organisation's ambassadors and region administrators only", hide=False)


@rule("ambassador.view")
def view_ambassadors(user: User, obj: Any) -> Decision:
    return ALLOW if _professional(user) else Decision(False, reason="professionals only", hide=False)
