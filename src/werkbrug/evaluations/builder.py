"""Rules of the questionnaire builder: when questions may change, scales, grades and branching.

- **Changing questions.** Questions are added, edited, deleted and reordered until the first
  response arrives; after that the answers given must keep meaning what they meant, so every
  change is refused (`lock_error`, the one rule pages and API use) and made in a new version
  instead (a copy of the questions; `services.questionnaire_version_create`). A closed
  questionnaire, or one that a newer version replaced, is never changed.
- **Grades** are Dutch report grades: 1 to 10 in steps of a half (6,5), stored as Decimal.
- **Likert scales** have 3 to 11 points, each with an optional label (all points or none; five
  points without labels get the usual disagree–agree labels).
- **Branching**: a question may be shown only when an earlier closed question (grade, Likert,
  single or multiple choice) has a given answer ("show B only if A is Yes"). A hidden question is
  not asked and not required; an answer sent for it anyway is not stored. A question hidden because
  its own condition's question is hidden is hidden too.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import QuestionnaireStatus, QuestionType

if TYPE_CHECKING:
    from .models import Question, Questionnaire

GRADE_MIN, GRADE_MAX, GRADE_STEP = Decimal(1), Decimal(10), Decimal("0.5")
SCALE_MIN_POINTS, SCALE_MAX_POINTS, SCALE_DEFAULT_POINTS = 3, 11, 5
MAX_DECIMALS = 2
BRANCH_SOURCES = frozenset({QuestionType.GRADE, QuestionType.LIKERT, QuestionType.SINGLE, QuestionType.MULTIPLE})


def lock_error(questionnaire: Questionnaire) -> ValidationError | None:
    """Why the questions of `questionnaire` can no longer change, or None while they can."""
    newer = newer_version(questionnaire)
    if newer is not None:
        return ValidationError(
            _("Version %(n)s replaces this version: make changes there.") % {"n": newer.version}, code="superseded",
        )
    if questionnaire.status == QuestionnaireStatus.CLOSED:
        return ValidationError(_("This questionnaire is closed: its questions can no longer be changed."),
                               code="not_draft")
    if questionnaire.invitations.filter(responded_at__isnull=False).exists():
        return ValidationError(
            _("The first response has arrived: questions can no longer be added, changed, deleted or moved, so "
              "that every answer keeps its meaning. Make a new version to change the questions."),
            code="has_responses",
        )
    return None


def newer_version(questionnaire: Questionnaire) -> Questionnaire | None:
    """The version that replaced `questionnaire`, or None when it is the newest."""
    from .models import Questionnaire as QuestionnaireModel

    return QuestionnaireModel.objects.filter(previous=questionnaire).first()


def refuse_if_locked(questionnaire: Questionnaire) -> None:
    error = lock_error(questionnaire)
    if error is not None:
        raise error


def decimals_of(value: Decimal) -> int:
    """The decimals a number is written with, trailing zeros aside (6.50 → 1, 7.00 → 0)."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def number(raw: Any) -> Decimal | None:
    """A number as a person types it: `6,5` and `6.5` alike; None when it is not one."""
    if raw is None or isinstance(raw, bool):
        return None
    text = str(raw).strip().replace(" ", "")
    if "," in text and "." in text:  # 1.234,5: the Dutch thousands point
        text = text.replace(".", "")
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def dutch(value: Decimal | int | float) -> str:
    """6.5 → "6,5"; 7 → "7"."""
    text = f"{Decimal(str(value)).normalize():f}"
    return text.replace(".", ",")


def is_grade(value: Decimal) -> bool:
    return GRADE_MIN <= value <= GRADE_MAX and (value / GRADE_STEP) == (value / GRADE_STEP).to_integral_value()


def grade_options() -> list[tuple[int | float, str]]:
    """1, 1,5 … 10: whole grades as int, halves as float (both exact), labels in Dutch notation."""
    options: list[tuple[int | float, str]] = []
    value = GRADE_MIN
    while value <= GRADE_MAX:
        key: int | float = int(value) if value == value.to_integral_value() else float(value)
        options.append((key, dutch(value)))
        value += GRADE_STEP
    return options


def scale_points(question: Question) -> int:
    return question.scale_points or SCALE_DEFAULT_POINTS


def scale_options(question: Question) -> list[tuple[int, str]]:
    from .models.questionnaires import LIKERT_LABELS

    points = scale_points(question)
    labels = [str(label) for label in (question.scale_labels or [])]
    if len(labels) != points:
        labels = [str(label) for label in LIKERT_LABELS] if points == len(LIKERT_LABELS) else [str(i) for i in range(1, points + 1)]
    return list(enumerate(labels, start=1))


# --- branching -------------------------------------------------------------------------------


def option_value(source: Question, raw: Any) -> str | None:
    """The stored form of an answer option of `source`, from its value or its label; None if unknown."""
    wanted = str(raw or "").strip()
    if not wanted:
        return None
    for value, label in source.options():
        if wanted.casefold() == str(label).casefold():
            return str(value)
    parsed = number(wanted)
    for value, _label in source.options():
        if parsed is not None and Decimal(str(value)) == parsed:
            return str(value)
    return None


def _answered(source: Question, raw: Any, wanted: str) -> bool:
    target = Decimal(wanted)
    values = raw if isinstance(raw, list | tuple) else [raw]
    for value in values:
        parsed = number(value)
        if parsed is not None and parsed == target:
            return True
    return False


def shown(questions: list[Question], answers: dict[str, Any]) -> set[int]:
    """The ids of the questions that are asked, given the raw `answers` by question code (in order:
    a condition names an earlier question, so one pass decides)."""
    asked: set[int] = set()
    by_id = {q.pk: q for q in questions}
    for question in questions:
        condition = by_id.get(question.show_if_question_id) if question.show_if_question_id else None
        if question.show_if_question_id and condition is None:
            continue
        if condition is None or (condition.pk in asked
                                 and _answered(condition, answers.get(condition.code), question.show_if_value)):
            asked.add(question.pk)
    return asked


def check_order(questions: list[Question]) -> None:
    """Every condition names a question that comes earlier."""
    seen: set[int] = set()
    for question in questions:
        if question.show_if_question_id and question.show_if_question_id not in seen:
            raise ValidationError(
                _("“%(question)s” is shown only after an answer to an earlier question; it cannot come before that "
                  "question.") % {"question": question.text},
                code="branch_order",
            )
        seen.add(question.pk)
