"""Writes for the ambassador network: asking, routing, deadlines, answers, groups, proposals.

A professional stuck on a case asks an organisation's ambassadors a question (without client
identity). The question is routed to the first available ambassador of that organisation
(absences route around), gets a deadline from the region's setting, a reminder at 75 % and, at
the deadline, escalates to a colleague ambassador while the asker is told. Every step is a
`QuestionEvent`. Answered questions feed the similar-question search (`QuestionTerm`) and, once
published anonymised, become Q&As for the region. Recurring questions are grouped
(`grouping.py`); hand corrections pin a group so regrouping keeps it. Improvement proposals
follow `workflow.py`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from werkbrug.core import policy
from werkbrug.core.choices import Role
from werkbrug.core.models import Organisation, Region, User
from werkbrug.core.policy import memo

from . import deadlines, grouping, notify, text
from .identity import Finding, find_identifying
from .models import (
    Absence,
    AbsenceReason,
    Ambassador,
    Audience,
    EventKind,
    Message,
    MessageKind,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    Question,
    QuestionEvent,
    QuestionGroup,
    QuestionStatus,
    QuestionTerm,
    Topic,
    Urgency,
)
from .settings import KEY as SETTINGS_KEY
from .settings import for_region
from .workflow import NEEDS_DECISION, can_transition

__all__ = [
    "absence_add", "ambassador_appoint", "ambassador_set_stand_ins", "group_split", "groups_merge",
    "groups_rebuild", "proposal_draft", "proposal_transition", "question_answer", "question_ask",
    "question_escalate", "question_follow_up", "question_publish", "question_rate", "question_remind",
    "question_unpublish",
    "questions_process_due", "region_settings_update", "route", "topic_add", "topic_update",
]

MAX_TEXT = 5000


def _error(field: str, message, code: str) -> ValidationError:
    """A field error that keeps its code (the API reports it; tests check it)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _event(question: Question, kind: str, at: datetime, *, actor: User | None = None,
           ambassador: Ambassador | None = None, note: str = "") -> QuestionEvent:
    return QuestionEvent.objects.create(question=question, kind=kind, at=at, actor=actor, ambassador=ambassador, note=note[:200])


