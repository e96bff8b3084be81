"""REDCap's CSV data dictionary for a questionnaire: written from its questions, read into questions.

A REDCap data dictionary is a CSV file with one line per field and the 18 columns of `COLUMNS`
(REDCap's own headers, in its order). The first field of a REDCap project is its record
identifier (`record_id`): the export writes it and the import leaves it out.

How Werkbrug's question types meet REDCap's field types:

| Werkbrug | REDCap |
| --- | --- |
| number (min, max, decimals 0/1/2/any) | `text`, validation `integer` / `number_1dp` / `number_2dp` / `number`, min and max |
| grade 1–10 in halves | `text`, validation `number_1dp`, 1 to 10, annotation `werkbrug:grade` |
| Likert scale (3–11 points, labels) | `radio` "1, label \\| 2, label …", alignment `LH`, annotation `werkbrug:likert` |
| single choice | `radio` "1, Ja \\| 2, Nee" (read: `radio`, `dropdown`, `yesno`, `truefalse`) |
| multiple choice | `checkbox` |
| open text | `notes` (read: `notes`, `text` without validation) |
| — | read only: `slider` (a whole number, 0–100 unless min/max say otherwise); `descriptive` is left out |

Branching ("show if") is one condition in REDCap's syntax: `[works] = '1'`, for a checkbox
`[symptoms(2)] = '1'`. Werkbrug numbers the answers of a choice question 1, 2, 3 … in their order;
REDCap codes are free (`0, No | 1, Yes`), so the import numbers them anew and translates the codes
in conditions (with a warning when they change). Without the annotations a REDCap `radio` is a
single choice and a `text` field with `number_1dp` a number: REDCap has no grade or Likert type.

Reading goes through `werkbrug.core.tables.read_table` (size and line bounds, sniffing, line
numbers); this module turns the table into question fields with line-numbered errors, and
`services.questionnaire_dictionary_import` checks and stores them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _

from werkbrug.core.spreadsheets import spreadsheet_row

from .models import QuestionType

if TYPE_CHECKING:
    from werkbrug.core.tables import Table

    from .models import Question, Questionnaire

COLUMNS = [
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
]
(
    NAME,
    FORM,
    SECTION,
    TYPE,
    LABEL,
    CHOICES,
    NOTE,
    VALIDATION,
    MIN,
    MAX,
    IDENTIFIER,
    BRANCHING,
    REQUIRED,
) = (c.lower() for c in COLUMNS[:13])
ANNOTATION = COLUMNS[-1].lower()
NEEDED = (NAME, FORM, TYPE, LABEL)
RECORD_ID = "record_id"
# Field annotations that keep what REDCap has no type for. Not "@…": REDCap reserves that for its
# action tags, and a cell starting with "@" is formula-escaped in a spreadsheet.
GRADE_TAG, LIKERT_TAG = "werkbrug:grade", "werkbrug:likert"
MAX_CHOICES = 100
MAX_LABEL = 500

# REDCap's number validations and the decimals Werkbrug allows for them (None: up to two).
NUMBER_VALIDATIONS = {
    "integer": 0,
    "number": None,
    "number_comma_decimal": None,
    "number_1dp": 1,
    "number_1dp_comma_decimal": 1,
    "number_2dp": 2,
    "number_2dp_comma_decimal": 2,
}
VALIDATION_FOR_DECIMALS = {None: "number", 0: "integer", 1: "number_1dp", 2: "number_2dp"}

BRANCH = re.compile(
    r"""^\s*\[(?P<name>[a-z][a-z0-9_]*)(?:\((?P<code>[A-Za-z0-9_.\-]+)\))?\]\s*=\s*"""
    r"""(?:'(?P<q1>[^']*)'|"(?P<q2>[^"]*)"|(?P<bare>-?\d+(?:\.\d+)?))\s*$"""
)


# --- export --------------------------------------------------------------------------------------


def form_name(questionnaire: Questionnaire) -> str:
    """REDCap's instrument name: small letters, digits and _, starting with a letter; the version from 2 on."""
    name = slugify(questionnaire.title).replace("-", "_")[:50] or "questionnaire"
    if not name[0].isalpha():
        name = f"q_{name}"
    return f"{name}_v{questionnaire.version}" if questionnaire.version > 1 else name


