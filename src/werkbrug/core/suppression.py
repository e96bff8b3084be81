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

A grid whose cells are shown in two directions (an organisation's months, a month's
organisations) is suppressed as a whole with `suppress_grid`: each row and each column is a group
whose total is known, and the complementary cells are chosen for all of them at once, so that a
cell is hidden in both directions or in neither.

    >>> suppress_grid([[3, 6, 10], [7, 8, 9]]).cells
    [['<5', 'x', 10], ['x', 'x', 9]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SMALL = 5
FEWER_THAN_SMALL = f"<{SMALL}"
COMPLEMENTARY = "x"

__all__ = ["SMALL", "FEWER_THAN_SMALL", "COMPLEMENTARY", "Suppressed", "SuppressedGrid", "suppress",
           "suppress_group", "suppress_grid"]

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


@dataclass(frozen=True)
class SuppressedGrid:
    """A grid of counts as it may be shown: `cells[r][c]`, and every row's and column's total."""

    cells: list[list[int | str]]
    row_totals: list[int | str]
    column_totals: list[int | str]

    @property
    def hidden(self) -> list[list[bool]]:
        return [[isinstance(cell, str) for cell in row] for row in self.cells]


def _smallest_shown(counts: dict, hidden: set) -> object | None:
    shown = [key for key in counts if key not in hidden]
    return min(shown, key=lambda key: (counts[key] == 0, counts[key], key)) if shown else None


def suppress_grid(counts: Sequence[Sequence[int]]) -> SuppressedGrid:
    """A rows × columns grid of counts made safe to show in both directions at once.

    Every row total and every column total counts as known (they are shown here or elsewhere: an
    organisation's period figures, the region's months), except one of 1–4, which is shown as "<5"
    itself. Primary: 1–4 become "<5". Complementary, until nothing changes: every row and every
    column of more than one cell whose hidden cells could be worked out from its total (at least
    whenever it has exactly one hidden cell) gets its smallest shown cell (non-zero first) hidden
    as "x" as well. A row or column of one cell is its own total and shown as that cell is.
    """
    grid = [[int(n) for n in row] for row in counts]
    width = len(grid[0]) if grid else 0
    if any(len(row) != width for row in grid):
        raise ValueError("every row of the grid needs the same number of cells")
    primary = {(r, c) for r, row in enumerate(grid) for c, n in enumerate(row) if 0 < n < SMALL}
    secondary: set[tuple[int, int]] = set()
    lines = [[(r, c) for c in range(width)] for r in range(len(grid))]
    lines += [[(r, c) for r in range(len(grid))] for c in range(width)]
    lines = [line for line in lines if len(line) > 1 and sum(grid[r][c] for r, c in line) >= SMALL]

    def leaks(line: list[tuple[int, int]]) -> bool:
        values = [grid[r][c] for r, c in line]
        return _derivable(values, {i for i, key in enumerate(line) if key in primary},
                          {i for i, key in enumerate(line) if key in secondary})

    changed = True
    while changed:
        changed = False
        for line in lines:
            while leaks(line):
                key = _smallest_shown({key: grid[key[0]][key[1]] for key in line}, primary | secondary)
                if key is None:
                    break
                secondary.add(key)
                changed = True
    cells: list[list[int | str]] = [
        [FEWER_THAN_SMALL if (r, c) in primary else COMPLEMENTARY if (r, c) in secondary else n
         for c, n in enumerate(row)]
        for r, row in enumerate(grid)
    ]

    def total(line: list[tuple[int, int]]) -> int | str:
        if len(line) == 1:  # the total is the cell itself
            return cells[line[0][0]][line[0][1]]
        shown = suppress(sum(grid[r][c] for r, c in line))
        return COMPLEMENTARY if isinstance(shown, int) and leaks(line) else shown

    return SuppressedGrid(
        cells=cells,
        row_totals=[total([(r, c) for c in range(width)]) for r in range(len(grid))],
        column_totals=[total([(r, c) for r in range(len(grid))]) for c in range(width)],
    )
