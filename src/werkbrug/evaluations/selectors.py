"""Reads for evaluation research. Researchers see participants by study pseudonym only.

Permission-checked fetches (`study_get`, `participant_get`) authorise once and so write the one
access-log record of the request; write views check first with `study_check` / `participant_check`
(the service they call writes the record). The other selectors assume the caller did that.
Public surface for other apps: `open_questionnaires_for_client` (the client portal).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from werkbrug.core import policy
from werkbrug.core.choices import DataCategory

from . import stats
from .kappa import cohens_kappa as kappa_with_interval
from .models import (
    Allocation,
    Code,
    Coding,
    Expectation,
    FidelityReview,
    Interview,
    Invitation,
    Level,
    Memo,
    Participant,
    Passage,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    Stage,
    Study,
)
from .questionnaire_selectors import (
    QuestionnaireResults,
    QuestionResult,
    RespondentGroup,
    questionnaire_results,
    questionnaire_versions,
)

if TYPE_CHECKING:
    from werkbrug.clients.models import Client
    from werkbrug.core.models import User

__all__ = [
    "agreement", "code_frequencies", "consort", "invitation_by_token", "open_questionnaires_for_client",
    "participant_get", "participants", "questionnaire_results", "questionnaire_versions", "research_day",
    "studies_for_user", "study_get", "QuestionnaireResults", "QuestionResult", "RespondentGroup",
]


def studies_for_user(*, user: User) -> QuerySet[Study]:
    return policy.scope(user, "study.view", Study.objects.all()).annotate(
        n_participants=Count("participants", distinct=True)
    ).order_by("-starts_on", "title")


def study_check(*, user: User, pk: int, action: str = "study.change") -> Study:
    """The study for a write (POST) view, checked before any input is parsed (`policy.check`)."""
    study = Study.objects.select_related("organisation", "region").filter(pk=pk).first()
    if study is None:
        raise Http404
    policy.check(user, action, study)
    return study


def participant_check(*, user: User, study_pk: int, pk: int, action: str = "participant.change") -> Participant:
    """The participant for a write view, checked before any input is parsed (`policy.check`)."""
    participant = (
        Participant.objects.select_related("study", "client", "allocation__arm").filter(study_id=study_pk, pk=pk).first()
    )
    if participant is None:
        raise Http404
    policy.check(user, action, participant)
    return participant


def invitation_check(*, user: User, invitation: Invitation) -> Invitation:
    """A client's own invitation, checked before their answers are parsed (`policy.check`)."""
    policy.check(user, "questionnaire.respond", invitation)
    return invitation


def study_get(*, user: User, pk: int, action: str = "study.view") -> Study:
    study = Study.objects.select_related("organisation", "region").filter(pk=pk).first()
    if study is None:
        raise Http404
    policy.authorize(user, action, study)
    return study


def participant_get(*, user: User, study_pk: int, pk: int, action: str = "participant.view") -> Participant:
    participant = (
        Participant.objects.select_related("study", "client", "allocation__arm").filter(study_id=study_pk, pk=pk).first()
    )
    if participant is None:
        raise Http404
    policy.authorize(user, action, participant)
    return participant


def _consent_exists(study: Study):
    from werkbrug.clients.models import ConsentState

    return Exists(
        ConsentState.objects.current().filter(
            client_id=OuterRef("client_id"), organisation_id=study.organisation_id, category=DataCategory.RESEARCH,
        )
    )


def _all_participants(*, study: Study) -> QuerySet[Participant]:
    """Every participant with `research_consent` (current) annotated: for counts only (CONSORT),
    never for a list a researcher sees."""
    return (
        Participant.objects.filter(study=study)
        .annotate(research_consent=_consent_exists(study))
        .select_related("allocation__arm")
        .order_by("study_pseudonym")
    )


def participants(*, study: Study) -> QuerySet[Participant]:
    """The participants a researcher sees, with their allocation: those whose research consent is
    current. A participant who withdrew disappears from every page, API answer and export (the
    CONSORT flow keeps only the count, `Consort.withdrew_consent`). No client fields are
    selected: templates and exports cannot reach a name by accident."""
    return _all_participants(study=study).filter(research_consent=True)


def analysable_participants(*, study: Study) -> QuerySet[Participant]:
    """Participants whose data may be analysed and exported: the same as `participants`."""
    return participants(study=study)


# --- CONSORT ---------------------------------------------------------------------------------


def consort(*, study: Study):
    """Counts for the CONSORT flow (`consort.consort_counts`)."""
    from .consort import consort_counts

    return consort_counts(study=study)


def recruitment(*, study: Study) -> list[tuple[str, int]]:
    counts = Counter(Participant.objects.filter(study=study).values_list("stage", flat=True))
    return [(str(label), counts.get(value, 0)) for value, label in Stage.choices]


# --- questionnaires --------------------------------------------------------------------------


