"""Reads for the ambassador network: question lists and filters, suggestions, groups, the report.

This module and `services.py` are the app's public surface for other apps.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, F, FloatField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone

from werkbrug.core import policy
from werkbrug.core.choices import Role, UserKind
from werkbrug.core.models import Region, User

from . import text
from .deadlines import Timeliness
from .models import (
    Absence,
    Ambassador,
    Proposal,
    ProposalStatus,
    Question,
    QuestionGroup,
    QuestionTerm,
    Topic,
)

__all__ = [
    "absence_get", "ambassador_get", "ambassador_list", "appointable_people", "group_get", "group_list", "in_time_rates", "proposal_get", "proposal_list",
    "qa_get", "qa_list", "question_get", "question_list", "region_report", "similar_questions",
    "timeliness_q", "topics_for", "user_region",
]


# The deadline the first answer is judged against: the first round's, also after a follow-up
# started a new clock (`services.question_follow_up`).
ANSWER_DEADLINE = Coalesce(F("first_deadline_at"), F("deadline_at"))
ANSWER_VERY_LATE = Coalesce(F("first_very_late_at"), F("very_late_at"))


def timeliness_q(kind: str, now: datetime) -> Q:
    """The database filter for on time / late / very late (open questions: measured until now)."""
    if kind == Timeliness.ON_TIME:
        return Q(answered_at__isnull=False, answered_at__lte=ANSWER_DEADLINE) | Q(answered_at__isnull=True, deadline_at__gte=now)
    if kind == Timeliness.LATE:
        return (Q(answered_at__gt=ANSWER_DEADLINE, answered_at__lte=ANSWER_VERY_LATE)
                | Q(answered_at__isnull=True, deadline_at__lt=now, very_late_at__gte=now))
    if kind == Timeliness.VERY_LATE:
        return Q(answered_at__gt=ANSWER_VERY_LATE) | Q(answered_at__isnull=True, very_late_at__lt=now)
    raise ValueError(kind)


def timeliness_of(question: Question, now: datetime) -> str:
    if question.answered_at is not None:
        end = question.answered_at
        deadline = question.first_deadline_at or question.deadline_at
        very_late = question.first_very_late_at or question.very_late_at
    else:
        end, deadline, very_late = now, question.deadline_at, question.very_late_at
    if end <= deadline:
        return Timeliness.ON_TIME
    return Timeliness.LATE if end <= very_late else Timeliness.VERY_LATE


def topics_for(*, region_id: int, active_only: bool = True) -> QuerySet[Topic]:
    qs = Topic.objects.filter(region_id=region_id)
    return qs.filter(active=True) if active_only else qs


def question_list(*, user: User, timeliness: str = "", status: str = "", organisation_id: int | None = None,
                  topic_id: int | None = None, mine: bool = False, now: datetime | None = None) -> QuerySet[Question]:
    qs = policy.scope(user, "ambassador_question.view", Question.objects.all())
    if timeliness:
        qs = qs.filter(timeliness_q(timeliness, now or timezone.now()))
    if status:
        qs = qs.filter(status=status)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if topic_id:
        qs = qs.filter(topic_id=topic_id)
    if mine:
        qs = qs.filter(Q(asked_by=user) | Q(assignee__person=user))
    return qs.select_related("organisation", "topic", "assignee__person", "asked_by").order_by("-asked_at", "-id")


def question_get(*, user: User, pk: int, action: str = "ambassador_question.view") -> Question:
    question = (Question.objects.select_related("organisation", "topic", "assignee__person", "asked_by", "answered_by", "group")
                .filter(pk=pk).first())
    if question is None:
        raise Http404
    policy.authorize(user, action, question)
    return question


def question_fetch(*, pk: int) -> Question:
    """A plain fetch for write views: the service decides access."""
    question = Question.objects.filter(pk=pk).first()
    if question is None:
        raise Http404
    return question


def qa_list(*, user: User, query: str = "") -> QuerySet[Question]:
    qs = policy.scope(user, "ambassador_qa.view", Question.objects.all()).select_related("topic", "organisation")
    if query:
        qs = qs.filter(Q(public_question__icontains=query) | Q(public_answer__icontains=query))
    return qs.order_by("-published_at", "-id")


def qa_get(*, user: User, pk: int) -> Question:
    question = Question.objects.select_related("topic", "organisation").filter(pk=pk).first()
    if question is None:
        raise Http404
    policy.authorize(user, "ambassador_qa.view", question)
    return question


@dataclass(frozen=True)
class Suggestion:
    id: int
    question: str
    answer: str
    published: bool
    score: float


def similar_questions(*, user: User, query: str, limit: int = 5, min_score: float = 0.2) -> list[Suggestion]:
    """Answered questions like `query` that the user may read ("maybe this helps you already").

    TF-IDF in two indexed queries: document frequencies of the query's stems, then a weighted
    sum per question over `QuestionTerm` (stems of answered questions, weights L2-normalised).
    """
    weights = text.term_weights(query)
    if not weights or user.region_id is None:
        return []
    stems = sorted(weights)[:40]
    terms = QuestionTerm.objects.filter(region_id=user.region_id)
    df = dict(terms.filter(stem__in=stems).values_list("stem").annotate(n=Count("id")).values_list("stem", "n"))
    if not df:
        return []
    total = Question.objects.filter(region_id=user.region_id).count() or 1  # on the (region, asked_at) index
    # Score on the (at most) six most telling stems that are not common (in at most a tenth of
    # the questions): the rare ones decide the match, and the common ones would make the
    # database add up thousands of rows for little. With only common stems, the two rarest.
    ranked_stems = sorted(((s, weights[s] * text.idf(df[s], total)) for s in df), key=lambda t: (-t[1], t[0]))
    common = max(50, total // 10)
    chosen = [(s, w) for s, w in ranked_stems if df[s] <= common][:6] or ranked_stems[:2]
    query_weights = dict(chosen)
    norm = sum(w * w for w in query_weights.values()) ** 0.5 or 1.0
    # QuestionTerm carries the question's region, published flag and asker, so the policy's
    # scope applies to it directly (no join to the questions).
    candidates = policy.scope(user, "ambassador_question.similar", terms.filter(stem__in=list(query_weights)))
    score = Sum(Case(*[When(stem=s, then=Value(w / norm)) for s, w in query_weights.items()], default=Value(0.0),
                     output_field=FloatField()) * F("weight"))
    ranked = list(
        candidates.values("question_id").annotate(score=score).filter(score__gte=min_score)
        .order_by("-score", "-question_id")[:limit]
    )
    if not ranked:
        return []
    questions = Question.objects.in_bulk([r["question_id"] for r in ranked])
    answers = {}
    for question_id, body in (Question.objects.filter(pk__in=list(questions)).values_list("pk", "messages__text")
                              .filter(messages__kind="answer").order_by("messages__created_at")):
        answers.setdefault(question_id, body)
    result = []
    for r in ranked:
        q = questions[r["question_id"]]
        shown = q.public_question if q.published and q.public_question else q.text
        answer = q.public_answer if q.published and q.public_answer else answers.get(q.pk, "")
        result.append(Suggestion(q.pk, shown, answer, q.published, round(r["score"], 3)))
    return result


def ambassador_list(*, region_id: int) -> QuerySet[Ambassador]:
    return (Ambassador.objects.filter(organisation__region_id=region_id).select_related("person", "organisation")
            .prefetch_related("stand_ins__person", "absences").order_by("organisation__name", "position", "id"))


def appointable_people(*, region_id: int) -> QuerySet:
    """Professionals of the region with the ambassador role who are not an active ambassador."""
    return (User.objects.filter(region_id=region_id, kind=UserKind.PROFESSIONAL, is_active=True,
                                organisation__isnull=False, role_assignments__role=Role.AMBASSADOR)
            .exclude(ambassador__active=True).select_related("organisation")
            .order_by("organisation__name", "last_name", "first_name", "id").distinct())


def ambassador_get(*, region_id: int, pk) -> Ambassador:
    """An ambassador of the region, by id; 404 for another region or a bad id."""
    ambassador = (Ambassador.objects.filter(pk=pk if str(pk).isdigit() else 0, organisation__region_id=region_id)
                  .select_related("person", "organisation").first())
    if ambassador is None:
        raise Http404
    return ambassador


def absence_get(*, region_id: int, pk) -> Absence:
    """An absence of an ambassador of the region, by id; 404 for another region or a bad id.
    Whether the user may change it is the service's question (`ambassador_absence.record`)."""
    absence = Absence.objects.filter(pk=pk if str(pk).isdigit() else 0,
                                     ambassador__organisation__region_id=region_id).first()
    if absence is None:
        raise Http404
    return absence