def _plain(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _choices(options: list[tuple[Any, str]]) -> str:
    return " | ".join(f"{value}, {label}" for value, label in options)


def _row(questionnaire: Questionnaire, question: Question, by_id: dict[int, Question]) -> list[str]:
    cells = dict.fromkeys(COLUMNS, "")
    cells["Variable / Field Name"] = question.code
    cells["Form Name"] = form_name(questionnaire)
    cells["Field Label"] = question.text
    cells["Required Field?"] = "y" if question.required else ""
    validation, low, high, annotation = "", "", "", ""
    if question.type == QuestionType.NUMBER:
        field_type = "text"
        validation = VALIDATION_FOR_DECIMALS[question.decimals]
        low, high = _plain(question.min_value), _plain(question.max_value)
    elif question.type == QuestionType.GRADE:
        field_type, validation, low, high, annotation = "text", "number_1dp", "1", "10", GRADE_TAG
    elif question.type == QuestionType.LIKERT:
        field_type, annotation = "radio", LIKERT_TAG
        cells["Choices, Calculations, OR Slider Labels"] = _choices(question.options())
        cells["Custom Alignment"] = "LH"
    elif question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        field_type = "radio" if question.type == QuestionType.SINGLE else "checkbox"
        cells["Choices, Calculations, OR Slider Labels"] = _choices(question.options())
    else:
        field_type = "notes"
    cells["Field Type"] = field_type
    cells["Text Validation Type OR Show Slider Number"] = validation
    cells["Text Validation Min"], cells["Text Validation Max"] = low, high
    cells["Field Annotation"] = annotation
    source = by_id.get(question.show_if_question_id) if question.show_if_question_id else None
    if source is not None:
        if source.type == QuestionType.MULTIPLE:
            cells["Branching Logic (Show field only if...)"] = (
                f"[{source.code}({question.show_if_value})] = '1'"
            )
        else:
            cells["Branching Logic (Show field only if...)"] = (
                f"[{source.code}] = '{question.show_if_value}'"
            )
    return [cells[c] for c in COLUMNS]


def dictionary_rows(questionnaire: Questionnaire, questions: list[Question]) -> list[list[str]]:
    """The header and one line per field: REDCap's record identifier, then the questions in order."""
    record = dict.fromkeys(COLUMNS, "")
    record.update(
        {
            "Variable / Field Name": RECORD_ID,
            "Form Name": form_name(questionnaire),
            "Field Type": "text",
            "Field Label": "Record ID",
        }
    )
    by_id = {q.pk: q for q in questions}
    return [
        COLUMNS,
        [record[c] for c in COLUMNS],
        *(_row(questionnaire, q, by_id) for q in questions),
    ]


def dictionary_csv(questionnaire: Questionnaire, questions: list[Question]) -> str:
    """The data dictionary as CSV text (formula-escaped cells, CRLF line ends as REDCap writes them)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in dictionary_rows(questionnaire, questions):
        writer.writerow(spreadsheet_row(row))
    return out.getvalue()


# --- import --------------------------------------------------------------------------------------


@dataclass
class Planned:
    """One field of the dictionary as the fields of a Werkbrug question (`show_if_value` already in
    Werkbrug's numbering)."""

    line: int
    fields: dict[str, Any]
    codes: dict[str, str] = field(
        default_factory=dict
    )  # REDCap code → Werkbrug value (choice questions)


@dataclass
class Dictionary:
    questions: list[Planned] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)


class _LineError(Exception):
    pass


def at_line(line: int, message: str) -> str:
    return _("Line %(line)s: %(error)s") % {"line": line, "error": message}


def _parse_choices(raw: str) -> list[tuple[str, str]]:
    pairs = []
    for part in (p.strip() for p in raw.split("|")):
        if not part:
            continue
        code, sep, label = part.partition(",")
        code, label = code.strip(), strip_tags(label).strip()
        if not sep or not code or not label:
            raise _LineError(_("Write the choices as “1, Yes | 2, No”."))
        pairs.append((code, label))
    if len(pairs) > MAX_CHOICES:
        raise _LineError(_("A question has at most %(n)s choices.") % {"n": MAX_CHOICES})
    if len({code for code, _label in pairs}) != len(pairs):
        raise _LineError(_("Two choices have the same code."))
    return pairs


def _bound(raw: str) -> Decimal | None:
    from .builder import number

    if not raw:
        return None
    value = number(raw)
    if value is None:
        raise _LineError(_("“%(value)s” is not a number.") % {"value": raw})
    return value


def _field(
    row: dict[str, Any], warn: list[str], line: int
) -> tuple[dict[str, Any], dict[str, str]] | None:
    """The question fields of one dictionary line (without branching), its codes, or None to leave it out."""
    name = str(row.get(NAME) or "").strip()
    field_type = str(row.get(TYPE) or "").strip().lower()
    label = strip_tags(str(row.get(LABEL) or "")).strip()
    validation = str(row.get(VALIDATION) or "").strip().lower()
    annotation = str(row.get(ANNOTATION) or "").lower()
    choices_raw = str(row.get(CHOICES) or "")
    if len(label) > MAX_LABEL:
        raise _LineError(_("A question has at most %(n)s characters.") % {"n": MAX_LABEL})
    if field_type == "descriptive":
        warn.append(
            at_line(
                line,
                _("“%(name)s” is descriptive text, not a question: left out.") % {"name": name},
            )
        )
        return None
    if str(row.get(IDENTIFIER) or "").strip().lower() == "y":
        warn.append(
            at_line(
                line,
                _(
                    "“%(name)s” is marked as an identifier in REDCap. Researchers see participants by "
                    "pseudonym only: do not ask for names or contact details."
                )
                % {"name": name},
            )
        )
    fields: dict[str, Any] = {
        "code": name,
        "text": label,
        "required": str(row.get(REQUIRED) or "").strip().lower() in ("y", "yes", "1"),
    }
    codes: dict[str, str] = {}
    if field_type in ("radio", "dropdown", "checkbox"):
        pairs = _parse_choices(choices_raw)
        codes = {code: str(i) for i, (code, _label) in enumerate(pairs, start=1)}
        if any(code != value for code, value in codes.items()):
            warn.append(
                at_line(
                    line,
                    _("The codes of “%(name)s” (%(codes)s) are numbered 1 to %(n)s in Werkbrug.")
                    % {"name": name, "codes": ", ".join(codes), "n": len(codes)},
                )
            )
        labels = [label for _code, label in pairs]
        if field_type == "checkbox":
            fields.update(type=QuestionType.MULTIPLE, choices=labels)
        elif LIKERT_TAG in annotation:
            from .builder import SCALE_DEFAULT_POINTS, scale_options

            probe = _probe(QuestionType.LIKERT, scale_points=len(labels))
            default = [label for _v, label in scale_options(probe)]
            plain = labels == default  # the builder's own labels: stored as none
            fields.update(
                type=QuestionType.LIKERT,
                scale_labels=[] if plain else labels,
                scale_points=None if plain and len(labels) == SCALE_DEFAULT_POINTS else len(labels),
            )
        else:
            fields.update(type=QuestionType.SINGLE, choices=labels)
    elif field_type in ("yesno", "truefalse"):
        labels = [_("Yes"), _("No")] if field_type == "yesno" else [_("True"), _("False")]
        fields.update(type=QuestionType.SINGLE, choices=labels)
        codes = {"1": "1", "0": "2"}
    elif field_type == "notes" or (field_type == "text" and not validation):
        fields.update(type=QuestionType.TEXT)
    elif field_type == "text" and GRADE_TAG in annotation:
        fields.update(type=QuestionType.GRADE)
    elif field_type == "text" and validation in NUMBER_VALIDATIONS:
        fields.update(
            type=QuestionType.NUMBER,
            decimals=NUMBER_VALIDATIONS[validation],
            min_value=_bound(str(row.get(MIN) or "").strip()),
            max_value=_bound(str(row.get(MAX) or "").strip()),
        )
    elif field_type == "slider":
        low, high = _bound(str(row.get(MIN) or "").strip()), _bound(str(row.get(MAX) or "").strip())
        fields.update(
            type=QuestionType.NUMBER,
            decimals=0,
            min_value=Decimal(0) if low is None else low,
            max_value=Decimal(100) if high is None else high,
        )
    elif field_type == "text":
        raise _LineError(
            _(
                "Text validation “%(validation)s” has no Werkbrug question type (numbers and open text "
                "only)."
            )
            % {"validation": validation}
        )
    else:
        raise _LineError(
            _("Field type “%(type)s” has no Werkbrug question type.") % {"type": field_type or "—"}
        )
    return fields, codes


def _probe(qtype: str, **attrs: Any) -> Question:
    from .models import Question

    return Question(type=qtype, **attrs)


def _branch(raw: str, planned: dict[str, Planned]) -> tuple[str, str]:
    """REDCap's `[var] = 'x'` (or `[var(code)] = '1'` for a checkbox) as (show_if, show_if_value)."""
    match = BRANCH.match(raw)
    if match is None:
        raise _LineError(
            _(
                "Only one condition of the form [variable] = 'value' can be imported, not “%(logic)s”."
            )
            % {"logic": raw[:200]}
        )
    name, code = match["name"], match["code"]
    value = next(v for v in (match["q1"], match["q2"], match["bare"]) if v is not None)
    source = planned.get(name)
    if source is None:
        raise _LineError(
            _("The condition names “%(name)s”, which is not an earlier question of this form.")
            % {"name": name}
        )
    if source.fields["type"] == QuestionType.MULTIPLE:
        if code is None or value != "1" or code not in source.codes:
            raise _LineError(
                _("A condition on a checkbox is written [%(name)s(code)] = '1'.") % {"name": name}
            )
        return name, source.codes[code]
    if code is not None:
        raise _LineError(
            _("Only a checkbox has codes in brackets: [%(name)s] = 'value'.") % {"name": name}
        )
    if source.codes:
        if value not in source.codes:
            raise _LineError(
                _("“%(value)s” is not one of the codes of “%(name)s”.")
                % {"value": value, "name": name}
            )
        return name, source.codes[value]
    return name, value


def read_dictionary(table: Table, *, form: str = "") -> Dictionary:
    """The questions of one form of a REDCap data dictionary, with line-numbered errors and warnings."""
    result = Dictionary()
    missing = [c for c in COLUMNS if c.lower() in NEEDED and c.lower() not in table.header]
    if missing:
        result.errors.append(
            _("The file is not a REDCap data dictionary: the column(s) %(columns)s are missing.")
            % {"columns": ", ".join(f"“{c}”" for c in missing)}
        )
        return result
    for _line, row in table.rows:
        name = str(row.get(FORM) or "").strip()
        if name and name not in result.forms:
            result.forms.append(name)
    form = form.strip()
    if form and form not in result.forms:
        result.errors.append(_("The dictionary has no form “%(form)s”.") % {"form": form})
        return result
    if not form and len(result.forms) > 1:
        result.errors.append(
            _("The dictionary has more than one form (%(forms)s): choose one.")
            % {"forms": ", ".join(result.forms)}
        )
        return result
    planned: dict[str, Planned] = {}
    for index, (line, row) in enumerate(table.rows):
        if form and str(row.get(FORM) or "").strip() != form:
            continue
        name = str(row.get(NAME) or "").strip()
        if (
            index == 0
            and str(row.get(TYPE) or "").strip().lower() == "text"
            and not row.get(VALIDATION)
        ):
            # REDCap's first field is the record identifier, not a question.
            result.warnings.append(
                at_line(
                    line, _("“%(name)s” is REDCap's record identifier: left out.") % {"name": name}
                )
            )
            continue
        try:
            parsed = _field(row, result.warnings, line)
            if parsed is None:
                continue
            fields, codes = parsed
            if name in planned:
                raise _LineError(_("Two questions have the same variable name."))
            logic = str(row.get(BRANCHING) or "").strip()
            if logic:
                fields["show_if"], fields["show_if_value"] = _branch(logic, planned)
        except _LineError as exc:
            result.errors.append(at_line(line, str(exc)))
            continue
        planned[name] = Planned(line, fields, codes)
        result.questions.append(planned[name])
    if not result.questions and not result.errors:
        result.errors.append(_("The dictionary has no questions."))
    return result