def open_questionnaires_for_client(*, client: Client) -> QuerySet[Invitation]:
    """The client's unanswered invitations to open questionnaires (for the portal)."""
    today = timezone.localdate()
    return (
        Invitation.objects.filter(
            participant__client=client, responded_at__isnull=True, questionnaire__status=QuestionnaireStatus.OPEN,
        )
        .filter(Q(questionnaire__closes_on__isnull=True) | Q(questionnaire__closes_on__gte=today))
        .select_related("questionnaire")
        .order_by("sent_at")
    )


def invitation_fetch(*, pk: int) -> Invitation:
    """A portal invitation by id, unchecked: callers authorize `questionnaire.respond` next (the
    rule allows only the client it is for, and logs a refusal against that client)."""
    invitation = (Invitation.objects.select_related("questionnaire", "participant__client")
                  .filter(pk=pk, participant__isnull=False).first())
    if invitation is None:
        raise Http404
    return invitation


def invitation_by_token(*, token: str) -> Invitation:
    invitation = Invitation.objects.select_related("questionnaire").filter(token=token, participant__isnull=True).first()
    if invitation is None:
        raise Http404
    return invitation


def questionnaire_fetch(*, study: Study, pk: int) -> Questionnaire:
    questionnaire = Questionnaire.objects.filter(study=study, pk=pk).first()
    if questionnaire is None:
        raise Http404
    return questionnaire


def question_fetch(*, questionnaire: Questionnaire, pk: int) -> Question:
    """A question of a questionnaire the caller already fetched through its checked study."""
    question = Question.objects.select_related("show_if_question").filter(questionnaire=questionnaire, pk=pk).first()
    if question is None:
        raise Http404
    return question


def research_day(moment: datetime | None) -> date | None:
    """When something happened, as researchers see it: the day (Europe/Amsterdam), never the time.

    A response time to the second (let alone the microsecond) can be matched against other
    records (a portal sign-in, an appointment, a call) and so link a study pseudonym to a person.
    Every researcher-facing page, API answer and export shows dates through this function."""
    return timezone.localdate(moment) if moment is not None else None


def invitation_tracking(*, questionnaire: Questionnaire, participant_ids: set[int]) -> list[dict[str, Any]]:
    """Who was asked, reminded and answered: participants by study pseudonym, others by kind."""
    rows = []
    for i in questionnaire.invitations.select_related("participant").order_by("sent_at", "pk"):
        if i.participant_id is not None and i.participant_id not in participant_ids:
            continue
        rows.append({
            "who": i.participant.study_pseudonym if i.participant else "", "kind": i.get_kind_display(),
            "sent_at": research_day(i.sent_at), "reminders": i.reminder_count,
            "responded_at": research_day(i.responded_at),
        })
    return rows


# --- interviews and coding ---------------------------------------------------------------------


def interview_fetch(*, study: Study, pk: int) -> Interview:
    interview = Interview.objects.select_related("round").filter(round__study=study, pk=pk).first()
    if interview is None:
        raise Http404
    return interview


def interview_passages(*, interview: Interview) -> QuerySet[Passage]:
    return interview.passages.prefetch_related(
        Prefetch("codings", queryset=Coding.objects.select_related("code", "coder").order_by("code__name", "start")),
        Prefetch("memos", queryset=Memo.objects.select_related("author").order_by("created_at", "pk")),
    )


def codebook(*, study: Study) -> list[tuple[Code, int]]:
    """Codes in tree order with their depth."""
    codes = list(study.codes.all())
    children = defaultdict(list)
    for code in codes:
        children[code.parent_id].append(code)
    ordered: list[tuple[Code, int]] = []

    def walk(parent_id, depth):
        for code in sorted(children[parent_id], key=lambda c: c.name.lower()):
            ordered.append((code, depth))
            walk(code.pk, depth + 1)

    walk(None, 0)
    return ordered


def code_frequencies(*, study: Study) -> dict[str, Any]:
    """Per code: how many passages carry it per round and per level (a passage counted once per
    code, whichever coder(s) gave it)."""
    rows = set(
        Coding.objects.filter(code__study=study).values_list("code_id", "passage_id", "passage__interview__round__number", "level")
    )
    rounds = sorted({r[2] for r in rows} | set(study.rounds.values_list("number", flat=True)))
    per_round = defaultdict(Counter)
    per_level = defaultdict(Counter)
    seen_round, seen_level = set(), set()
    for code_id, passage_id, round_number, level in rows:
        if (code_id, passage_id) not in seen_round:
            per_round[code_id][round_number] += 1
            seen_round.add((code_id, passage_id))
        if (code_id, passage_id, level) not in seen_level:
            per_level[code_id][level] += 1
            seen_level.add((code_id, passage_id, level))
    table = []
    for code, depth in codebook(study=study):
        table.append({
            "code": code, "depth": depth,
            "rounds": [per_round[code.pk].get(n, 0) for n in rounds],
            "levels": [per_level[code.pk].get(level, 0) for level in Level.values],
            "total": sum(per_round[code.pk].values()),
        })
    return {"rounds": rounds, "levels": [str(label) for label in Level.labels], "rows": table}


