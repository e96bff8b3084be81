"""Exports of a study's pseudonymised data: CSV, XLSX and SPSS `.sav` with a codebook.

One row per participant (by study pseudonym; never a name, BSN, contact details or the
platform pseudonym), plus tidy long tables: stages, answers, codings. Variables carry labels
and coded values carry value labels (in the `.sav` file itself, and in the codebook). Only
participants with current research consent are exported. The caller authorises with
`study.export`, which writes the access-log record (code E).

What a statistician expects of the `.sav` file (checked by reading it back with pyreadstat and,
where installed, GNU PSPP's DISPLAY DICTIONARY):
- measurement levels: *scale* for durations, days, hours, grades and numbers; *ordinal* for
  Likert scales; *nominal* for codes (arm, stage, yes/no, single choices) and texts;
- dates are SPSS dates (DATE11), not strings; in XLSX real date cells;
- integers are F8.0; decimals only where a value needs them (a grade of 6,5: F8.1);
- value labels only where a code has a meaning (arm, stage, yes/no, Likert points, choices),
  never "1 = 1" for a grade.
"""

from __future__ import annotations

import csv
import math
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkbrug.core.spreadsheets import spreadsheet_row

from .analysis import active_on, jobs_by_participant
from .models import Answer, Coding, Question, QuestionType, Stage, StageEvent, Study
from .selectors import analysable_participants

TABLES = ("participants", "stages", "answers", "codings", "codebook")
FORMATS = ("csv", "xlsx", "sav", "pdf")


def exportable(table: str, fmt: str) -> bool:
    """The codebook is also a PDF document; the data tables are not."""
    return table in TABLES and fmt in FORMATS and (fmt != "pdf" or table == "codebook")


NOMINAL, ORDINAL, SCALE = "nominal", "ordinal", "scale"


@dataclass
class Variable:
    name: str
    label: str
    kind: str = "numeric"  # numeric, string or date
    values: dict[Any, str] = field(default_factory=dict)  # value labels: only for codes with a meaning
    measure: str = ""  # nominal, ordinal or scale; "" = nominal for codes and texts, scale for numbers
    missing: str = ""  # when the cell is empty (and why); "" = the general rule of its kind

    @property
    def level(self) -> str:
        if self.measure:
            return self.measure
        return SCALE if self.kind in ("numeric", "date") and not self.values else NOMINAL

    @property
    def missing_code(self) -> str:
        """How a missing value is written: no user-missing codes; numbers and dates are SPSS's
        system-missing (an empty cell), texts the empty text."""
        rule = _("empty text") if self.kind == "string" else _("system-missing (empty cell)")
        return f"{rule}: {self.missing}" if self.missing else rule