def group_list(*, user: User, min_size: int = 2) -> QuerySet[QuestionGroup]:
    policy.authorize(user, "ambassador_group.view", None)
    return (QuestionGroup.objects.filter(region_id=user.region_id).annotate(size=Count("questions"))
            .filter(size__gte=1 if min_size <= 1 else min_size).order_by("-size", "-id"))


def group_get(*, user: User, pk: int, action: str = "ambassador_group.view") -> QuestionGroup:
    group = QuestionGroup.objects.filter(pk=pk).first()
    if group is None:
        raise Http404
    policy.authorize(user, action, group)
    return group


def group_details(groups) -> dict[int, dict]:
    """Per group: its organisations and topics (names) and its questions, in few queries."""
    ids = [g.pk for g in groups]
    details: dict[int, dict] = {pk: {"organisations": set(), "topics": set(), "questions": []} for pk in ids}
    for q in Question.objects.filter(group_id__in=ids).select_related("organisation", "topic").order_by("asked_at", "id"):
        d = details[q.group_id]
        d["organisations"].add(q.organisation.short_name or q.organisation.name)
        d["topics"].add(q.topic.name)
        d["questions"].append(q)
    for d in details.values():
        d["organisations"], d["topics"] = sorted(d["organisations"]), sorted(d["topics"])
    return details