def quotes_per_code(*, study: Study, limit: int = 5) -> list[tuple[Code, list[tuple[str, str]]]]:
    quotes = defaultdict(list)
    seen = set()
    for code_id, passage_id, label, text in (
        Coding.objects.filter(code__study=study).order_by("passage__interview__label", "passage__number")
        .values_list("code_id", "passage_id", "passage__interview__label", "passage__text")
    ):
        if (code_id, passage_id) in seen or len(quotes[code_id]) >= limit:
            continue
        seen.add((code_id, passage_id))
        quotes[code_id].append((label, text))
    return [(code, quotes[code.pk]) for code, _depth in codebook(study=study) if quotes[code.pk]]


@dataclass
class Agreement:
    coder_a: Any
    coder_b: Any
    units: int
    kappa: float | None
    alpha: float | None
    per_code: list[tuple[Code, float | None, int]]
    kappa_ci: Any = None  # kappa.Kappa: the standard error and 95 % interval of `kappa`


def coders(*, study: Study) -> list[Any]:
    from werkbrug.core.models import User

    return list(User.objects.filter(pk__in=Coding.objects.filter(code__study=study).values("coder_id")).order_by("last_name"))


def agreement(*, study: Study, coder_a: Any, coder_b: Any) -> Agreement:
    """Inter-coder agreement on the passages both coders coded.

    Overall: each passage gets, per coder, the set of codes given as one nominal value; Cohen's
    kappa and Krippendorff's alpha on those. Per code: present/absent per passage (kappa).
    """
    given: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for passage_id, coder_id, code_id in Coding.objects.filter(
        code__study=study, coder_id__in=[coder_a.pk, coder_b.pk]
    ).values_list("passage_id", "coder_id", "code_id"):
        given[passage_id][coder_id].add(code_id)
    both = sorted(p for p, by in given.items() if coder_a.pk in by and coder_b.pk in by)
    labels_a = [frozenset(given[p][coder_a.pk]) for p in both]
    labels_b = [frozenset(given[p][coder_b.pk]) for p in both]
    kappa_ci = kappa_with_interval(labels_a, labels_b)
    kappa = kappa_ci.kappa
    alpha = stats.krippendorff_alpha(list(zip(labels_a, labels_b, strict=True))) if both else None
    per_code = []
    for code, _depth in codebook(study=study):
        a = [code.pk in given[p][coder_a.pk] for p in both]
        b = [code.pk in given[p][coder_b.pk] for p in both]
        if any(a) or any(b):
            per_code.append((code, stats.cohens_kappa(a, b), sum(a) + sum(b)))
    return Agreement(coder_a, coder_b, len(both), kappa, alpha, per_code, kappa_ci)


def expectations(*, study: Study) -> QuerySet[Expectation]:
    return study.expectations.select_related("round", "assessed_in").order_by("kind", "id")


# --- fidelity --------------------------------------------------------------------------------


def fidelity_reviews(*, user: User) -> QuerySet[FidelityReview]:
    return FidelityReview.objects.filter(region_id=user.region_id).select_related("organisation").order_by("team_name", "reviewed_on")


def fidelity_trend(*, reviews: list[FidelityReview]) -> dict[str, Any]:
    """Item scores over successive reviews, per team."""
    from . import fidelity as scale

    teams = defaultdict(list)
    for review in reviews:
        teams[review.team_name].append(review)
    out = []
    for team, items in teams.items():
        rows = [
            {"number": i + 1, "section": str(scale.SECTIONS[section]), "item": str(label),
             "scores": [r.scores[i] for r in items]}
            for i, (section, label) in enumerate(scale.ITEMS)
        ]
        latest = items[-1]
        out.append({
            "team": team, "reviews": items, "rows": rows, "band": scale.band(latest.total),
            "improve": scale.items_to_improve(latest.scores),
        })
    return {"teams": out}


def allocations_count(*, study: Study) -> int:
    return Allocation.objects.filter(study=study).count()


def screening_candidates(*, study: Study) -> QuerySet[Client]:
    """Clients who may be screened and enrolled: active in the study's region, with current
    research consent for its organisation, meeting the benefit criteria, not yet screened or
    enrolled. (Enrolling all eligible takes every one of them.)"""
    from werkbrug.clients.models import Client, ConsentState

    consenting = ConsentState.objects.current().filter(
        organisation_id=study.organisation_id, category=DataCategory.RESEARCH
    ).values("client_id")
    qs = Client.objects.filter(region_id=study.region_id, status="active", pk__in=consenting)
    if study.eligible_benefits:
        qs = qs.filter(benefit__in=study.eligible_benefits)
    screened = study.screenings.filter(client__isnull=False).values("client_id")
    return qs.exclude(study_participations__study=study).exclude(pk__in=screened)