@dataclass
class Table:
    name: str
    variables: list[Variable]
    rows: list[list[Any]]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def participants_table(study: Study) -> Table:
    today = timezone.localdate()
    people = list(analysable_participants(study=study))
    jobs = jobs_by_participant(people)
    arms = list(study.arms.all())
    stages = list(Stage.choices)
    not_randomised = _("not randomised")
    not_yet = _("not randomised, or the time point has not passed yet")
    variables = [
        Variable("participant", _("Participant (study pseudonym)"), "string"),
        Variable("arm", _("Arm"), values={i + 1: a.name for i, a in enumerate(arms)}, missing=not_randomised),
        Variable("stratum", _("Stratum"), "string", missing=_("not stratified")),
        Variable("stage", _("Recruitment stage"), values={i + 1: str(label) for i, (_v, label) in enumerate(stages)}),
        Variable("randomised_on", _("Date of randomisation"), "date", missing=not_randomised),
        Variable("days_to_job", _("Days from randomisation to first job, or to censoring"), missing=not_randomised),
        Variable("job_event", _("First job found"), values={0: _("No (censored)"), 1: _("Yes")}, missing=not_randomised),
    ]
    for days in study.follow_up_days:
        variables += [
            Variable(f"paid_d{days}", _("Paid work at %(days)s days") % {"days": days}, values={0: _("No"), 1: _("Yes")},
                     missing=not_yet),
            Variable(f"comp_d{days}", _("Competitive work at %(days)s days") % {"days": days},
                     values={0: _("No"), 1: _("Yes")}, missing=not_yet),
            Variable(f"hours_d{days}", _("Hours per week at %(days)s days") % {"days": days}, missing=not_yet),
        ]
    questions = list(
        Question.objects.filter(questionnaire__study=study)
        .exclude(type__in=[QuestionType.TEXT, QuestionType.MULTIPLE]).select_related("questionnaire")
        .order_by("questionnaire_id", "order")
    )
    unanswered = _("not answered, or not asked (branching)")
    for q in questions:
        # Value labels only where the code means something: Likert points and choices; a grade or
        # number is its own value.
        values = {value: label for value, label in q.options()} if q.type in (QuestionType.LIKERT, QuestionType.SINGLE) else {}
        measure = {QuestionType.LIKERT: ORDINAL, QuestionType.SINGLE: NOMINAL}.get(q.type, SCALE)
        variables.append(Variable(f"q{q.questionnaire_id}_{q.code}"[:64], f"{q.questionnaire.label}: {q.text}"[:250],
                                  values=values, measure=measure, missing=unanswered))
    answers: dict[tuple[int, int], float] = {}
    for participant_id, question_id, number in Answer.objects.filter(
        invitation__participant__study=study, question__in=questions, number__isnull=False
    ).values_list("invitation__participant_id", "question_id", "number"):
        answers[(participant_id, question_id)] = float(number)
    arm_index = {a.pk: i + 1 for i, a in enumerate(arms)}
    stage_index = {value: i + 1 for i, (value, _l) in enumerate(stages)}
    end = min(today, study.ends_on)
    rows = []
    for p in people:
        allocation = getattr(p, "allocation", None)
        row: list[Any] = [p.study_pseudonym, arm_index.get(allocation.arm_id) if allocation else None, p.stratum,
                          stage_index[p.stage], allocation.randomised_on if allocation else None]
        if allocation:
            start = allocation.randomised_on
            firsts = sorted(j.start for j in jobs[p.pk] if j.start >= start)
            if firsts and firsts[0] <= end:
                row += [(firsts[0] - start).days, 1]
            else:
                row += [max((end - start).days, 0), 0]
        else:
            row += [None, None]
        for days in study.follow_up_days:
            day = allocation.randomised_on + timedelta(days=days) if allocation else None
            if day is None or day > today:
                row += [None, None, None]
            else:
                active = active_on(jobs[p.pk], day)
                row += [int(bool(active)), int(any(j.competitive for j in active)), float(sum(j.hours_per_week for j in active))]
        row += [answers.get((p.pk, q.pk)) for q in questions]
        rows.append(row)
    return Table("participants", variables, rows)


def stages_table(study: Study) -> Table:
    allowed = set(analysable_participants(study=study).values_list("pk", flat=True))
    rows = [
        [pseudonym, stage, occurred_on, reason]
        for pid, pseudonym, stage, occurred_on, reason in StageEvent.objects.filter(participant__study=study)
        .order_by("participant__study_pseudonym", "recorded_at", "id")
        .values_list("participant_id", "participant__study_pseudonym", "stage", "occurred_on", "reason")
        if pid in allowed
    ]
    return Table("stages", [
        Variable("participant", _("Participant (study pseudonym)"), "string"), Variable("stage", _("Stage"), "string"),
        Variable("date", _("Date"), "date"), Variable("reason", _("Reason"), "string", missing=_("no reason given")),
    ], rows)


