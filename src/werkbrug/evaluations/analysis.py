"""Outcome analysis per arm: paid and competitive work at the study's time points, time to the
first job (Kaplan–Meier, log-rank), hours worked and questionnaire scores.

Job data comes from the employment module (`job_periods_for_clients`, read through its public
selectors; guarded, as that module may be absent) plus jobs the researchers recorded at
follow-up. Only randomised participants with current research consent are analysed, by the arm
they were allocated to (intention to treat). A time point is counted only once it has passed.
Time to first job runs from randomisation to the first job start on or after it, censored at
today or the study's end date, whichever comes first.

The baseline table describes the arms at randomisation: the stratification factors (n, %) and
answers a participant gave on or before the day of randomisation (the pre-randomisation
measurement): numbers and grades as mean (SD), Likert scales as median (IQR), single choices as
n (%).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from . import stats
from .models import Answer, QuestionType, RecordedJob, Study
from .selectors import analysable_participants

try:
    from werkbrug.employment.selectors import job_periods_for_clients
except ImportError:  # the employment module is built separately
    job_periods_for_clients = None


@dataclass(frozen=True)
class Job:
    start: date
    end: date | None
    hours_per_week: Decimal
    competitive: bool


def jobs_by_participant(participants: list[Any]) -> dict[int, list[Job]]:
    jobs: dict[int, list[Job]] = defaultdict(list)
    by_client = {p.client_id: p.pk for p in participants}
    if job_periods_for_clients is not None and by_client:
        try:
            periods = job_periods_for_clients(client_ids=list(by_client))
        except Exception:  # noqa: BLE001 — a half-built neighbour must not break the analysis
            periods = {}
        for client_id, items in periods.items():
            for item in items:
                jobs[by_client[client_id]].append(
                    Job(item.start, item.end, Decimal(item.hours_per_week or 0), bool(item.competitive))
                )
    for job in RecordedJob.objects.filter(participant_id__in=[p.pk for p in participants]):
        jobs[job.participant_id].append(Job(job.start, job.end, job.hours_per_week, job.competitive))
    return jobs


def active_on(jobs: list[Job], day: date, *, competitive_only: bool = False) -> list[Job]:
    return [j for j in jobs if j.start <= day and (j.end is None or j.end >= day) and (j.competitive or not competitive_only)]


@dataclass
class ArmRow:
    arm: Any
    n: int
    events: int

    @property
    def proportion(self) -> float | None:
        return self.events / self.n if self.n else None


@dataclass
class TimePointResult:
    days: int
    outcome: str  # "paid" or "competitive"
    rows: list[ArmRow]
    comparisons: list[tuple[Any, stats.ProportionComparison]]
    table_test: stats.TableTest


@dataclass
class Outcomes:
    arms: list[Any]
    control: Any
    n: int
    time_points: list[TimePointResult] = field(default_factory=list)
    curves: list[tuple[Any, stats.SurvivalCurve]] = field(default_factory=list)
    logrank: stats.LogRank | None = None
    hours: list[dict[str, Any]] = field(default_factory=list)
    scores: list[dict[str, Any]] = field(default_factory=list)
    baseline: Baseline | None = None
    at_risk: AtRisk | None = None


@dataclass
class BaselineRow:
    label: str
    statistic: str  # how the cells read: "n (%)", "mean (SD)", "median (IQR)"
    cells: list[stats.Summary]


@dataclass
class Baseline:
    columns: list[dict[str, Any]]  # {"arm": arm, "n": participants}
    rows: list[BaselineRow]


@dataclass
class AtRisk:
    days: list[int]
    rows: list[tuple[Any, list[int]]]


def time_ticks(longest: float, *, most: int = 6) -> list[int]:
    """0 and evenly spaced whole days (a step of 1, 2, 5, 10, 30, 60, 90, 180 or 365 × k) up to the
    longest follow-up, at most `most` ticks: the x axis of the KM chart and its numbers at risk."""
    for step in (1, 2, 5, 10, 30, 60, 90, 180, 365, 730, 1825):
        if longest / step <= most - 1:
            break
    return list(range(0, int(longest) + 1, step)) or [0]


def analysed_participants(*, study: Study) -> list[Any]:
    """The analysed set (intention to treat): randomised, research consent current, not excluded
    from analysis. CONSORT's "Analysed (n = …)" counts the same set (`consort.consort_counts`)."""
    return [p for p in analysable_participants(study=study)
            if getattr(p, "allocation", None) is not None and not p.excluded_from_analysis]


