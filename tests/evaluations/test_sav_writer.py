"""The `.sav` writer (`evaluations/sav.py`) as pyreadstat and GNU PSPP read its files back: what the
table holds, with labels, formats and levels; strings in UTF-8 bytes, very long strings, missing
values; and that it writes case by case, keeping no rows."""

from __future__ import annotations

import csv
import shutil
import struct
import subprocess
import tempfile
import tracemalloc
from datetime import date, datetime

import pytest

from werkbrug.evaluations import exports
from werkbrug.evaluations.exports import NOMINAL, ORDINAL, Table, Variable
from werkbrug.evaluations.sav import SavVariable, SavWriter

LONG = "Het gesprek met de ervaringsdeskundige hielp, ook bij de re-integratie: " + "é" * 200 + " ëïöü" * 40
ROWS = [
    ["P-001", 1, "Één", date(2026, 2, 1), 12, 6.5, 4, LONG],
    ["P-002", 2, "café", None, None, None, None, None],  # missing number, date and text
    ["P-003", None, "", date(1582, 10, 15), -7, 1234.25, 1, "kort"],
]


def _table(rows):
    return Table("participants", [
        Variable("participant", "Deelnemer (studiepseudoniem)", "string"),
        Variable("arm", "Arm", values={1: "Ervaringsdeskundige + MI", 2: "Gebruikelijke ondersteuning"}),
        Variable("stratum", "Stratum", "string"),
        Variable("randomised_on", "Datum van randomisatie", "date"),
        Variable("days_to_job", "Dagen tot het eerste werk"),
        Variable("q7_grade", "Tevredenheid: welk cijfer geeft u?"),
        Variable("q7_helped", "Tevredenheid: de begeleiding hielp mij", values={i: f"punt {i}" for i in range(1, 6)},
                 measure=ORDINAL),
        Variable("experience", "Hoe heeft u het ervaren? (open antwoord)", "string"),
    ], lambda: iter(rows))


def _read(out):
    import pyreadstat

    with tempfile.NamedTemporaryFile(suffix=".sav") as copy:
        copy.write(out.read())
        copy.flush()
        return pyreadstat.read_sav(copy.name)


def test_the_file_holds_what_the_table_holds():
    out = exports.to_sav(_table(ROWS))
    frame, meta = _read(out)
    assert meta.number_rows == 3
    assert list(frame.columns) == ["participant", "arm", "stratum", "randomised_on", "days_to_job", "q7_grade", "q7_helped",
                                   "experience"]
    assert meta.column_names_to_labels["q7_grade"] == "Tevredenheid: welk cijfer geeft u?"
    # Widths in UTF-8 bytes: "Één" is 5 bytes; the open answer a very long string of its bytes.
    assert meta.original_variable_types == {
        "participant": "A5", "arm": "F8.0", "stratum": "A5", "randomised_on": "DATE11", "days_to_job": "F8.0",
        "q7_grade": "F8.2", "q7_helped": "F8.0", "experience": f"A{len(LONG.encode())}",
    }
    assert len(LONG.encode()) > 500
    assert meta.variable_measure == {
        "participant": NOMINAL, "arm": NOMINAL, "stratum": NOMINAL, "randomised_on": "scale", "days_to_job": "scale",
        "q7_grade": "scale", "q7_helped": ORDINAL, "experience": NOMINAL,
    }
    assert meta.variable_value_labels == {
        "arm": {1.0: "Ervaringsdeskundige + MI", 2.0: "Gebruikelijke ondersteuning"},
        "q7_helped": {float(i): f"punt {i}" for i in range(1, 6)},
    }
    records = frame.to_dict("records")
    assert [r["participant"] for r in records] == ["P-001", "P-002", "P-003"]
    assert [r["stratum"] for r in records] == ["Één", "café", ""]
    assert records[0]["experience"] == LONG  # whole, accents across the 255-byte segments
    assert [r["experience"] for r in records[1:]] == ["", "kort"]
    assert records[0]["randomised_on"] == date(2026, 2, 1) and records[2]["randomised_on"] == date(1582, 10, 15)
    assert frame["randomised_on"].isna().tolist() == [False, True, False]
    assert [records[0]["days_to_job"], records[2]["days_to_job"]] == [12, -7]
    assert [records[0]["q7_grade"], records[2]["q7_grade"]] == [6.5, 1234.25]
    assert records[0]["arm"] == 1 and records[1]["arm"] == 2 and frame["arm"].isna().tolist()[2]
    assert [r["q7_helped"] for r in (records[0], records[2])] == [4, 1]
    for name in ("days_to_job", "q7_grade", "q7_helped"):
        assert frame[name].isna().tolist()[1], name  # system-missing, not 0