def _clean_text(value: str, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise _error(field, message, "required")
    if len(value) > MAX_TEXT:
        raise _error(field, _("Keep it under %(n)s characters.") % {"n": MAX_TEXT}, "too_long")
    return value


# --- settings and taxonomy -------------------------------------------------------------------

@transaction.atomic
def region_settings_update(*, region: Region, deadline_hours: int, deadline_mode: str, changed_by: User) -> Region:
    """Set the answer deadline. It applies to questions asked from now on."""
    region = Region.objects.select_for_update().get(pk=region.pk)
    policy.authorize(changed_by, "ambassador_settings.change", region)
    if not isinstance(deadline_hours, int) or isinstance(deadline_hours, bool) or deadline_hours <= 0:
        raise _error("deadline_hours", _("The deadline must be a whole number of hours above zero."), "deadline_not_positive")
    if deadline_hours > 24 * 30:
        raise _error("deadline_hours", _("The deadline can be at most 720 hours (30 days)."), "deadline_too_long")
    if deadline_mode not in deadlines.Mode.__members__.values():
        raise _error("deadline_mode", _("Choose calendar hours or working hours."), "deadline_mode")
    kept = (region.settings or {}).get(SETTINGS_KEY) or {}  # the ladder settings stay as they are
    region.settings = {**(region.settings or {}),
                       SETTINGS_KEY: {**kept, "deadline_hours": deadline_hours, "deadline_mode": str(deadline_mode)}}
    region.save(update_fields=["settings"])
    return region


@transaction.atomic
def topic_add(*, region: Region, name: str, added_by: User) -> Topic:
    policy.authorize(added_by, "ambassador_topic.change", region)
    name = _clean_text(name, "name", _("Give the topic a name."))[:120]
    if Topic.objects.filter(region=region, name__iexact=name).exists():
        raise _error("name", _("This topic already exists."), "duplicate")
    position = Topic.objects.filter(region=region).count()
    return Topic.objects.create(region=region, name=name, position=position)


@transaction.atomic
def topic_update(*, topic: Topic, changed_by: User, name: str | None = None, active: bool | None = None) -> Topic:
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    policy.authorize(changed_by, "ambassador_topic.change", topic)
    if name is not None:
        name = _clean_text(name, "name", _("Give the topic a name."))[:120]
        if Topic.objects.filter(region_id=topic.region_id, name__iexact=name).exclude(pk=topic.pk).exists():
            raise _error("name", _("This topic already exists."), "duplicate")
        topic.name = name
    if active is not None:
        topic.active = active
    topic.save()
    return topic


# --- ambassadors, stand-ins and absences -----------------------------------------------------

@transaction.atomic
def ambassador_appoint(*, person: User, appointed_by: User, position: int = 0) -> Ambassador:
    policy.authorize(appointed_by, "ambassador.manage", person.organisation)
    if not person.is_professional or person.organisation_id is None or not person.has_role(Role.AMBASSADOR):
        raise _error("person", _("Only a professional with the ambassador role can be appointed."), "not_ambassador_role")
    ambassador, created = Ambassador.objects.get_or_create(person=person, defaults={"organisation": person.organisation, "position": position})
    if not created:
        ambassador.active, ambassador.position, ambassador.organisation = True, position, person.organisation
        ambassador.save()
    memo.forget(facts=(memo.AMBASSADOR_ORGS,))
    return ambassador


@transaction.atomic
def ambassador_step_down(*, ambassador: Ambassador, changed_by: User, now: datetime | None = None) -> Ambassador:
    """End an appointment (region administrators). New questions no longer go to them; their open
    questions move to a colleague now (their named stand-ins first) or, where the organisation has
    no colleague present, to the region's fallback: the network coordinator, else the region's
    administrators, are asked to see that it gets an answer (as for a question asked while no
    ambassador is present). History stays as it was."""
    ambassador = Ambassador.objects.select_for_update(of=("self",)).select_related("organisation", "person").get(pk=ambassador.pk)
    policy.authorize(changed_by, "ambassador.manage", ambassador.organisation)
    if not ambassador.active:
        raise _error("ambassador", _("This ambassador has already stepped down."), "not_active")
    ambassador.active = False
    ambassador.save(update_fields=["active"])
    now = _now(now)
    for question in Question.objects.select_for_update().filter(assignee=ambassador, status=QuestionStatus.OPEN):
        if _reroute(question, now, note="stepped_down") is None:
            _to_fallback(question, now, note="stepped_down")
    memo.forget(facts=(memo.AMBASSADOR_ORGS,))
    return ambassador


def _to_fallback(question: Question, now: datetime, *, note: str) -> User | None:
    """No ambassador of the organisation can take the question: the ladder's `coordinator` step
    (the network coordinator, else a region administrator) is asked now; the asker is told."""
    rules = for_region(Region.objects.get(pk=question.region_id))
    _event(question, EventKind.NO_COLLEAGUE, now, note=note)
    coordinator = _ladder_target("coordinator", question, timezone.localdate(now), rules)
    if coordinator is None:
        notify.no_colleague(question)
        return None
    _escalate_to(question, coordinator, "coordinator", now)
    return coordinator


@transaction.atomic
def ambassador_set_stand_ins(*, ambassador: Ambassador, stand_ins: Sequence[Ambassador], changed_by: User) -> Ambassador:
    ambassador = Ambassador.objects.select_for_update().get(pk=ambassador.pk)
    policy.authorize(changed_by, "ambassador_absence.record", ambassador)
    for colleague in stand_ins:
        if colleague.organisation_id != ambassador.organisation_id or colleague.pk == ambassador.pk:
            raise _error("stand_ins", _("A stand-in must be another ambassador of the same organisation."), "stand_in")
    ambassador.stand_ins.set(stand_ins)
    return ambassador


def _absent_ids(ambassador_ids: Iterable[int], day: date) -> set[int]:
    return set(Absence.objects.filter(ambassador_id__in=list(ambassador_ids), starts_on__lte=day, ends_on__gte=day)
               .values_list("ambassador_id", flat=True))


def route(*, organisation_id: int, day: date, after: Ambassador | None = None, exclude: Iterable[int] = ()) -> Ambassador | None:
    """The ambassador to ask: `after`'s stand-ins first (in order), then the organisation's
    ambassadors by position; never someone absent on `day` or in `exclude`. A new question
    (`after` None) goes to the first ambassador by position, or, when they are away, to the
    stand-ins they named before the others."""
    colleagues = list(Ambassador.objects.filter(organisation_id=organisation_id, active=True).select_related("person").order_by("position", "id"))
    if after is None:
        skipped = set(exclude)
        first = next((a for a in colleagues if a.pk not in skipped), None)
        if first is None:
            return None
        if first.person.is_active and not _absent_ids([first.pk], day):
            return first
        after = first
    candidates: list[Ambassador] = []
    if after is not None:
        stand_in_ids = list(after.stand_ins.filter(active=True).order_by("position", "id").values_list("id", flat=True))
        by_id = {a.pk: a for a in colleagues}
        candidates += [by_id[i] for i in stand_in_ids if i in by_id]
    candidates += [a for a in colleagues if a not in candidates]
    excluded = set(exclude) | ({after.pk} if after is not None else set())
    absent = _absent_ids([a.pk for a in candidates], day)
    for candidate in candidates:
        if candidate.pk not in excluded and candidate.pk not in absent and candidate.person.is_active:
            return candidate
    return None


@transaction.atomic
def absence_add(*, ambassador: Ambassador, starts_on: date, ends_on: date, reason: str = AbsenceReason.HOLIDAY,
                recorded_by: User, now: datetime | None = None) -> Absence:
    """Record an absence; open questions of the absent ambassador move to a colleague now."""
    ambassador = Ambassador.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=ambassador.pk)
    policy.authorize(recorded_by, "ambassador_absence.record", ambassador)
    if starts_on is None or ends_on is None:
        raise ValidationError(_("Give the first and the last day of the absence."), code="required")
    if ends_on < starts_on:
        raise _error("ends_on", _("The absence ends before it starts."), "end_before_start")
    if reason not in AbsenceReason.values:
        raise _error("reason", _("Choose a reason."), "reason")
    absence = Absence.objects.create(ambassador=ambassador, starts_on=starts_on, ends_on=ends_on, reason=reason, recorded_by=recorded_by)
    now = _now(now)
    today = timezone.localdate(now)
    if starts_on <= today <= ends_on:
        for question in Question.objects.select_for_update().filter(assignee=ambassador, status=QuestionStatus.OPEN):
            _reroute(question, now, note="absence")
    return absence