def outcomes(*, study: Study, today: date | None = None) -> Outcomes:
    today = today or timezone.localdate()
    arms = list(study.arms.all())
    control = next((a for a in arms if a.is_control), arms[-1] if arms else None)
    people = analysed_participants(study=study)
    jobs = jobs_by_participant(people)
    result = Outcomes(arms=arms, control=control, n=len(people))
    if not arms:
        return result
    by_arm: dict[int, list[Any]] = defaultdict(list)
    for p in people:
        by_arm[p.allocation.arm_id].append(p)
    end = min(today, study.ends_on)
    for days in study.follow_up_days:
        for outcome in ("paid", "competitive"):
            rows = []
            for arm in arms:
                observed = [p for p in by_arm[arm.pk] if p.allocation.randomised_on + timedelta(days=days) <= today]
                events = sum(
                    1 for p in observed
                    if active_on(jobs[p.pk], p.allocation.randomised_on + timedelta(days=days), competitive_only=outcome == "competitive")
                )
                rows.append(ArmRow(arm, len(observed), events))
            control_row = next(r for r in rows if r.arm == control)
            comparisons = [
                (r.arm, stats.compare_proportions(r.events, r.n, control_row.events, control_row.n))
                for r in rows if r.arm != control
            ]
            table = stats.contingency_test([[r.events, r.n - r.events] for r in rows])
            result.time_points.append(TimePointResult(days, outcome, rows, comparisons, table))
        hours_rows = []
        for arm in arms:
            observed = [p for p in by_arm[arm.pk] if p.allocation.randomised_on + timedelta(days=days) <= today]
            hours = [
                float(sum(j.hours_per_week for j in active_on(jobs[p.pk], p.allocation.randomised_on + timedelta(days=days))))
                for p in observed
            ]
            hours_rows.append((arm, hours))
        control_hours = next(h for a, h in hours_rows if a == control)
        result.hours.append({
            "days": days,
            "rows": [(arm, stats.describe(h)) for arm, h in hours_rows],
            "comparisons": [(arm, stats.compare_means(h, control_hours)) for arm, h in hours_rows if arm != control],
        })
    groups = []
    for arm in arms:
        durations, events = [], []
        for p in by_arm[arm.pk]:
            start = p.allocation.randomised_on
            firsts = sorted(j.start for j in jobs[p.pk] if j.start >= start)
            if firsts and firsts[0] <= end:
                durations.append((firsts[0] - start).days)
                events.append(True)
            else:
                durations.append(max((end - start).days, 0))
                events.append(False)
        result.curves.append((arm, stats.kaplan_meier(durations, events)))
        groups.append((durations, events))
    result.logrank = stats.logrank([g for g in groups if g[0]])
    ticks = time_ticks(max((d for durations, _e in groups for d in durations), default=0))
    result.at_risk = AtRisk(ticks, [(arm, [stats.at_risk_at(g[0], t) for t in ticks]) for arm, g in zip(arms, groups, strict=True)])
    result.baseline = baseline(study=study, arms=arms, by_arm=by_arm)
    result.scores = questionnaire_scores(study=study, people=people, arms=arms, control=control)
    return result


