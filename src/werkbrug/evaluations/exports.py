"""Exports of a study's pseudonymised data: CSV, XLSX and SPSS `.sav` with a codebook.

One row per participant (by study pseudonym; never a name, BSN, contact details or the
platform pseudonym), plus tidy long tables: stages, answers, codings. Variables carry labels
and coded values carry value labels (in the `.sav` file itself, and in the codebook). Only
participants with current research consent are exported. The caller authorises with
`study.export`, which writes the access-log record (code E).

Streamed, in memory that does not grow with the study: a table's rows are produced one by one
(`for row in table`) from the database in chunks of `CHUNK` (participants, with their jobs and
answers read per chunk: the number of queries grows with the chunks, not with the participants),
and CSV and XLSX write each row as it comes (openpyxl's write-only workbook keeps no cells). The
SPSS formats (string widths, decimals) are learnt row by row (`Formats`), so the codebook needs
no table in memory either. The `.sav` file too: `to_sav` reads the table twice, once to learn the
formats its dictionary needs first, once to write case by case (`sav.py`, our own writer of the
SPSS system file format: pyreadstat writes only a whole data frame, ADR 0013).

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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkbrug.core.spreadsheets import spreadsheet_row

from .analysis import active_on, jobs_by_participant
from .models import Answer, Coding, Question, QuestionType, Stage, StageEvent, Study
from .sav import MAX_WIDTH, SavVariable, SavWriter, utf8_width
from .selectors import analysable_participants

CHUNK = 2000  # rows (participants) read per query: the memory of an export grows with this, not with the study

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
    """A table's variables and its rows. `produce` gives the rows one by one, read from the
    database in chunks: iterate the table (`for row in table`) to write an export in constant
    memory. `rows` (all of them in a list) is for small tables and tests."""

    name: str
    variables: list[Variable]
    produce: Callable[[], Iterable[list[Any]]]

    def __iter__(self) -> Iterator[list[Any]]:
        return iter(self.produce())

    @property
    def rows(self) -> list[list[Any]]:
        return list(self)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _chunks(items: Iterable[Any], size: int | None = None) -> Iterator[list[Any]]:
    size = size or CHUNK
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def participants_table(study: Study) -> Table:
    today = timezone.localdate()
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
    arm_index = {a.pk: i + 1 for i, a in enumerate(arms)}
    stage_index = {value: i + 1 for i, (value, _l) in enumerate(stages)}
    end = min(today, study.ends_on)

    def row(p, jobs, answers) -> list[Any]:
        allocation = getattr(p, "allocation", None)
        row: list[Any] = [p.study_pseudonym, arm_index.get(allocation.arm_id) if allocation else None, p.stratum,
                          stage_index[p.stage], allocation.randomised_on if allocation else None]
        if allocation:
            start = allocation.randomised_on
            firsts = sorted(j.start for j in jobs if j.start >= start)
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
                active = active_on(jobs, day)
                row += [int(bool(active)), int(any(j.competitive for j in active)), float(sum(j.hours_per_week for j in active))]
        row += [answers.get((p.pk, q.pk)) for q in questions]
        return row

    def rows() -> Iterator[list[Any]]:
        # Per chunk of participants: their jobs and their answers, three queries.
        for people in _chunks(analysable_participants(study=study).iterator(chunk_size=CHUNK)):
            jobs = jobs_by_participant(people)
            answers: dict[tuple[int, int], float] = {}
            for participant_id, question_id, number in Answer.objects.filter(
                invitation__participant_id__in=[p.pk for p in people], question__in=questions, number__isnull=False
            ).values_list("invitation__participant_id", "question_id", "number"):
                answers[(participant_id, question_id)] = float(number)
            for p in people:
                yield row(p, jobs[p.pk], answers)

    return Table("participants", variables, rows)


def stages_table(study: Study) -> Table:
    def rows() -> Iterator[list[Any]]:
        # Participants in pseudonym order, their stage events per chunk: the order of the whole table.
        people = analysable_participants(study=study).values_list("pk", flat=True).iterator(chunk_size=CHUNK)
        for ids in _chunks(people):
            yield from (
                [pseudonym, stage, occurred_on, reason]
                for pseudonym, stage, occurred_on, reason in StageEvent.objects.filter(participant_id__in=ids)
                .order_by("participant__study_pseudonym", "recorded_at", "id")
                .values_list("participant__study_pseudonym", "stage", "occurred_on", "reason")
            )

    return Table("stages", [
        Variable("participant", _("Participant (study pseudonym)"), "string"), Variable("stage", _("Stage"), "string"),
        Variable("date", _("Date"), "date"), Variable("reason", _("Reason"), "string", missing=_("no reason given")),
    ], rows)


def answers_table(study: Study) -> Table:
    def rows() -> Iterator[list[Any]]:
        # Answers by a personal link (no participant) and by participants who may be exported.
        answers = (
            Answer.objects.filter(invitation__questionnaire__study=study)
            .filter(Q(invitation__participant__isnull=True)
                    | Q(invitation__participant__in=analysable_participants(study=study).values("pk")))
            .order_by("invitation__questionnaire_id", "invitation_id", "question__order")
            .values_list("invitation__questionnaire_id", "invitation_id", "invitation__kind",
                         "invitation__participant__study_pseudonym", "question__code", "number", "text", "selected")
        )
        for questionnaire_id, invitation_id, kind, pseudonym, code, number, text, selected in answers.iterator(chunk_size=CHUNK):
            yield [
                questionnaire_id, invitation_id, kind, pseudonym or "", code,
                float(number) if number is not None else None, text, " ".join(str(v) for v in selected),
            ]

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
    def rows() -> Iterator[list[Any]]:
        for round_number, label, number, guid, name, level, coder_id, start, end, text in (
            Coding.objects.filter(code__study=study)
            .order_by("passage__interview__round__number", "passage__interview__label", "passage__number", "code__name",
                      "start", "id")
            .values_list("passage__interview__round__number", "passage__interview__label", "passage__number",
                         "code__guid", "code__name", "level", "coder_id", "start", "end", "passage__text")
            .iterator(chunk_size=CHUNK)
        ):
            quote = text[start:end] if start is not None else text
            yield [round_number, label, number, str(guid), name, level, coder_id, start, end, quote]

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


def codebook_entries(tables: list[Table], formats: dict[str, list[str]] | None = None) -> list[CodebookEntry]:
    """`formats`: per table, the SPSS formats already learnt while writing it (`Formats`); a
    table not in it is read once more, row by row."""
    entries = []
    for table in tables:
        found = (formats or {}).get(table.name) or table_formats(table)
        entries += [CodebookEntry(table.name, v, f) for v, f in zip(table.variables, found, strict=True)]
    return entries


def data_tables(study: Study) -> list[Table]:
    return [participants_table(study), stages_table(study), answers_table(study), codings_table(study)]


def codebook_table(tables: list[Table], formats: dict[str, list[str]] | None = None) -> Table:
    rows = [
        [e.table, e.variable.name, e.variable.label, e.variable.kind, e.variable.level, e.format,
         "; ".join(f"{k} = {label}" for k, label in e.value_labels), e.variable.missing_code]
        for e in codebook_entries(tables, formats)
    ]
    return Table("codebook", [
        Variable("table", _("Table"), "string"), Variable("variable", _("Variable"), "string"),
        Variable("label", _("Label"), "string"), Variable("type", _("Type"), "string"),
        Variable("level", _("Measurement level"), "string"), Variable("format", _("SPSS format"), "string"),
        Variable("values", _("Value labels"), "string", missing=_("no value labels")),
        Variable("missing", _("Missing values"), "string"),
    ], lambda: rows)


BUILDERS = {"participants": participants_table, "stages": stages_table, "answers": answers_table,
            "codings": codings_table}


def build(study: Study, table: str) -> Table:
    if table == "codebook":
        return codebook_table(data_tables(study))
    return BUILDERS[table](study)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(table: Table) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(spreadsheet_row(v.name for v in table.variables))
    for row in table:
        yield writer.writerow(spreadsheet_row("" if _missing(x) else x.isoformat() if isinstance(x, date) else x for x in row))


def to_xlsx(study: Study) -> tempfile.SpooledTemporaryFile:
    """A workbook with every table (participants first) and the codebook. Write-only: each row
    goes to the sheet's file as it comes; the codebook's formats are learnt on the way."""
    from openpyxl import Workbook

    data = data_tables(study)
    formats: dict[str, list[str]] = {}
    workbook = Workbook(write_only=True)
    for table in [*data, None]:
        if table is None:  # the codebook, last
            table = codebook_table(data, formats)
        sheet = workbook.create_sheet(table.name)
        sheet.freeze_panes = "A2"  # the header stays in view
        sheet.append(spreadsheet_row(v.name for v in table.variables))
        seen = Formats(table.variables)
        for row in table:
            seen.see(row)
            # A date goes in as a date: openpyxl writes a date cell (yyyy-mm-dd), not text.
            sheet.append(spreadsheet_row(None if _missing(x) else x for x in row))
        formats[table.name] = seen.formats()
    out = tempfile.SpooledTemporaryFile(max_size=10_000_000)  # noqa: SIM115 — returned open, closed by the response
    workbook.save(out)
    out.seek(0)
    return out


def _decimals(value: Any, most: int) -> int:
    number = float(value)
    for places in range(most + 1):
        if abs(round(number, places) - number) < 1e-9:
            return places
    return most


def decimals_needed(values: Iterable[Any], most: int = 2) -> int:
    """The decimals a numeric column needs: 0 for whole numbers (F8.0), 1 for 6,5, at most `most`."""
    return max((_decimals(value, most) for value in values if not _missing(value)), default=0)


class Formats:
    """The SPSS format of each column of a table (`sav_format`), learnt row by row (`see`), so
    that no column has to be kept: a text's widest value (in UTF-8 bytes, as SPSS counts a
    string's width; at most 32 767), a number's decimals."""

    def __init__(self, variables: list[Variable]):
        self.variables = variables
        self._strings = [i for i, v in enumerate(variables) if v.kind == "string"]
        self._numbers = [i for i, v in enumerate(variables) if v.kind == "numeric"]
        self._widths = [1] * len(variables)
        self._decimals = [0] * len(variables)

    def see(self, row: list[Any]) -> None:
        for i in self._strings:
            if not _missing(row[i]):
                # SPSS counts a string's width in bytes: UTF-8, where "é" takes two.
                self._widths[i] = max(self._widths[i], utf8_width(str(row[i])))
        for i in self._numbers:
            if self._decimals[i] < 2 and not _missing(row[i]):
                self._decimals[i] = max(self._decimals[i], _decimals(row[i], 2))

    def formats(self) -> list[str]:
        return [
            "DATE11" if v.kind == "date" else f"A{min(self._widths[i], MAX_WIDTH)}" if v.kind == "string"
            else f"F8.{self._decimals[i]}"
            for i, v in enumerate(self.variables)
        ]


def sav_format(variable: Variable, values: Iterable[Any]) -> str:
    formats = Formats([variable])
    for value in values:
        formats.see([value])
    return formats.formats()[0]


def table_formats(table: Table) -> list[str]:
    """The SPSS formats of a table's columns, read row by row."""
    formats = Formats(table.variables)
    for row in table:
        formats.see(row)
    return formats.formats()


def to_sav(table: Table) -> tempfile.NamedTemporaryFile:
    """An SPSS file with variable labels, value labels (only for codes), measurement levels, SPSS
    dates and integer formats for integers.

    Streamed, in two passes over the table (each reading the database in chunks): the first learns
    the formats (`Formats`: the widest text in UTF-8 bytes, a number's decimals), which the file's
    dictionary needs before its first case; the second writes each case as it comes
    (`sav.SavWriter`, bytecode-compressed). Rows added between the passes are written too (the
    number of cases is patched in at the end); a text grown wider than its variable in between is
    cut to it, at a character's end."""
    formats = table_formats(table)
    variables = [
        SavVariable(v.name, v.label, f, v.level, {float(k): str(label) for k, label in v.values.items()}
                    if v.kind != "string" else {})
        for v, f in zip(table.variables, formats, strict=True)
    ]
    out = tempfile.NamedTemporaryFile(suffix=".sav")  # noqa: SIM115 — returned open, closed by the response
    writer = SavWriter(out, variables, now=timezone.localtime(), label=table.name)
    for row in table:
        writer.write(row)
    writer.close()
    out.seek(0)
    return out