def test_an_empty_table_is_a_file_without_cases():
    frame, meta = _read(exports.to_sav(_table([])))
    assert meta.number_rows == 0 and len(frame) == 0
    assert meta.column_names[0] == "participant" and meta.original_variable_types["participant"] == "A1"
    assert meta.variable_value_labels["arm"][2.0] == "Gebruikelijke ondersteuning"


def test_a_text_wider_than_its_variable_is_cut_at_a_character():
    # A row that grew between the two passes: cut to the variable's bytes, never within "é".
    out = tempfile.TemporaryFile()
    writer = SavWriter(out, [SavVariable("t", "", "A5", NOMINAL)], now=datetime(2026, 12, 6, 3, 0))  # noqa: DTZ001
    writer.write(["ééé"])
    writer.close()
    out.seek(0)
    frame, _meta = _read(out)
    assert frame["t"].tolist() == ["éé"]


def test_long_names_that_begin_alike_keep_their_own_short_names():
    names = ["q12_experience_a", "q12_experience_b", "q12_experience_c", "q12_exp", "to_work"]
    table = Table("answers", [Variable(n, n, "string") for n in names], lambda: [["a" * 300, "b" * 600, "c", "d", "e"]])
    frame, _meta = _read(exports.to_sav(table))
    assert frame.to_dict("records") == [{names[0]: "a" * 300, names[1]: "b" * 600, names[2]: "c", names[3]: "d",
                                         "to_work": "e"}]


@pytest.mark.parametrize("name", ["to", "WITH", "_x", "1st", "$x", "#x", "a-b", "a.", "x" * 65, ""])
def test_a_name_spss_refuses_is_refused(name):
    with pytest.raises(ValueError, match="not a valid SPSS variable name"):
        SavVariable(name, "", "F8.0", NOMINAL)


@pytest.mark.parametrize("name", ["q1", "@weight", "één", "a.b_c$d#e@f", "x" * 64])
def test_names_spss_accepts_are_kept(name):
    assert SavVariable(name, "", "F8.0", NOMINAL).name == name


def test_a_value_label_is_at_most_120_bytes_cut_at_a_character():
    # SPSS documents 120 bytes for a value label; a choice's text may be longer (and accented).
    label = "Ik werk nu " + "één " * 40
    out = tempfile.TemporaryFile()
    writer = SavWriter(out, [SavVariable("keuze", "Keuze", "F8.0", NOMINAL, {1.0: label})],
                       now=datetime(2026, 12, 6, 3, 0))  # noqa: DTZ001
    writer.write([1])
    writer.close()
    out.seek(0)
    _frame, meta = _read(out)
    kept = meta.variable_value_labels["keuze"][1.0]
    assert len(kept.encode("utf-8")) <= 120 and label.startswith(kept) and len(kept.encode("utf-8")) >= 117