def questionnaire_scores(*, study: Study, people: list[Any], arms: list[Any], control: Any) -> list[dict[str, Any]]:
    arm_of = {p.pk: p.allocation.arm_id for p in people}
    values: dict[int, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    questions = {}
    for answer in Answer.objects.filter(
        invitation__questionnaire__study=study, invitation__participant_id__in=list(arm_of),
        question__type__in=[QuestionType.GRADE, QuestionType.LIKERT, QuestionType.NUMBER], number__isnull=False,
    ).select_related("question__questionnaire", "invitation"):
        questions[answer.question_id] = answer.question
        values[answer.question_id][arm_of[answer.invitation.participant_id]].append(float(answer.number))
    out = []
    for qid, question in questions.items():
        rows = [(arm, stats.describe(values[qid][arm.pk])) for arm in arms]
        control_values = values[qid][control.pk]
        out.append({
            "question": question, "rows": rows,
            "comparisons": [(arm, stats.compare_means(values[qid][arm.pk], control_values)) for arm in arms if arm != control],
        })
    return out


def _strata(people: list[Any]) -> dict[int, dict[str, str]]:
    return {p.pk: dict(part.split("=", 1) for part in p.stratum.split("|") if "=" in part) for p in people}


def baseline(*, study: Study, arms: list[Any], by_arm: dict[int, list[Any]]) -> Baseline:
    from werkbrug.clients.models import Benefit
    from werkbrug.core.models import Organisation

    people = [p for arm in arms for p in by_arm[arm.pk]]
    strata = _strata(people)
    rows: list[BaselineRow] = []
    factors = sorted({factor for values in strata.values() for factor in values})
    organisation_ids = [int(v["organisation"]) for v in strata.values() if v.get("organisation", "").isdigit()]
    organisations = dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name"))
    for factor in factors:
        for value in sorted({v[factor] for v in strata.values() if factor in v}):
            if factor == "benefit":
                label = str(dict(Benefit.choices).get(value, value))
            elif factor == "organisation":
                label = organisations.get(int(value), value) if value.isdigit() else value
            else:
                label = value
            rows.append(BaselineRow(label, "n (%)", [
                stats.summarise_category([strata[p.pk].get(factor) for p in by_arm[arm.pk]], value) for arm in arms
            ]))
    before: dict[tuple[int, int], Answer] = {}
    randomised_on = {p.pk: p.allocation.randomised_on for p in people}
    for answer in Answer.objects.filter(
        invitation__questionnaire__study=study, invitation__participant_id__in=list(randomised_on),
        question__type__in=[QuestionType.GRADE, QuestionType.NUMBER, QuestionType.LIKERT, QuestionType.SINGLE],
        number__isnull=False, invitation__responded_at__isnull=False,
    ).select_related("question__questionnaire", "invitation").order_by("invitation__responded_at", "pk"):
        if timezone.localdate(answer.invitation.responded_at) <= randomised_on[answer.invitation.participant_id]:
            before[(answer.invitation.participant_id, answer.question_id)] = answer  # the latest counts
    questions = {a.question_id: a.question for a in before.values()}
    for question in sorted(questions.values(), key=lambda q: (q.questionnaire_id, q.order, q.pk)):
        per_arm = [[float(before[(p.pk, question.pk)].number) if (p.pk, question.pk) in before else None
                    for p in by_arm[arm.pk]] for arm in arms]
        title = f"{question.questionnaire.label}: {question.text}"
        if question.type == QuestionType.SINGLE:
            for value, option in question.options():
                rows.append(BaselineRow(f"{title}: {option}", "n (%)", [stats.summarise_category(v, float(value)) for v in per_arm]))
        elif question.type == QuestionType.LIKERT:
            rows.append(BaselineRow(title, _("median (IQR)"), [stats.summarise_number(v, ordinal=True) for v in per_arm]))
        else:
            rows.append(BaselineRow(title, _("mean (SD)"), [stats.summarise_number(v) for v in per_arm]))
    return Baseline([{"arm": arm, "n": len(by_arm[arm.pk])} for arm in arms], rows)