def answers_table(study: Study) -> Table:
    allowed = set(analysable_participants(study=study).values_list("pk", flat=True))
    rows = []
    for a in Answer.objects.filter(invitation__questionnaire__study=study).select_related(
        "question", "invitation__participant"
    ).order_by("invitation__questionnaire_id", "invitation_id", "question__order"):
        participant = a.invitation.participant
        if participant is not None and participant.pk not in allowed:
            continue
        rows.append([
            a.invitation.questionnaire_id, a.invitation_id, a.invitation.kind,
            participant.study_pseudonym if participant else "", a.question.code,
            float(a.number) if a.number is not None else None, a.text,
            " ".join(str(v) for v in a.selected),
        ])
    return Table("answers", [
        Variable("questionnaire", _("Questionnaire number"), measure=NOMINAL),
        Variable("response", _("Response number"), measure=NOMINAL),
        Variable("respondent", _("Respondent"), "string"),
        Variable("participant", _("Participant (study pseudonym)"), "string",
                 missing=_("a personal link (a professional or an employer)")),
        Variable("question", _("Question (variable name)"), "string"),
        Variable("value", _("Value"), missing=_("an open answer or a multiple choice")),
        Variable("text", _("Open answer"), "string", missing=_("not an open question")),
        Variable("selected", _("Options chosen"), "string", missing=_("not a multiple choice question")),
    ], rows)


def codings_table(study: Study) -> Table:
    """Every coding with where it is: a span's first character and the character after its last
    (`passage.text[start:end]`, Unicode code points counted from 0) and the coded text itself;
    a coding of the whole passage has no positions and quotes the whole passage."""
    rows = []
    for round_number, label, number, guid, name, level, coder_id, start, end, text in (
        Coding.objects.filter(code__study=study)
        .order_by("passage__interview__round__number", "passage__interview__label", "passage__number", "code__name",
                  "start", "id")
        .values_list("passage__interview__round__number", "passage__interview__label", "passage__number",
                     "code__guid", "code__name", "level", "coder_id", "start", "end", "passage__text")
    ):
        quote = text[start:end] if start is not None else text
        rows.append([round_number, label, number, str(guid), name, level, coder_id, start, end, quote])
    whole = _("the whole passage is coded")
    return Table("codings", [
        Variable("round", _("Interview round"), measure=ORDINAL), Variable("interview", _("Interview"), "string"),
        Variable("passage", _("Passage"), measure=NOMINAL), Variable("code_guid", _("Code GUID"), "string"),
        Variable("code", _("Code"), "string"), Variable("level", _("Level"), "string"),
        Variable("coder", _("Coder number"), measure=NOMINAL),
        Variable("start", _("Start of the coded span (character, counted from 0)"), missing=whole),
        Variable("end", _("End of the coded span (the character after it)"), missing=whole),
        Variable("quote", _("Coded text"), "string"),
    ], rows)


KIND_LABELS = {"numeric": gettext_lazy("numeric"), "string": gettext_lazy("text"), "date": gettext_lazy("date")}
LEVEL_LABELS = {NOMINAL: gettext_lazy("nominal"), ORDINAL: gettext_lazy("ordinal"), SCALE: gettext_lazy("scale")}


@dataclass(frozen=True)
class CodebookEntry:
    """One variable of an exported table as the codebook describes it (the CSV/XLSX/.sav
    codebook table and the PDF document are both written from these)."""

    table: str
    variable: Variable
    format: str  # the SPSS format the .sav file gives it (DATE11, F8.0, A12 …)

    @property
    def value_labels(self) -> list[tuple[Any, str]]:
        return [(_plain(k), str(label)) for k, label in self.variable.values.items()]

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.variable.kind])

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[self.variable.level])