@transaction.atomic
def absence_remove(*, absence: Absence, removed_by: User) -> None:
    """Take back an absence (plans changed). Questions already moved to a colleague stay there:
    the colleague has started on them, and new questions route to the ambassador again."""
    ambassador = Ambassador.objects.select_for_update(of=("self",)).get(pk=absence.ambassador_id)
    policy.authorize(removed_by, "ambassador_absence.record", ambassador)
    Absence.objects.filter(pk=absence.pk).delete()


def _reroute(question: Question, now: datetime, *, note: str) -> Ambassador | None:
    colleague = route(organisation_id=question.organisation_id, day=timezone.localdate(now), after=question.assignee)
    if colleague is not None:
        question.assignee = colleague
        question.save(update_fields=["assignee"])
        _event(question, EventKind.ASSIGNED, now, ambassador=colleague, note=note)
        notify.new_question(question, colleague)
    return colleague


# --- asking ----------------------------------------------------------------------------------

def client_names_for(user: User) -> list[tuple[str, str]]:
    """Names of the asker's own clients (active teams), only to warn; never stored or shown."""
    from werkbrug.clients.models import Client

    return list(policy.scope(user, "client.view", Client.objects.all()).values_list("first_name", "last_name")[:500])


def identity_check(text: str, *, writer: User, region_id: int | None) -> list[Finding]:
    """The one identity guard for every door (pages, API): `identity.find_identifying` with the
    region's client names, the writer's own clients counting in any case."""
    return find_identifying(text, region=region_id, own_clients=client_names_for(writer))


def _guard(text: str, *, field: str, writer: User, region_id: int | None, confirmed: bool) -> None:
    """A BSN is always refused; anything else that may identify a client needs the writer's
    explicit confirmation (the form's checkbox, the API's `confirm`)."""
    findings = identity_check(text, writer=writer, region_id=region_id)
    if any(f.blocking for f in findings):
        raise _error(field, _("Your text contains a citizen service number (BSN). Remove it: questions carry no client "
                              "identity."), "bsn")
    if findings and not confirmed:
        raise ValidationError({field: [ValidationError(f.message, code="identity_unconfirmed") for f in findings]
                               + [ValidationError(_("Your text may identify a client. Change it, or confirm that it "
                                                    "does not."), code="identity_unconfirmed")]})