def proposal_list(*, user: User) -> QuerySet[Proposal]:
    policy.authorize(user, "ambassador_proposal.view", None)
    return Proposal.objects.filter(region_id=user.region_id).select_related("audience_organisation").order_by("-created_at", "-id")


def proposal_get(*, user: User, pk: int) -> Proposal:
    proposal = Proposal.objects.select_related("audience_organisation", "created_by").filter(pk=pk).first()
    if proposal is None:
        raise Http404
    policy.authorize(user, "ambassador_proposal.view", proposal)
    return proposal


def in_time_rates(questions: QuerySet[Question], *, by: str, now: datetime) -> list[dict]:
    """Answered-in-time rate per `by` ("organisation" or "ambassador").

    Counted: answered questions, plus open ones already past their deadline (they cannot be on
    time any more). Per ambassador: the ambassador who held the question when its deadline
    passed (a stand-in is not blamed for a colleague's delay), else the one who holds it now.
    """
    due = questions.filter(Q(answered_at__isnull=False) | Q(deadline_at__lt=now))
    on_time = Count("id", filter=Q(answered_at__isnull=False, answered_at__lte=ANSWER_DEADLINE))
    if by == "organisation":
        rows = due.values("organisation__name").annotate(total=Count("id"), on_time=on_time).order_by("organisation__name")
        named = [(r["organisation__name"], r) for r in rows]
    else:
        rows = list(due.annotate(holder=Coalesce("held_at_deadline_id", "assignee_id")).values("holder")
                    .annotate(total=Count("id"), on_time=on_time).order_by("holder"))
        people = {a.pk: a.person for a in Ambassador.objects.filter(pk__in=[r["holder"] for r in rows if r["holder"]])
                  .select_related("person")}
        named = sorted(((str(people[r["holder"]]) if r["holder"] in people else "—", r) for r in rows),
                       key=lambda pair: (people[pair[1]["holder"]].last_name if pair[1]["holder"] in people else "", pair[0]))
    return [{"name": name, "total": r["total"], "on_time": r["on_time"],
             "rate": round(100 * r["on_time"] / r["total"]) if r["total"] else None} for name, r in named]


def _month_range(start: date, end: date) -> list[date]:
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def region_report(*, user: User, region: Region, start: date, end: date, now: datetime | None = None) -> dict:
    """Aggregates only: questions per month, topic and organisation; rates; median answer time;
    top recurring groups; proposals. No question text and no names of askers."""
    policy.authorize(user, "ambassador_report.view", region)
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tz)
    questions = Question.objects.filter(region=region, asked_at__gte=since, asked_at__lt=until)
    per_month = {row["month"].date() if isinstance(row["month"], datetime) else row["month"]: row["n"]
                 for row in questions.annotate(month=TruncMonth("asked_at", tzinfo=tz)).values("month").annotate(n=Count("id"))}
    months = _month_range(start, end)
    per_topic = list(questions.values("topic__name").annotate(n=Count("id")).order_by("-n", "topic__name"))
    per_org = list(questions.values("organisation__name").annotate(n=Count("id")).order_by("-n", "organisation__name"))
    durations = [(a - q).total_seconds() / 3600 for q, a in questions.filter(answered_at__isnull=False).values_list("asked_at", "answered_at")]
    total = questions.count()
    due = questions.filter(Q(answered_at__isnull=False) | Q(deadline_at__lt=now))
    due_count = due.count()
    on_time = due.filter(answered_at__isnull=False, answered_at__lte=ANSWER_DEADLINE).count()
    timeliness_counts = {kind: questions.filter(timeliness_q(kind, now)).count() for kind in Timeliness}
    top_groups = list(
        QuestionGroup.objects.filter(region=region, questions__in=questions).annotate(n=Count("questions")).filter(n__gte=2)
        .order_by("-n", "id")[:10]
    )
    proposals = list(Proposal.objects.filter(region=region, created_at__lt=until).order_by("created_at", "id"))
    return {
        "start": start, "end": end, "total": total,
        "months": [(m, per_month.get(m, 0)) for m in months],
        "per_topic": per_topic, "per_organisation": per_org,
        "answered": len(durations),
        "median_hours": round(statistics.median(durations), 1) if durations else None,
        "in_time_rate": round(100 * on_time / due_count) if due_count else None,
        "on_time": on_time, "due": due_count,
        "timeliness": timeliness_counts,
        "rates_by_organisation": in_time_rates(questions, by="organisation", now=now),
        "rates_by_ambassador": in_time_rates(questions, by="ambassador", now=now),
        "top_groups": top_groups,
        "proposals": proposals,
        "proposal_counts": {s.label: sum(1 for p in proposals if p.status == s) for s in ProposalStatus},
    }


def user_region(*, user: User) -> Region:
    """The ambassador network of the user's region; 404 for a user without one (e.g. a client)."""
    region = Region.objects.filter(pk=user.region_id).first()
    if region is None:
        raise Http404
    return region