def _plain(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def codebook_entries(tables: list[Table]) -> list[CodebookEntry]:
    return [
        CodebookEntry(table.name, v, sav_format(v, [row[i] for row in table.rows]))
        for table in tables for i, v in enumerate(table.variables)
    ]


def data_tables(study: Study) -> list[Table]:
    return [participants_table(study), stages_table(study), answers_table(study), codings_table(study)]


def codebook_table(tables: list[Table]) -> Table:
    rows = [
        [e.table, e.variable.name, e.variable.label, e.variable.kind, e.variable.level, e.format,
         "; ".join(f"{k} = {label}" for k, label in e.value_labels), e.variable.missing_code]
        for e in codebook_entries(tables)
    ]
    return Table("codebook", [
        Variable("table", _("Table"), "string"), Variable("variable", _("Variable"), "string"),
        Variable("label", _("Label"), "string"), Variable("type", _("Type"), "string"),
        Variable("level", _("Measurement level"), "string"), Variable("format", _("SPSS format"), "string"),
        Variable("values", _("Value labels"), "string", missing=_("no value labels")),
        Variable("missing", _("Missing values"), "string"),
    ], rows)


def build(study: Study, table: str) -> Table:
    data = data_tables(study)
    if table == "codebook":
        return codebook_table(data)
    return next(t for t in data if t.name == table)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(table: Table) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(spreadsheet_row(v.name for v in table.variables))
    for row in table.rows:
        yield writer.writerow(spreadsheet_row("" if _missing(x) else x.isoformat() if isinstance(x, date) else x for x in row))


def to_xlsx(study: Study) -> tempfile.SpooledTemporaryFile:
    """A workbook with every table (participants first) and the codebook."""
    from openpyxl import Workbook

    data = data_tables(study)
    data.append(codebook_table(data))
    workbook = Workbook(write_only=True)
    for table in data:
        sheet = workbook.create_sheet(table.name)
        sheet.freeze_panes = "A2"  # the header stays in view
        sheet.append(spreadsheet_row(v.name for v in table.variables))
        for row in table.rows:
            # A date goes in as a date: openpyxl writes a date cell (yyyy-mm-dd), not text.
            sheet.append(spreadsheet_row(None if _missing(x) else x for x in row))
    out = tempfile.SpooledTemporaryFile(max_size=10_000_000)  # noqa: SIM115 — returned open, closed by the response
    workbook.save(out)
    out.seek(0)
    return out


def decimals_needed(values: list[Any], most: int = 2) -> int:
    """The decimals a numeric column needs: 0 for whole numbers (F8.0), 1 for 6,5, at most `most`."""
    needed = 0
    for value in values:
        if _missing(value):
            continue
        for places in range(most + 1):
            if abs(round(float(value), places) - float(value)) < 1e-9:
                needed = max(needed, places)
                break
        else:
            needed = most
    return needed


def sav_format(variable: Variable, values: list[Any]) -> str:
    if variable.kind == "date":
        return "DATE11"
    if variable.kind == "string":
        width = max([len(str(v)) for v in values if not _missing(v)] + [1])
        return f"A{min(width, 32767)}"
    return f"F8.{decimals_needed(values)}"


def to_sav(table: Table) -> tempfile.NamedTemporaryFile:
    """An SPSS file with variable labels, value labels (only for codes), measurement levels, SPSS
    dates and integer formats for integers."""
    import pandas as pd
    import pyreadstat

    columns = {}
    formats = {}
    for i, v in enumerate(table.variables):
        values = [row[i] for row in table.rows]
        if v.kind == "numeric":
            columns[v.name] = pd.Series([float("nan") if _missing(x) else float(x) for x in values], dtype="float64")
        elif v.kind == "date":
            # pyreadstat writes datetime64 columns with an SPSS date format; NaT is system-missing.
            columns[v.name] = pd.Series(pd.to_datetime([None if _missing(x) else x for x in values]), dtype="datetime64[ns]")
        else:
            columns[v.name] = pd.Series(["" if _missing(x) else str(x) for x in values], dtype="object")
        formats[v.name] = sav_format(v, values)
    frame = pd.DataFrame(columns, columns=[v.name for v in table.variables])
    out = tempfile.NamedTemporaryFile(suffix=".sav")  # noqa: SIM115 — returned open, closed by the response
    pyreadstat.write_sav(
        frame, out.name,
        column_labels={v.name: v.label for v in table.variables},
        variable_value_labels={v.name: {float(k): str(label) for k, label in v.values.items()} for v in table.variables if v.values},
        variable_measure={v.name: v.level for v in table.variables},
        variable_format=formats,
    )
    out.seek(0)
    return out