@transaction.atomic
def question_ask(*, asked_by: User, organisation: Organisation | None, topic: Topic | None, text: str,
                 urgency: str = Urgency.NORMAL, confirmed: bool = False, now: datetime | None = None) -> Question:
    """Ask an organisation's ambassadors. Refuses a BSN; anything else that may identify a client
    (`identity.find_identifying`) only with the asker's explicit confirmation."""
    policy.authorize(asked_by, "ambassador_question.ask", organisation)
    errors: dict[str, list] = {}
    if organisation is None:
        errors["organisation"] = [_("Choose the organisation you ask.")]
    elif not Ambassador.objects.filter(organisation=organisation, active=True).exists():
        errors["organisation"] = [ValidationError(_("This organisation has no ambassador yet. Choose another organisation."), code="no_ambassador")]
    if topic is None:
        errors["topic"] = [_("Choose a topic.")]
    elif not topic.active or topic.region_id != asked_by.region_id:
        errors["topic"] = [_("This topic is not in use in your region.")]
    if not (text or "").strip():
        errors["text"] = [_("Write your question.")]
    elif len(text) > MAX_TEXT:
        errors["text"] = [_("Keep it under %(n)s characters.") % {"n": MAX_TEXT}]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Choose how urgent it is.")]
    if errors:
        raise ValidationError(errors, code="invalid")
    _guard(text, field="text", writer=asked_by, region_id=organisation.region_id, confirmed=confirmed)
    now = _now(now)
    rules = for_region(Region.objects.get(pk=organisation.region_id))  # fresh: settings may just have changed
    hours = rules.deadline_hours
    question = Question.objects.create(
        region=organisation.region, organisation=organisation, topic=topic, text=text.strip(), urgency=urgency,
        asked_by=asked_by, asker_organisation_id=asked_by.organisation_id, asked_at=now,
        deadline_hours=hours, deadline_mode=rules.deadline_mode,
        deadline_at=deadlines.deadline(now, hours, rules.deadline_mode, rules.office),
        reminder_due_at=deadlines.reminder_at(now, hours, rules.deadline_mode, rules.office),
        very_late_at=deadlines.very_late_at(now, hours, rules.deadline_mode, rules.office),
    )
    _event(question, EventKind.ASKED, now, actor=asked_by)
    ambassador = route(organisation_id=organisation.pk, day=timezone.localdate(now))
    if ambassador is not None:
        question.assignee = ambassador
        question.save(update_fields=["assignee"])
        _event(question, EventKind.ASSIGNED, now, ambassador=ambassador)
        notify.new_question(question, ambassador)
    elif rules.nobody_present == "refuse":
        back = min((a.ends_on for a in Absence.objects.filter(ambassador__organisation=organisation, ends_on__gte=timezone.localdate(now))),
                   default=None)
        raise ValidationError({"organisation": [ValidationError(
            _("None of this organisation's ambassadors is present now%(back)s. Ask another organisation, or ask again later.")
            % {"back": _(" (the first is back after %(day)s)") % {"day": date_format(back, "j F Y")} if back else ""},
            code="nobody_present")]})
    else:
        _event(question, EventKind.NO_COLLEAGUE, now, note="no ambassador available")
        coordinator = _ladder_target("coordinator", question, timezone.localdate(now), rules)
        if coordinator is not None:
            _escalate_to(question, coordinator, "coordinator", now)
            if "coordinator" in rules.ladder:
                question.escalation_step = rules.ladder.index("coordinator") + 1
                question.save(update_fields=["escalation_step"])
    return question


# --- answering -------------------------------------------------------------------------------

def _index_terms(question: Question) -> None:
    """(Re)write the question's stems for the similar-question search."""
    QuestionTerm.objects.filter(question=question).delete()
    source = question.public_question if question.published and question.public_question else question.text
    QuestionTerm.objects.bulk_create([
        QuestionTerm(question=question, region_id=question.region_id, stem=stem[:60], weight=weight,
                     published=question.published, asked_by_id=question.asked_by_id)
        for stem, weight in text.term_weights(source).items()
    ])


@transaction.atomic
def question_answer(*, question: Question, author: User, text: str, confirmed: bool = False,
                    now: datetime | None = None) -> Message:
    """An ambassador of the organisation asked answers (the first answer stops the clock)."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    policy.authorize(author, "ambassador_question.answer", question)
    body = _clean_text(text, "text", _("Write your answer."))
    _guard(body, field="text", writer=author, region_id=question.region_id, confirmed=confirmed)
    now = _now(now)
    message = Message.objects.create(question=question, author=author, kind=MessageKind.ANSWER, text=body, created_at=now)
    if question.answered_at is None:
        question.answered_at, question.answered_by = now, author
    question.status = QuestionStatus.ANSWERED
    question.save(update_fields=["answered_at", "answered_by", "status"])
    _event(question, EventKind.ANSWERED, now, actor=author)
    _index_terms(question)
    notify.answered(question)
    return message


@transaction.atomic
def question_follow_up(*, question: Question, author: User, text: str, confirmed: bool = False,
                       now: datetime | None = None) -> Message:
    """A follow-up in the thread, by the asker (or an ambassador asking back)."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    policy.authorize(author, "ambassador_question.follow_up", question)
    body = _clean_text(text, "text", _("Write your follow-up question."))
    _guard(body, field="text", writer=author, region_id=question.region_id, confirmed=confirmed)
    now = _now(now)
    message = Message.objects.create(question=question, author=author, kind=MessageKind.FOLLOW_UP, text=body, created_at=now)
    reopened = author.pk == question.asked_by_id and question.status == QuestionStatus.ANSWERED
    if reopened:
        # The ambassadors owe a new answer: a fresh clock from the follow-up, by the region's rules
        # in force now, so the reminder and the escalation work again (once each) from here.
        rules = for_region(Region.objects.get(pk=question.region_id))
        hours, mode = rules.deadline_hours, rules.deadline_mode
        question.status = QuestionStatus.OPEN
        if question.first_deadline_at is None:  # the first answer stays judged by the first round
            question.first_deadline_at, question.first_very_late_at = question.deadline_at, question.very_late_at
        question.deadline_hours, question.deadline_mode = hours, mode
        question.deadline_at = deadlines.deadline(now, hours, mode, rules.office)
        question.reminder_due_at = deadlines.reminder_at(now, hours, mode, rules.office)
        question.very_late_at = deadlines.very_late_at(now, hours, mode, rules.office)
        question.reminded_at = question.escalated_at = None
        question.save(update_fields=["status", "deadline_hours", "deadline_mode", "deadline_at", "reminder_due_at",
                                     "very_late_at", "reminded_at", "escalated_at", "first_deadline_at",
                                     "first_very_late_at"])
    _event(question, EventKind.FOLLOW_UP, now, actor=author,
           note=f"new deadline {timezone.localtime(question.deadline_at):%Y-%m-%d %H:%M}" if reopened else "")
    if author.pk == question.asked_by_id:
        if question.assignee is not None:
            notify.follow_up(question, question.assignee)
    else:
        notify.answered(question)
    return message


