"""The SPSS and XLSX exports as a statistician opens them: measurement levels, SPSS dates,
integer formats, value labels only for codes; XLSX dates as dates under a frozen header."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, datetime

import pytest
import time_machine

from werkbrug.evaluations import exports, selectors


@pytest.fixture
def today():
    with time_machine.travel(date(2026, 6, 1), tick=True):
        yield


def _download(client, url, tmp_path, name):
    response = client.get(url)
    assert response.status_code == 200
    path = tmp_path / name
    path.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)
    return path


@pytest.mark.parametrize(("values", "decimals"), [
    ([1, 2, 3], 0),  # integers: F8.0
    ([6.5, 7, None], 1),  # a half grade: F8.1
    ([12.25, 1], 2),
    ([1 / 3], 2),  # never more than two
    ([None, float("nan")], 0),  # nothing to show
])
def test_decimals_only_where_needed(values, decimals):
    assert exports.decimals_needed(values) == decimals


@pytest.fixture
def sav(populated, research, client, today, tmp_path):
    import pyreadstat

    client.force_login(research.researcher)
    path = _download(client, f"/research/studies/{populated.study.pk}/export/?table=participants&format=sav", tmp_path, "p.sav")
    frame, meta = pyreadstat.read_sav(str(path))
    return path, frame, meta


def test_sav_levels_formats_dates_and_labels(sav, populated):
    _path, frame, meta = sav
    q = populated.questionnaire.pk
    levels, formats = meta.variable_measure, meta.original_variable_types
    expected = {
        "arm": ("nominal", "F8.0"), "stage": ("nominal", "F8.0"), "participant": ("nominal", None),
        "randomised_on": ("scale", "DATE11"), "days_to_job": ("scale", "F8.0"), "job_event": ("nominal", "F8.0"),
        "paid_d90": ("nominal", "F8.0"), "hours_d90": ("scale", None),
        f"q{q}_grade": ("scale", "F8.0"), f"q{q}_helped": ("ordinal", "F8.0"),
    }
    for name, (level, fmt) in expected.items():
        assert levels[name] == level, name
        if fmt:
            assert formats[name] == fmt, name
    assert formats["participant"].startswith("A")
    assert formats["hours_d90"] in ("F8.0", "F8.1", "F8.2")
    # A date, not a string.
    assert all(isinstance(d, date) for d in frame["randomised_on"].dropna())
    assert set(frame["randomised_on"].dropna()) == {date(2026, 2, 1)}
    # Value labels only for codes with a meaning.
    assert f"q{q}_grade" not in meta.variable_value_labels and "days_to_job" not in meta.variable_value_labels
    assert meta.variable_value_labels[f"q{q}_helped"][5.0] == "Helemaal eens"
    assert meta.variable_value_labels["paid_d90"] == {0.0: "Nee", 1.0: "Ja"}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pspp") is None, reason="GNU PSPP is not installed (apt-get install pspp)")
def test_pspp_reads_the_dictionary_and_counts_as_werkbrug(sav, populated, tmp_path):
    path, frame, _meta = sav
    q = populated.questionnaire.pk
    syntax = tmp_path / "check.sps"
    syntax.write_text(f'GET FILE="{path}".\nDISPLAY DICTIONARY.\nFREQUENCIES VARIABLES=arm q{q}_helped.\n', encoding="utf-8")
    out = tmp_path / "out.txt"
    subprocess.run(["pspp", "-O", "format=txt", str(syntax), "-o", str(out)], check=True, timeout=60, capture_output=True)  # noqa: S603, S607
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|Name"))
    names = [c.strip() for c in lines[start].split("|")]
    level_at, format_at = names.index("Level"), names.index("Format")
    table = []
    for line in lines[start + 1:]:  # the variables table only, up to its end
        if not line.startswith(("|", "+")):
            break
        table.append(line)
    rows = {cells[1].strip(): cells for cells in (line.split("|") for line in table if line.startswith("|"))
            if cells[1].strip() in frame.columns}
    assert (rows["randomised_on"][level_at].strip(), rows["randomised_on"][format_at].strip()) == ("Scale", "DATE11")
    assert (rows["arm"][level_at].strip(), rows["arm"][format_at].strip()) == ("Nominal", "F8.0")
    assert rows[f"q{q}_helped"][level_at].strip() == "Ordinal"
    assert (rows["days_to_job"][level_at].strip(), rows["days_to_job"][format_at].strip()) == ("Scale", "F8.0")
    # FREQUENCIES: PSPP counts as Werkbrug does (CONSORT's allocation, the results page's distribution).
    def frequency(label):
        for line in lines:
            cells = line.split("|")
            if len(cells) > 3 and cells[1].strip().removeprefix("Valid").strip() == label:
                return int(cells[2])
        return 0

    for arm in selectors.consort(study=populated.study).arms:
        # PSPP wraps a long label ("Gebruikelijke / ondersteuning"): the first line is enough.
        assert arm.allocated in (frequency(arm.arm.name), frequency(arm.arm.name.split()[0])), arm.arm.name
    helped = next(r for r in selectors.questionnaire_results(questionnaire=populated.questionnaire).questions
                  if r.question.code == "helped")
    for label, count in helped.distribution:
        assert frequency(label) == count, label


def test_xlsx_dates_are_dates_under_a_frozen_header(populated, research, client, today, tmp_path):
    from openpyxl import load_workbook

    client.force_login(research.researcher)
    path = _download(client, f"/research/studies/{populated.study.pk}/export/?format=xlsx", tmp_path, "s.xlsx")
    workbook = load_workbook(io.BytesIO(path.read_bytes()))
    sheet = workbook["participants"]
    header = [c.value for c in sheet[1]]
    column = header.index("randomised_on") + 1
    cells = [sheet.cell(row=r, column=column) for r in range(2, sheet.max_row + 1)]
    dated = [c for c in cells if c.value is not None]
    assert len(dated) == 8  # the eight randomised participants; the ninth is empty, not ""
    assert all(isinstance(c.value, datetime) and c.is_date and c.value.date() == date(2026, 2, 1) for c in dated)
    assert sheet.freeze_panes == "A2"
    stages = workbook["stages"]
    assert isinstance(stages.cell(row=2, column=3).value, datetime)


def test_csv_dates_stay_iso(populated, research, client, today):
    client.force_login(research.researcher)
    response = client.get(f"/research/studies/{populated.study.pk}/export/?table=participants&format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert ",2026-02-01," in text
