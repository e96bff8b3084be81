"""Importing a REDCap data dictionary into a questionnaire (`redcap.py` reads the file).

The import replaces the questions of a questionnaire whose questions may still change
(`builder.lock_error`: no response yet, not closed, not replaced by a newer version), in one
transaction: every line is checked first (the rules of the builder, `_validate_question`, and of
branching), errors are collected with their line numbers, and only a file without errors is
stored, and only when it is not a dry run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from werkbrug.core.tables import read_table

from .. import builder, redcap
from ..models import Question, Questionnaire
from .questionnaires import _locked_questionnaire, _validate_question

if TYPE_CHECKING:
    from werkbrug.core.models import User

MAX_QUESTIONS = 500


@dataclass
class DictionaryImport:
    dry_run: bool
    questions: list[dict[str, Any]] = field(default_factory=list)  # the checked fields, in order
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    stored: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _condition(source: Question | None, raw: str) -> str | None:
    """The stored value of a condition on `source` (already numbered by `redcap`, or a label)."""
    if source is None or source.type not in builder.BRANCH_SOURCES:
        return None
    values = {str(value) for value, _label in source.options()}
    return raw if raw in values else builder.option_value(source, raw)


@transaction.atomic
def questionnaire_dictionary_import(
    *,
    questionnaire: Questionnaire,
    upload: Any,
    imported_by: User,
    form: str = "",
    dry_run: bool = True,
) -> DictionaryImport:
    """Check (and unless `dry_run`, store in place of its questions) a REDCap data dictionary."""
    questionnaire = _locked_questionnaire(questionnaire, imported_by)
    result = DictionaryImport(dry_run=dry_run)
    try:
        table = read_table(upload)
    except ValidationError as exc:
        result.errors.append(_message(exc))
        return result
    parsed = redcap.read_dictionary(table, form=form)
    result.errors, result.warnings, result.forms = parsed.errors, parsed.warnings, parsed.forms
    if len(parsed.questions) > MAX_QUESTIONS:
        result.errors.append(
            _("A questionnaire has at most %(n)s questions.") % {"n": MAX_QUESTIONS}
        )
        return result
    probes: dict[str, Question] = {}
    for item in parsed.questions:
        try:
            q = _validate_question(item.fields)
            show_if, value = str(item.fields.get("show_if") or ""), ""
            if show_if:
                source = probes.get(show_if)
                checked = _condition(source, str(item.fields.get("show_if_value") or ""))
                if checked is None:
                    raise ValidationError(
                        _(
                            "Branching follows a question with answer options (grade, scale or "
                            "choice), with one of its answers."
                        ),
                        code="show_if",
                    )
                value = checked
        except ValidationError as exc:
            result.errors.append(redcap.at_line(item.line, _message(exc)))
            continue
        probes[q["code"]] = Question(**q)
        result.questions.append({**q, "show_if": show_if, "show_if_value": value})
    if result.errors or dry_run:
        return result
    questionnaire.questions.update(show_if_question=None)
    questionnaire.questions.all().delete()
    created: dict[str, Question] = {}
    for order, q in enumerate(result.questions):
        fields = {k: v for k, v in q.items() if k not in ("show_if", "show_if_value")}
        created[q["code"]] = Question.objects.create(
            questionnaire=questionnaire,
            order=order,
            show_if_question=created.get(q["show_if"]),
            show_if_value=q["show_if_value"],
            **fields,
        )
    result.stored = True
    return result