@transaction.atomic
def question_rate(*, question: Question, person: User, useful: bool, now: datetime | None = None) -> Question:
    question = Question.objects.select_for_update().get(pk=question.pk)
    policy.authorize(person, "ambassador_question.rate", question)
    if question.answered_at is None:
        raise ValidationError(_("There is no answer to rate yet."), code="not_answered")
    if not isinstance(useful, bool):
        raise _error("useful", _("Say whether the answer was useful."), "useful")
    now = _now(now)
    question.useful, question.useful_marked_at = useful, now
    question.save(update_fields=["useful", "useful_marked_at"])
    _event(question, EventKind.RATED, now, actor=person, note="useful" if useful else "not useful")
    return question


@transaction.atomic
def question_publish(*, question: Question, person: User, public_question: str, public_answer: str,
                     now: datetime | None = None) -> Question:
    """Publish an answered question as an anonymised Q&A for every professional of the region."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    policy.authorize(person, "ambassador_question.publish", question)
    if question.answered_at is None:
        raise ValidationError(_("Only an answered question can be published."), code="not_answered")
    public_question = _clean_text(public_question, "public_question", _("Write the question as it will be published."))
    public_answer = _clean_text(public_answer, "public_answer", _("Write the answer as it will be published."))
    # Publishing shows the text to the whole region: nothing that may identify a client, no override.
    # The asker's own clients count in any case, as when they asked.
    for field, value in (("public_question", public_question), ("public_answer", public_answer)):
        findings = identity_check(value, writer=question.asked_by, region_id=question.region_id)
        if findings:
            raise ValidationError({field: [ValidationError(f.message, code="identity") for f in findings] + [
                ValidationError(_("Remove anything that may identify a client before publishing."), code="identity")]})
    now = _now(now)
    question.published, question.published_at = True, now
    question.public_question, question.public_answer = public_question, public_answer
    question.save(update_fields=["published", "published_at", "public_question", "public_answer"])
    _event(question, EventKind.PUBLISHED, now, actor=person)
    _index_terms(question)
    _to_knowledge_map(question)
    return question


@transaction.atomic
def question_unpublish(*, question: Question, person: User, reason: str, now: datetime | None = None) -> Question:
    """Take a Q&A back (it held something identifying, or is outdated). The reason is recorded in
    the question's history; the published wording is erased (the thread keeps the original)."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    policy.authorize(person, "ambassador_qa.unpublish", question)
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason", _("Say why the Q&A is taken back."), "required")
    if len(reason) > 200:
        raise _error("reason", _("Keep the reason under %(n)s characters.") % {"n": 200}, "too_long")
    if not question.published:
        raise ValidationError(_("This question is not published."), code="not_published")
    now = _now(now)
    question.published, question.published_at = False, None
    question.public_question = question.public_answer = ""
    question.save(update_fields=["published", "published_at", "public_question", "public_answer"])
    _event(question, EventKind.UNPUBLISHED, now, actor=person, note=reason)
    _index_terms(question)
    _from_knowledge_map(question, person)
    return question


def _from_knowledge_map(question: Question, person: User) -> None:
    try:
        from werkbrug.knowledge_map.services import qa_withdraw
    except ImportError:
        return
    qa_withdraw(qa_id=question.pk, region=Region.objects.get(pk=question.region_id), actor=person)


def _to_knowledge_map(question: Question) -> None:
    """A published Q&A appears on the region's knowledge map at once (the same item again when it
    is published anew). Without the knowledge map app there is nothing to do."""
    try:
        from werkbrug.knowledge_map.services import qa_upsert
    except ImportError:
        return
    qa_upsert(qa=question, region=Region.objects.get(pk=question.region_id))


