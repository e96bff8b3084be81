"""An SPSS system file (`.sav`) written case by case, in memory that does not grow with the cases.

pyreadstat (and every maintained library that does not need IBM's proprietary SPSS I/O module)
writes a whole data frame and cannot append, so the research exports write the format themselves
(ADR 0013), as GNU PSPP's developers guide documents it ("System File Format"):

- the file header (record 1), bytecode-compressed (compression 1, bias 100: what SPSS writes by
  default); the number of cases is patched in after the data, the file being seekable;
- a variable record (2) per variable, with its label and print/write format, and continuation
  records for the 8-byte slots of a string; a string wider than 255 bytes (a *very long string*)
  is stored as segments of 255 bytes, each its own variable record, joined again by record 7.14;
- value labels (records 3 and 4), numeric codes only;
- machine integer and floating point info (7.3, 7.4), measurement level, display width and
  alignment (7.11), long variable names (7.13; the variable records hold 8-byte short names),
  very long strings (7.14), the character encoding UTF-8 (7.20), the end of the dictionary (999);
- then the cases: numbers as IEEE doubles, dates as SPSS dates (seconds since 14 October 1582),
  missing numbers and dates as system-missing, strings as UTF-8 bytes padded with spaces.

String widths are in bytes, as in SPSS: a text is cut (only if it is wider than its variable,
never within a character) to whole UTF-8 characters. The writer keeps one block of compressed
data (at most 8 values) and no rows.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, BinaryIO

__all__ = ["MAX_WIDTH", "SavVariable", "SavWriter", "utf8_width"]

MAX_WIDTH = 32767  # SPSS's widest string, in bytes
SEGMENT = 255  # bytes of data in each segment of a very long string
HIGHEST = 1.7976931348623157e308  # DBL_MAX
SYSMIS = -HIGHEST
LOWEST = struct.unpack("<d", bytes.fromhex("feffffffffffefff"))[0]  # the largest negative double after -DBL_MAX
BIAS = 100
SPSS_EPOCH = date(1582, 10, 14).toordinal()
MEASURES = {"nominal": 1, "ordinal": 2, "scale": 3}
FORMAT_TYPES = {"A": 1, "F": 5, "DATE": 20}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
HEADER_CASES_AT = 80  # byte offset of the header's number of cases
SPACES = b" " * 8
_FORMAT = re.compile(r"^(A|F|DATE)(\d+)(?:\.(\d+))?$")
RESERVED = {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"}  # not a variable's name
# A variable's (long) name: a letter or @, then letters, digits and _ . $ # @, not ending in a
# period, at most 64 bytes, not a reserved word (SPSS's and PSPP's rules).
_NAME = re.compile(r"^(?:[^\W\d_]|@)", re.UNICODE)
_NAME_REST = re.compile(r"^[\w.$#@]*$", re.UNICODE)
VALUE_LABEL_BYTES = 120  # the most SPSS documents for a value label (PSPP reads up to 255)


def utf8_width(text: str) -> int:
    """The width a text needs in a `.sav` file: its UTF-8 bytes, not its characters."""
    return len(text.encode("utf-8"))


def valid_name(name: str) -> bool:
    """Whether SPSS and PSPP accept `name` as a variable's name."""
    return (
        0 < utf8_width(name) <= 64 and _NAME.match(name) is not None and _NAME_REST.match(name[1:]) is not None
        and not name.endswith(".") and name.upper() not in RESERVED
    )


def _cut(data: bytes, most: int) -> bytes:
    """At most `most` bytes of UTF-8 text, never ending within a character."""
    if len(data) <= most:
        return data
    return data[:most].decode("utf-8", errors="ignore").encode("utf-8")


