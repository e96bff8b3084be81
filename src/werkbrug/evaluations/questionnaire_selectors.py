"""Reads of questionnaire results: response, and per question the descriptives per respondent
type, arm and schedule event; and the versions of a questionnaire.

Answers are never pooled across respondent types (clients and employers answer about different
things), arms (the comparison a trial is for) or events (baseline and 12 months measure different
moments). A choice question (yes/no too) is nominal: counts and proportions only, never a mean
(`_describe_answers`, the one rule). The caller has checked the study (see `selectors`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format

from . import stats
from .models import Allocation, Answer, Questionnaire, QuestionType, ScheduleEvent


@dataclass
class RespondentGroup:
    """One question's answers from one kind of respondent (clients, employers, professionals) in one
    arm (empty: not randomised, or not a participant) at one schedule event (empty: sent by hand)."""

    kind: str
    n: int  # respondents of this group who answered the question
    description: (
        stats.Description | None
    )  # numbers, grades and Likert scales; never a choice question
    distribution: list[tuple[str, int, float | None]]  # answer, count, share of `n`
    arm: str = ""  # the arm's name
    event: str = ""  # the schedule event's name
    arm_code: str = ""


@dataclass
class QuestionResult:
    question: Any
    description: stats.Description | None  # all respondents together (the API's `statistics`)
    distribution: list[tuple[str, int]]
    open_answers: list[str]
    groups: list[RespondentGroup] = field(default_factory=list)

    @property
    def distribution_table(self) -> list[tuple[str, list[tuple[int, float | None]]]]:
        """Per answer, (count, share) for each respondent group, in the order of `groups`."""
        per_group = [
            {label: (count, share) for label, count, share in g.distribution} for g in self.groups
        ]
        return [
            (
                label,
                [
                    cells.get(label, (0, 0.0 if g.n else None))
                    for cells, g in zip(per_group, self.groups, strict=True)
                ],
            )
            for label, _n in self.distribution
        ]


@dataclass
class QuestionnaireResults:
    questionnaire: Questionnaire
    invited: int
    responded: int
    reminded: int
    by_kind: list[tuple[str, int, int]]
    questions: list[QuestionResult]

    @property
    def response_rate(self) -> float | None:
        return self.responded / self.invited if self.invited else None


def _describe_answers(
    question: Any, rows: list[dict[str, Any]]
) -> tuple[stats.Description | None, list[tuple[str, int]]]:
    """Statistics and the distribution of one question's answers. A single or multiple choice
    (yes/no too) is nominal: counts only, never a mean of its codes."""
    options = question.options()
    if question.type == QuestionType.MULTIPLE:
        counts = Counter(v for r in rows for v in r["selected"])
        return None, [(label, counts.get(value, 0)) for value, label in options]
    numbers = [float(r["number"]) for r in rows if r["number"] is not None]
    if question.type == QuestionType.SINGLE:
        counts = Counter(int(n) for n in numbers)
        return None, [(label, counts.get(value, 0)) for value, label in options]
    description = stats.describe(numbers)
    if options and question.type == QuestionType.LIKERT:
        counts = Counter(numbers)
        return description, [(label, counts.get(float(value), 0)) for value, label in options]
    # Numbers and grades (6,5 too): the values given, in Dutch notation.
    return description, [
        (number_format(k, 0 if float(k).is_integer() else None), v)
        for k, v in description.distribution.items()
    ]


def _group_keys(
    invitations: list[dict[str, Any]],
) -> tuple[dict[int, tuple], dict[tuple, tuple[str, str, str]]]:
    """Per invitation its group's sort key (kind, arm, event), and per key the names shown."""
    participant_ids = {i["participant_id"] for i in invitations if i["participant_id"] is not None}
    arms = {
        a.participant_id: a.arm
        for a in Allocation.objects.filter(participant_id__in=participant_ids).select_related("arm")
    }
    events = {
        e.pk: e
        for e in ScheduleEvent.objects.filter(
            pk__in={i["schedule_event_id"] for i in invitations} - {None}
        )
    }
    key_of, names = {}, {}
    for i in invitations:
        arm = arms.get(i["participant_id"])
        event = events.get(i["schedule_event_id"])
        key = (
            i["kind"],
            (arm.order, arm.pk) if arm else (-1, 0),
            (event.offset_months, event.offset_days, event.pk) if event else (-1, -1, 0),
        )
        key_of[i["pk"]] = key
        names[key] = (arm.name if arm else "", event.name if event else "", arm.code if arm else "")
    return key_of, names


def questionnaire_results(
    *, questionnaire: Questionnaire, participant_ids: set[int] | None = None
) -> QuestionnaireResults:
    """Response per respondent kind and, per question, the figures per respondent kind, arm and
    schedule event (never pooled on the page); `description` and `distribution` pool them all (API)."""
    invitations = list(
        questionnaire.invitations.values(
            "pk", "kind", "responded_at", "reminder_count", "participant_id", "schedule_event_id"
        )
    )
    if participant_ids is not None:
        invitations = [
            i
            for i in invitations
            if i["participant_id"] is None or i["participant_id"] in participant_ids
        ]
    key_of, names = _group_keys(invitations)
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i in invitations:
        by_kind[i["kind"]][0] += 1
        by_kind[i["kind"]][1] += i["responded_at"] is not None
    answers = defaultdict(list)
    for answer in Answer.objects.filter(invitation__questionnaire=questionnaire).values(
        "invitation_id", "question_id", "number", "text", "selected"
    ):
        if answer["invitation_id"] in key_of:
            answers[answer["question_id"]].append(answer)
    results = []
    for question in questionnaire.questions.all():
        rows = answers[question.pk]
        if question.type == QuestionType.TEXT:
            results.append(
                QuestionResult(question, None, [], sorted(r["text"] for r in rows if r["text"]))
            )
            continue
        description, distribution = _describe_answers(question, rows)
        groups = []
        for key in sorted({key_of[r["invitation_id"]] for r in rows}):
            mine = [r for r in rows if key_of[r["invitation_id"]] == key]
            answered = [r for r in mine if r["number"] is not None or r["selected"]]
            group_description, group_distribution = _describe_answers(question, mine)
            arm, event, arm_code = names[key]
            groups.append(
                RespondentGroup(
                    key[0],
                    len(answered),
                    group_description,
                    [
                        (label, count, count / len(answered) if answered else None)
                        for label, count in group_distribution
                    ],
                    arm=arm,
                    event=event,
                    arm_code=arm_code,
                )
            )
        results.append(QuestionResult(question, description, distribution, [], groups))
    return QuestionnaireResults(
        questionnaire=questionnaire,
        invited=len(invitations),
        responded=sum(1 for i in invitations if i["responded_at"]),
        reminded=sum(1 for i in invitations if i["reminder_count"]),
        by_kind=[(k, v[0], v[1]) for k, v in sorted(by_kind.items())],
        questions=results,
    )


def questionnaire_versions(*, questionnaire: Questionnaire) -> list[Questionnaire]:
    """Every version of `questionnaire`, the first one first (one query)."""
    known = {
        q.pk: q
        for q in Questionnaire.objects.filter(study_id=questionnaire.study_id).only(
            "pk", "title", "version", "previous_id", "status", "study_id"
        )
    }
    first = known.get(questionnaire.pk, questionnaire)
    while first.previous_id is not None and first.previous_id in known:
        first = known[first.previous_id]
    next_of = {q.previous_id: q for q in known.values() if q.previous_id is not None}
    versions = [first]
    while versions[-1].pk in next_of:
        versions.append(next_of[versions[-1].pk])
    return versions