# --- deadlines: reminder and escalation (run by tasks.py / the management command) ------------

@transaction.atomic
def question_remind(*, question: Question, now: datetime | None = None) -> bool:
    question = Question.objects.select_for_update(of=("self",)).select_related("assignee__person").get(pk=question.pk)
    now = _now(now)
    if question.status != QuestionStatus.OPEN or question.reminded_at is not None or question.reminder_due_at > now:
        return False
    question.reminded_at = now
    question.save(update_fields=["reminded_at"])
    _event(question, EventKind.REMINDED, now, ambassador=question.assignee)
    if question.assignee is not None:
        notify.reminder(question, question.assignee)
    return True


def _ladder_target(step: str, question: Question, day: date, rules) -> Ambassador | User | None:
    """Who the question goes to at one step of the region's escalation ladder (None: nobody there)."""
    holder = question.assignee
    if step in ("stand_in", "colleague"):
        present = {a.pk: a for a in Ambassador.objects.filter(organisation_id=question.organisation_id, active=True,
                                                               person__is_active=True).select_related("person")}
        for absent_id in _absent_ids(present, day):
            present.pop(absent_id)
        for earlier in (holder.pk if holder else None, question.held_at_deadline_id):  # not back to who let it pass
            present.pop(earlier, None)
        if step == "stand_in":
            if holder is None:
                return None
            ids = holder.stand_ins.filter(active=True).order_by("position", "id").values_list("id", flat=True)
            return next((present[i] for i in ids if i in present), None)
        return min(present.values(), key=lambda a: (a.position, a.pk), default=None)
    if step == "coordinator":
        people = User.objects.filter(region_id=question.region_id, is_active=True)
        if rules.network_coordinator_id is not None:
            people = people.filter(pk=rules.network_coordinator_id)
        else:
            people = people.filter(role_assignments__role=Role.REGION_ADMIN)
        return people.order_by("pk").first()
    if step == "manager":
        return (User.objects.filter(organisation_id=question.organisation_id, is_active=True,
                                    role_assignments__role=Role.MANAGER).order_by("pk").first())
    return None


def _escalate_to(question: Question, target: Ambassador | User, step: str, now: datetime) -> None:
    if isinstance(target, Ambassador):
        question.assignee = target
        _event(question, EventKind.ESCALATED, now, ambassador=target, note=step)
        notify.escalated(question, target)
    else:
        QuestionEvent.objects.create(question=question, kind=EventKind.ESCALATED_UP, at=now, person=target, note=step)
        notify.escalated_up(question, target)


@transaction.atomic
def question_escalate(*, question: Question, now: datetime | None = None) -> Ambassador | User | None:
    """When the deadline (or the next step's time) has passed: the next step of the region's
    escalation ladder that has someone present — the holder's stand-in, another ambassador of the
    organisation, the network coordinator, the organisation's manager. Each step is recorded on
    the question and told to the person it goes to and to the asker."""
    question = (Question.objects.select_for_update(of=("self",)).select_related("assignee", "asked_by", "region")
                .get(pk=question.pk))
    now = _now(now)
    if question.status != QuestionStatus.OPEN:
        return None
    due = question.next_escalation_at if question.escalated_at is not None else question.deadline_at
    if due is None or due > now:
        return None
    rules = for_region(question.region)
    if question.escalated_at is None:
        question.escalated_at = now
        question.held_at_deadline = question.assignee
    target = None
    step_taken = question.escalation_step
    for index in range(question.escalation_step, len(rules.ladder)):
        target = _ladder_target(rules.ladder[index], question, timezone.localdate(now), rules)
        step_taken = index + 1
        if target is not None:
            _escalate_to(question, target, rules.ladder[index], now)
            break
    question.escalation_step = step_taken
    if target is None:
        _event(question, EventKind.NO_COLLEAGUE, now)
        notify.no_colleague(question)
    more = target is not None and step_taken < len(rules.ladder)
    question.next_escalation_at = (deadlines.deadline(now, rules.step_hours, question.deadline_mode, rules.office)
                                   if more else None)
    question.save(update_fields=["escalated_at", "assignee", "escalation_step", "next_escalation_at", "held_at_deadline"])
    return target