def test_not_a_number_and_infinity_are_system_missing():
    from decimal import Decimal

    out = tempfile.TemporaryFile()
    writer = SavWriter(out, [SavVariable("x", "", "F8.2", NOMINAL)], now=datetime(2026, 12, 6, 3, 0))  # noqa: DTZ001
    for value in (Decimal("NaN"), float("inf"), Decimal("-Infinity"), float("nan"), Decimal("2.5")):
        writer.write([value])
    writer.close()
    out.seek(0)
    frame, _meta = _read(out)
    values = frame["x"].tolist()
    assert all(v != v for v in values[:4]) and values[4] == 2.5  # NaN as read back: system-missing


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pspp") is None, reason="GNU PSPP is not installed (apt-get install pspp)")
def test_pspp_reads_a_compressed_file_with_a_long_string(tmp_path):
    out = exports.to_sav(_table(ROWS))
    data = out.read()
    layout, _case_size, compression, _weight, cases = struct.unpack("<5i", data[64:84])
    assert (layout, compression, cases) == (2, 1, 3)  # bytecode-compressed, the cases counted
    path = tmp_path / "p.sav"
    path.write_bytes(data)
    syntax = tmp_path / "check.sps"
    syntax.write_text(f'GET FILE="{path}".\nSAVE TRANSLATE /OUTFILE="{tmp_path / "p.csv"}" /TYPE=CSV /FIELDNAMES /REPLACE.\n'
                      f'DISPLAY DICTIONARY.\n', encoding="utf-8")
    done = subprocess.run(["pspp", "-O", "format=txt", str(syntax), "-o", str(tmp_path / "out.txt")],  # noqa: S603, S607
                          check=True, timeout=60, capture_output=True, text=True)
    text = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert "warning" not in (done.stdout + done.stderr + text).lower()
    assert f"A{len(LONG.encode())}" in text and "DATE11" in text
    with (tmp_path / "p.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["participant"] for r in rows] == ["P-001", "P-002", "P-003"]
    assert rows[0]["experience"].rstrip() == LONG
    assert rows[0]["stratum"].rstrip() == "Één"
    assert rows[1]["days_to_job"].strip() == "" and rows[1]["randomised_on"].strip() == ""


# --- case by case ------------------------------------------------------------------------------------


def _synthetic(n):
    """`n` rows made one by one (never a list): a number no byte code holds, so each case takes
    8 bytes of data in the file, a code, a date and a text."""
    for i in range(n):
        yield [1000.5 + i, 1 + i % 5, date(2026, 1, 1), f"P-{i:07d}"]


SYNTHETIC = [SavVariable("x", "", "F8.1", "scale"), SavVariable("code", "", "F8.0", NOMINAL, {1.0: "een"}),
             SavVariable("d", "", "DATE11", "scale"), SavVariable("p", "", "A9", NOMINAL)]


def test_each_case_is_in_the_file_before_the_next_is_read():
    out = tempfile.TemporaryFile()
    writer = SavWriter(out, SYNTHETIC, now=datetime(2026, 12, 6, 3, 0))  # noqa: DTZ001
    dictionary = out.tell()

    def rows():
        for i, row in enumerate(_synthetic(2000)):
            # Before case i is handed over, the cases before it are written but for at most one
            # block of 8 values: the writer holds no rows.
            assert out.tell() >= dictionary + i * 8 * 3 - 8 * 8, i
            yield row

    writer.write_all(rows())
    writer.close()
    out.seek(0)
    frame, meta = _read(out)
    assert meta.number_rows == 2000 and frame["x"].iloc[-1] == 1000.5 + 1999 and frame["p"].iloc[-1] == "P-0001999"


def _peak(n):
    table = Table("synthetic", [Variable("x", "x"), Variable("code", "code", values={1: "een"}),
                                Variable("d", "d", "date"), Variable("p", "p", "string")], lambda: _synthetic(n))
    tracemalloc.start()
    try:
        exports.to_sav(table).close()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_memory_does_not_grow_with_the_rows():
    _peak(10)  # imports and caches out of the way
    small, large = _peak(1000), _peak(20_000)
    assert large < small * 1.5 + 100_000, (small, large)
