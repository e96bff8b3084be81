"""`suppress_grid`: an organisation × month grid suppressed as a whole, so that no hidden cell
follows from any row's or column's total, whichever of the two directions it is shown in."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from werkbrug.core.suppression import COMPLEMENTARY, FEWER_THAN_SMALL, SMALL, suppress_grid


def _lines(counts, grid):
    """Every row and column: its cells' keys and its shown total."""
    rows = [([(r, c) for c in range(len(counts[0]))], grid.row_totals[r]) for r in range(len(counts))]
    columns = [([(r, c) for r in range(len(counts))], grid.column_totals[c]) for c in range(len(counts[0]))]
    return rows + columns


@pytest.mark.parametrize(
    ("counts", "cells"),
    [
        # One "<5" in a row: the row's smallest other cell is hidden too; then each column with one
        # hidden cell gets a second one.
        ([[3, 6, 10], [7, 8, 9]], [["<5", "x", 10], ["x", "x", 9]]),
        # Two "<5" in the row already: the row is safe, but each column with one needs a second.
        ([[6, 8, 11], [0, 3, 3]], [[6, "x", "x"], [0, "<5", "<5"]]),
        # Non-zero cells go first; a zero is hidden when nothing else is left in the column.
        ([[6, 2, 5], [0, 3, 0]], [[6, "<5", "x"], [0, "<5", "x"]]),
        # Nothing small: nothing hidden.
        ([[5, 6], [7, 8]], [[5, 6], [7, 8]]),
        # Zero is shown: nobody can be recognised in an empty cell.
        ([[0, 9], [9, 0]], [[0, 9], [9, 0]]),
    ],
)
def test_the_grid_rule(counts, cells):
    assert suppress_grid(counts).cells == cells


def test_totals_are_shown_exactly_unless_small():
    grid = suppress_grid([[6, 2, 5], [0, 3, 0]])
    assert grid.row_totals == [13, FEWER_THAN_SMALL]  # Beta's 3 in all is "<5" itself
    assert grid.column_totals == [6, 5, 5]


def test_a_row_or_column_of_one_cell_is_its_own_total():
    grid = suppress_grid([[3], [12]])
    assert grid.cells == [[FEWER_THAN_SMALL], [COMPLEMENTARY]]  # the column's total 15 would tell
    assert grid.row_totals == [FEWER_THAN_SMALL, COMPLEMENTARY]
    assert grid.column_totals == [15]
    assert suppress_grid([]).cells == []


def test_rows_of_unequal_length_are_refused():
    with pytest.raises(ValueError):
        suppress_grid([[1, 2], [3]])


def test_hiding_a_cell_for_one_line_is_followed_through_the_crossing_lines():
    # Row 0 has one "<5": its smallest other (30) is hidden. Column 0 then has the "<5" alone:
    # 20 follows; column 1 has the 30 alone: 50 follows. Row 1 then has two hidden cells: stable.
    grid = suppress_grid([[2, 30, 40], [20, 50, 7]])
    assert grid.cells == [["<5", "x", 40], ["x", "x", 7]]
    assert (grid.row_totals, grid.column_totals) == ([72, 77], [22, 80, 47])


grids = st.integers(min_value=1, max_value=5).flatmap(
    lambda rows: st.integers(min_value=1, max_value=6).flatmap(
        lambda columns: st.lists(
            st.lists(st.integers(min_value=0, max_value=30), min_size=columns, max_size=columns),
            min_size=rows, max_size=rows,
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(grids)
def test_no_row_or_column_has_exactly_one_hidden_cell(counts):
    grid = suppress_grid(counts)
    for r, row in enumerate(counts):
        for c, n in enumerate(row):
            shown = grid.cells[r][c]
            assert shown == (FEWER_THAN_SMALL if 0 < n < SMALL else shown)
            if not isinstance(shown, str):
                assert shown == n  # a shown cell is the count
            if shown == FEWER_THAN_SMALL:
                assert 0 < n < SMALL
    for line, shown_total in _lines(counts, grid):
        total = sum(counts[r][c] for r, c in line)
        hidden = [key for key in line if isinstance(grid.cells[key[0]][key[1]], str)]
        if len(line) > 1 and total >= SMALL:  # an exact total is known: never one hidden cell alone
            assert len(hidden) != 1, (counts, grid, line)
        if len(line) > 1 and total >= SMALL and hidden and shown_total != COMPLEMENTARY:
            # (Only "<5" cells left and still exact, as [4, 4] with 8: the total is "x" here.)
            _assert_not_derivable(counts, grid, hidden)


def _assert_not_derivable(counts, grid, hidden):
    """From the line's total and its shown cells, the hidden cells sum to `rest`; each "<5" lies
    in 1–4 and each "x" in 0 upwards. A cell's possible values are then a whole interval: it must
    hold more than one value."""
    rest = sum(counts[r][c] for r, c in hidden)
    bounds = {key: (1, SMALL - 1) if grid.cells[key[0]][key[1]] == FEWER_THAN_SMALL else (0, rest)
              for key in hidden}
    for key in hidden:
        low = max(bounds[key][0], rest - sum(bounds[k][1] for k in hidden if k != key))
        high = min(bounds[key][1], rest - sum(bounds[k][0] for k in hidden if k != key))
        assert low < high, (counts, grid, key)