def questions_process_due(*, now: datetime | None = None) -> dict[str, int]:
    """Send due reminders and escalate overdue questions; also route around today's absences.

    Each question is handled in its own transaction, so one failure does not hold up the rest.
    """
    now = _now(now)
    counts = {"reminded": 0, "escalated": 0, "rerouted": 0}
    open_questions = Question.objects.filter(status=QuestionStatus.OPEN)
    for pk in open_questions.filter(reminded_at__isnull=True, reminder_due_at__lte=now, deadline_at__gt=now).values_list("pk", flat=True):
        counts["reminded"] += question_remind(question=Question(pk=pk), now=now)
    due = Q(escalated_at__isnull=True, deadline_at__lte=now) | Q(next_escalation_at__lte=now)
    for pk in open_questions.filter(due).values_list("pk", flat=True):
        counts["escalated"] += question_escalate(question=Question(pk=pk), now=now) is not None
    today = timezone.localdate(now)
    absent = Absence.objects.filter(starts_on__lte=today, ends_on__gte=today).values("ambassador_id")
    for pk in open_questions.filter(assignee_id__in=absent).values_list("pk", flat=True):
        with transaction.atomic():
            question = Question.objects.select_for_update(of=("self",)).select_related("assignee").get(pk=pk)
            counts["rerouted"] += _reroute(question, now, note="absence") is not None
    return counts


# --- recurring-question groups ----------------------------------------------------------------

@transaction.atomic
def groups_rebuild(*, region: Region, by: User | None = None, now: datetime | None = None) -> list[QuestionGroup]:
    """Regroup all of the region's questions. Pinned (hand-corrected) groups keep their members.

    An unpinned group that comes back (most of its questions end up together again) keeps its id,
    and only questions whose group changes are written: regrouping a stable log is cheap.
    """
    if by is not None:
        policy.authorize(by, "ambassador_group.change", region)
    Region.objects.select_for_update().get(pk=region.pk)  # one regrouping per region at a time
    now = _now(now)
    rows = list(Question.objects.filter(region=region).values_list("pk", "text", "group_id", "group__pinned"))
    old = {pk: group_id for pk, _text, group_id, _pinned in rows}
    items = [grouping.Item(pk, body, group_id if pinned else None) for pk, body, group_id, pinned in rows]
    clusters = grouping.group(items)
    existing = {g.pk: g for g in QuestionGroup.objects.filter(region=region)}
    reusable = {pk for pk, g in existing.items() if not g.pinned}
    assignments: dict[int, int | None] = dict.fromkeys(old)
    result = []
    for cluster in clusters:
        if cluster.pinned_group is not None:
            group = existing[cluster.pinned_group]
        else:
            # The old unpinned group holding most of these questions, if it is still free.
            votes = Counter(old[pk] for pk in cluster.members if old[pk] in reusable)
            best = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0] if votes else None
            if best is not None:
                reusable.discard(best)
                group = existing[best]
            else:
                group = QuestionGroup.objects.create(region=region, terms=cluster.terms, created_at=now)
        if group.terms != cluster.terms:
            group.terms = cluster.terms
            group.save(update_fields=["terms"])
        for pk in cluster.members:
            assignments[pk] = group.pk
        result.append(group)
    changed: dict[int | None, list[int]] = {}
    for pk, group_id in assignments.items():
        if old[pk] != group_id:
            changed.setdefault(group_id, []).append(pk)
    for group_id, pks in changed.items():
        for start in range(0, len(pks), 1000):
            Question.objects.filter(pk__in=pks[start:start + 1000]).update(group_id=group_id)
    # Unpinned groups that did not come back are gone; their questions were moved above.
    QuestionGroup.objects.filter(pk__in=reusable).delete()
    return result


@transaction.atomic
def groups_merge(*, groups: Sequence[QuestionGroup], by: User, title: str = "") -> QuestionGroup:
    """Merge groups into the first; the result is pinned so regrouping keeps it."""
    if len({g.pk for g in groups}) < 2:
        raise ValidationError(_("Choose at least two groups to merge."), code="too_few")
    locked = list(QuestionGroup.objects.select_for_update().filter(pk__in=[g.pk for g in groups]).order_by("pk"))
    if len(locked) != len({g.pk for g in groups}) or len({g.region_id for g in locked}) != 1:
        raise ValidationError(_("These groups cannot be merged."), code="invalid")
    target = locked[0]
    policy.authorize(by, "ambassador_group.change", target)
    Question.objects.filter(group__in=locked[1:]).update(group=target)
    QuestionGroup.objects.filter(pk__in=[g.pk for g in locked[1:]]).delete()
    target.pinned, target.changed_by = True, by
    target.title = (title or target.title).strip()[:200]
    target.save(update_fields=["pinned", "changed_by", "title"])
    return target


@transaction.atomic
def group_split(*, group: QuestionGroup, question_ids: Sequence[int], by: User, title: str = "",
                now: datetime | None = None) -> QuestionGroup:
    """Move some questions out into a new group; both groups are pinned from now on."""
    group = QuestionGroup.objects.select_for_update().get(pk=group.pk)
    policy.authorize(by, "ambassador_group.change", group)
    members = set(group.questions.values_list("pk", flat=True))
    chosen = set(question_ids)
    if not chosen or not chosen <= members:
        raise _error("questions", _("Choose questions of this group to split off."), "not_member")
    if chosen == members:
        raise _error("questions", _("Leave at least one question in the group."), "all_members")
    new = QuestionGroup.objects.create(region_id=group.region_id, title=title.strip()[:200], pinned=True,
                                       created_at=_now(now), changed_by=by, terms=[])
    Question.objects.filter(pk__in=chosen).update(group=new)
    group.pinned, group.changed_by = True, by
    group.save(update_fields=["pinned", "changed_by"])
    return new