@dataclass
class SavVariable:
    """A variable as the file describes it. `format`: `F8.2`, `DATE11` or `A<bytes>`; `measure`:
    nominal, ordinal or scale; `values`: value labels (numeric variables only)."""

    name: str
    label: str
    format: str
    measure: str
    values: dict[float, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not valid_name(self.name):
            raise ValueError(f"not a valid SPSS variable name: {self.name!r}")
        match = _FORMAT.match(self.format)
        if match is None:
            raise ValueError(f"unsupported SPSS format {self.format!r}")
        self.type, self.width, self.decimals = match[1], int(match[2]), int(match[3] or 0)
        if self.type == "A" and not 1 <= self.width <= MAX_WIDTH:
            raise ValueError(f"a string is 1 to {MAX_WIDTH} bytes wide, not {self.width}")

    @property
    def is_string(self) -> bool:
        return self.type == "A"

    @property
    def segments(self) -> list[int]:
        """The widths of the variable records it takes: one, or a very long string's segments."""
        if not self.is_string or self.width <= 255:
            return [self.width if self.is_string else 0]
        n = (self.width + 251) // 252
        return [255] * (n - 1) + [self.width - (n - 1) * 252]


def _slots(width: int) -> int:
    """8-byte slots a variable record of this width (0: numeric) takes in a case."""
    return 1 if width == 0 else (width + 7) // 8


def _format_code(type_: str, width: int, decimals: int) -> int:
    return FORMAT_TYPES[type_] << 16 | width << 8 | decimals


def _padded(data: bytes, multiple: int) -> bytes:
    return data + b" " * (-len(data) % multiple)


def _short_names(variables: Sequence[SavVariable]) -> list[list[str]]:
    """Unique 8-byte upper-case names for the variable records: per variable, one per segment
    (a very long string's later segments numbered after its first: NAME, NAME1, NAME2 …)."""
    used: set[str] = set()

    def unique(base: str, number: str = "") -> str:
        candidate, n = base[:8 - len(number)] + number, 0
        while candidate in used:
            n += 1
            suffix = f"{number}_{n}"
            candidate = base[:8 - len(suffix)] + suffix
        used.add(candidate)
        return candidate

    def stem(name: str) -> str:
        plain = re.sub(r"[^A-Z0-9_.$#@]", "_", name.upper().encode("ascii", errors="replace").decode())
        return plain if plain[:1].isalpha() and plain not in RESERVED else f"V{plain}"

    names = [[unique(stem(v.name))] for v in variables]  # the first segments first: they keep their stems
    for variable, short in zip(variables, names, strict=True):
        short += [unique(short[0], str(k)) for k in range(1, len(variable.segments))]
    return names


class SavWriter:
    """Writes the dictionary at once, then a case per `write(row)`, bytecode-compressed; `close()`
    flushes the last block and patches the number of cases into the header. Values: numbers (int,
    float, Decimal), dates (`datetime.date`) for DATE variables, texts for strings; None or NaN is
    system-missing (an empty text for a string)."""

    def __init__(self, out: BinaryIO, variables: Sequence[SavVariable], *, now: datetime, label: str = "") -> None:
        self.out = out
        self.variables = list(variables)
        self.cases = 0
        self._opcodes = bytearray()
        self._data = bytearray()
        self._start = out.tell()
        self._write_dictionary(now, label)

    # --- the dictionary ------------------------------------------------------------------------------

    def _write_dictionary(self, now: datetime, label: str) -> None:
        put = self.out.write
        names = _short_names(self.variables)
        case_size = sum(_slots(w) for v in self.variables for w in v.segments)
        put(b"$FL2")
        put(b"@(#) SPSS DATA FILE Werkbrug".ljust(60))
        put(struct.pack("<iiiii", 2, case_size, 1, 0, -1))
        put(struct.pack("<d", BIAS))
        put(f"{now.day:02d} {MONTHS[now.month - 1]} {now.year % 100:02d}".encode("ascii"))
        put(f"{now:%H:%M:%S}".encode("ascii"))
        put(_cut(label.encode("utf-8"), 64).ljust(64) + b"\0\0\0")

        index = 1  # the dictionary index (8-byte slot, from 1) of each variable, for the value labels
        indexes = []
        for variable, short in zip(self.variables, names, strict=True):
            indexes.append(index)
            for k, width in enumerate(variable.segments):
                if variable.is_string:
                    code = _format_code("A", width, 0)
                else:
                    code = _format_code(variable.type, variable.width, variable.decimals)
                label_bytes = _cut(variable.label.encode("utf-8"), 255) if k == 0 and variable.label else b""
                put(struct.pack("<iiiiii", 2, width, 1 if label_bytes else 0, 0, code, code))
                put(_padded(short[k].encode("ascii"), 8))
                if label_bytes:
                    put(struct.pack("<i", len(label_bytes)) + label_bytes + b" " * (-len(label_bytes) % 4))
                for _continuation in range(_slots(width) - 1):
                    put(struct.pack("<iiiiii", 2, -1, 0, 0, 0, 0) + SPACES)
                index += _slots(width)

        for variable, at in zip(self.variables, indexes, strict=True):
            if variable.values and not variable.is_string:
                put(struct.pack("<ii", 3, len(variable.values)))
                for value, text in variable.values.items():
                    data = _cut(str(text).encode("utf-8"), VALUE_LABEL_BYTES)
                    put(struct.pack("<dB", float(value), len(data)) + data + b" " * (-(len(data) + 1) % 8))
                put(struct.pack("<iii", 4, 1, at))

        self._extension(3, 4, struct.pack("<8i", 1, 0, 0, -1, 1, 1, 2, 65001))
        self._extension(4, 8, struct.pack("<3d", SYSMIS, HIGHEST, LOWEST))
        display = b""
        for variable in self.variables:
            for width in variable.segments:
                columns = 11 if variable.type == "DATE" else min(max(width, 1), 40) if variable.is_string else 8
                display += struct.pack("<iii", MEASURES[variable.measure], columns, 0 if variable.is_string else 1)
        self._extension(11, 4, display)
        self._extension(13, 1, "\t".join(f"{short[0]}={v.name}" for v, short in zip(self.variables, names, strict=True))
                        .encode("utf-8"))
        very_long = [(short[0], v.width) for v, short in zip(self.variables, names, strict=True) if len(v.segments) > 1]
        if very_long:
            self._extension(14, 1, b"".join(f"{short}={width:05d}".encode("ascii") + b"\0\t" for short, width in very_long))
        self._extension(20, 1, b"UTF-8")
        put(struct.pack("<ii", 999, 0))

    def _extension(self, subtype: int, size: int, data: bytes) -> None:
        self.out.write(struct.pack("<iiii", 7, subtype, size, len(data) // size) + data)

    # --- the cases -----------------------------------------------------------------------------------

    def write(self, row: Sequence[Any]) -> None:
        if len(row) != len(self.variables):
            raise ValueError(f"a case of {len(row)} values for {len(self.variables)} variables")
        for variable, value in zip(self.variables, row, strict=True):
            if variable.is_string:
                self._string(variable, value)
            else:
                self._number(_number(variable, value))
        self.cases += 1

    def write_all(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.write(row)

    def _number(self, number: float | None) -> None:
        if number is None:
            self._opcode(255)
        elif number.is_integer() and -BIAS < number <= 251 - BIAS and not (number == 0 and math.copysign(1, number) < 0):
            self._opcode(int(number) + BIAS)
        else:
            self._opcode(253, struct.pack("<d", number))

    def _string(self, variable: SavVariable, value: Any) -> None:
        data = b"" if _missing(value) else _cut(str(value).encode("utf-8"), variable.width)
        segments = variable.segments
        for k, width in enumerate(segments):
            # Data is packed tightly, 255 bytes per segment; only the last segment is narrower.
            piece = data[k * SEGMENT:(k + 1) * SEGMENT] if len(segments) > 1 else data
            piece += b" " * (_slots(width) * 8 - len(piece))
            for at in range(0, len(piece), 8):
                chunk = piece[at:at + 8]
                if chunk == SPACES:
                    self._opcode(254)
                else:
                    self._opcode(253, chunk)

    def _opcode(self, code: int, raw: bytes = b"") -> None:
        self._opcodes.append(code)
        self._data += raw
        if len(self._opcodes) == 8:
            self._flush()

    def _flush(self) -> None:
        if self._opcodes:
            self.out.write(bytes(self._opcodes) + b"\0" * (8 - len(self._opcodes)) + bytes(self._data))
            self._opcodes.clear()
            self._data.clear()

    def close(self) -> None:
        """The last (partial) block, and the number of cases in the header."""
        self._flush()
        end = self.out.tell()
        self.out.seek(self._start + HEADER_CASES_AT)
        self.out.write(struct.pack("<i", self.cases))
        self.out.seek(end)
        self.out.flush()


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _number(variable: SavVariable, value: Any) -> float | None:
    if _missing(value):
        return None
    if variable.type == "DATE":
        day = value.date() if isinstance(value, datetime) else value
        return float((day.toordinal() - SPSS_EPOCH) * 86400)
    number = float(value)
    return number if math.isfinite(number) else None  # NaN or infinity (also a Decimal's): system-missing
