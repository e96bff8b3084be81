"""Small-number suppression: the one function every table, chart, PDF and CSV of counts uses.

A count of people (or of things that stand for people) from 1 to 4 is never shown exactly: it is
shown as "<5" (primary suppression). Hiding one cell of a row is not enough when the row's total
is known (shown, or derivable from another table of the same figures): the total minus the other
cells gives the hidden cell back. So, as long as any hidden cell could still be worked out from
the total, the smallest cell still shown is hidden as well (complementary suppression), shown as
"x" (it may be 5 or more, so it is never labelled "<5"). A total from 1 to 4 is hidden too.

Zero is shown: nobody can be recognised in an empty cell.

    >>> suppress_group([12, 3, 7])
    Suppressed(cells=[12, '<5', 'x'], total=22)

Hidden cells are strings; charts draw them without their exact height or tooltip
(`werkbrug.web.charts.bar_chart`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SMALL = 5
FEWER_THAN_SMALL = f"<{SMALL}"
COMPLEMENTARY = "x"

__all__ = ["SMALL", "FEWER_THAN_SMALL", "COMPLEMENTARY", "Suppressed", "suppress", "suppress_group"]

_UNBOUNDED = float("inf")


def suppress(count: int) -> int | str:
    """One count on its own (no row, no known total): 1–4 become "<5"."""
    return FEWER_THAN_SMALL if 0 < count < SMALL else count


@dataclass(frozen=True)
class Suppressed:
    """A group of counts as it may be shown: `cells` and `total` are an `int` or a marker."""

    cells: list[int | str]
    total: int | str

    @property
    def hidden(self) -> list[bool]:
        return [isinstance(cell, str) for cell in self.cells]


def _range(primary: bool) -> tuple[float, float]:
    """What a reader knows of a hidden cell: "<5" is 1–4, "x" anything from 0."""
    return (1, SMALL - 1) if primary else (0, _UNBOUNDED)


def _derivable(counts: Sequence[int], primary: set[int], secondary: set[int]) -> bool:
    """Could a reader who knows the total work out any hidden cell exactly?"""
    hidden = sorted(primary | secondary)
    if not hidden:
        return False
    rest = sum(counts[i] for i in hidden)  # the total minus every shown cell
    ranges = {i: _range(i in primary) for i in hidden}
    for i in hidden:
        others_low = sum(ranges[j][0] for j in hidden if j != i)
        others_high = sum(ranges[j][1] for j in hidden if j != i)
        low = max(ranges[i][0], rest - others_high)
        high = min(ranges[i][1], rest - others_low)
        if low >= high:
            return True
    return False


def suppress_group(counts: Sequence[int]) -> Suppressed:
    """The counts of one row or table whose total is (or may become) known, made safe to show.

    Primary: 1–4 become "<5". Complementary: while a hidden cell can be worked out from the total,
    the smallest shown cell (non-zero first) is hidden too, as "x". A total of 1–4 is "<5".
    """
    counts = [int(n) for n in counts]
    primary = {i for i, n in enumerate(counts) if 0 < n < SMALL}
    total = sum(counts)
    if total < SMALL:  # the total itself is "<5" (or 0): no exact total to subtract from
        return Suppressed(cells=[FEWER_THAN_SMALL if i in primary else n for i, n in enumerate(counts)],
                          total=suppress(total))
    secondary: set[int] = set()
    while _derivable(counts, primary, secondary):
        shown = [i for i in range(len(counts)) if i not in primary and i not in secondary]
        if not shown:
            break
        secondary.add(min(shown, key=lambda i: (counts[i] == 0, counts[i], i)))
    cells: list[int | str] = [
        FEWER_THAN_SMALL if i in primary else COMPLEMENTARY if i in secondary else n for i, n in enumerate(counts)
    ]
    if _derivable(counts, primary, secondary):
        total_shown: int | str = COMPLEMENTARY  # every cell is hidden and the total would still tell
    else:
        total_shown = total
    return Suppressed(cells=cells, total=total_shown)