# --- improvement proposals --------------------------------------------------------------------

@transaction.atomic
def proposal_draft(*, region: Region, by: User, title: str, problem: str, process: str, proposal: str,
                   audience: str, groups: Sequence[QuestionGroup] = (), organisations: Sequence[Organisation] = (),
                   audience_organisation: Organisation | None = None, now: datetime | None = None) -> Proposal:
    policy.authorize(by, "ambassador_proposal.change", region)
    errors: dict[str, list] = {}
    for field, value, message in (
        ("title", title, _("Give the proposal a title.")),
        ("problem", problem, _("Describe the problem.")),
        ("process", process, _("Name the process involved.")),
        ("proposal", proposal, _("Write the proposal.")),
    ):
        if not (value or "").strip():
            errors[field] = [message]
    if audience not in Audience.values:
        errors["audience"] = [_("Choose to whom the proposal goes.")]
    elif audience == Audience.MANAGEMENT and audience_organisation is None:
        errors["audience_organisation"] = [_("Choose the organisation whose management team receives it.")]
    if any(g.region_id != region.pk for g in groups) or any(o.region_id != region.pk for o in [*organisations, *filter(None, [audience_organisation])]):
        errors["groups"] = [_("Choose groups and organisations of your own region.")]
    if errors:
        raise ValidationError(errors, code="invalid")
    count = Question.objects.filter(group__in=list(groups)).count()
    item = Proposal.objects.create(
        region=region, title=title.strip()[:200], problem=problem.strip(), process=process.strip(), proposal=proposal.strip(),
        audience=audience, audience_organisation=audience_organisation if audience == Audience.MANAGEMENT else None,
        question_count=count, created_by=by, created_at=_now(now),
    )
    item.groups.set(groups)
    # A proposal rests on its groups: pin them so regrouping never dissolves them.
    QuestionGroup.objects.filter(pk__in=[g.pk for g in groups]).update(pinned=True)
    orgs = set(organisations) | set(Organisation.objects.filter(ambassador_questions__group__in=list(groups)).distinct())
    item.organisations.set(orgs)
    ProposalEvent.objects.create(proposal=item, from_status="", to_status=ProposalStatus.DRAFT, on=timezone.localdate(_now(now)),
                                 by=by, at=_now(now))
    return item


@transaction.atomic
def proposal_transition(*, proposal: Proposal, to_status: str, by: User, on: date | None = None, note: str = "",
                        now: datetime | None = None) -> Proposal:
    """Move a proposal along draft → presented → accepted/rejected → implemented, with date and decision."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    policy.authorize(by, "ambassador_proposal.change", proposal)
    if not can_transition(proposal.status, to_status):
        raise _error("to_status", _("A proposal that is “%(from)s” cannot become “%(to)s”.") % {
            "from": ProposalStatus(proposal.status).label,
            "to": ProposalStatus(to_status).label if to_status in ProposalStatus.values else to_status}, "transition")
    now = _now(now)
    on = on or timezone.localdate(now)
    if on > timezone.localdate(now):
        raise _error("on", _("The date cannot be in the future."), "future")
    last = proposal.events.order_by("-at", "-id").first()
    if last is not None and on < last.on:
        raise _error("on", _("The date lies before the previous step."), "before_previous")
    note = (note or "").strip()
    if to_status in NEEDS_DECISION and not note:
        raise _error("note", _("Write down the decision."), "decision_required")
    proposal.status = to_status
    if to_status == ProposalStatus.PRESENTED:
        proposal.presented_on = on
    elif to_status in NEEDS_DECISION:
        proposal.decided_on, proposal.decision = on, note
    elif to_status == ProposalStatus.IMPLEMENTED:
        proposal.implemented_on = on
    proposal.save()
    ProposalEvent.objects.create(proposal=proposal, from_status=last.to_status if last else "", to_status=to_status,
                                 on=on, note=note, by=by, at=now)
    if to_status in NEEDS_DECISION:
        from django.urls import reverse

        from werkbrug.notifications import services as notifications
        from werkbrug.notifications.kinds import Kind

        notifications.notify_many(recipients=[proposal.created_by], actor=by, kind=Kind.PROPOSAL_DECISION, obj=proposal,
                                  link=reverse("ambassadors:proposal", kwargs={"pk": proposal.pk}))
    return proposal


