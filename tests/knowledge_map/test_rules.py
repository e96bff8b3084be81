"""Pure rules: review dates and cycle detection, as tables."""

from datetime import date

import pytest

from werkbrug.knowledge_map.graph import find_cycle, would_close_cycle
from werkbrug.knowledge_map.review import review_state

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("review_on", "expected"),
    [
        (None, "none"),                 # no date: a gap for editors to fill
        (date(2026, 11, 1), "overdue"),  # three weeks ago
        (date(2026, 11, 22), "overdue"),  # today counts as due
        (date(2026, 11, 23), "soon"),    # tomorrow
        (date(2026, 12, 22), "soon"),    # exactly 30 days ahead
        (date(2026, 12, 23), "ok"),      # 31 days ahead
        (date(2028, 1, 1), "ok"),        # far ahead
    ],
)
def test_review_state(review_on, expected):
    assert review_state(review_on, TODAY) == expected


@pytest.mark.parametrize(
    ("edges", "source", "target", "closes"),
    [
        ({}, 1, 1, True),                        # an item part of itself
        ({}, 1, 2, False),                       # first edge
        ({2: [1]}, 1, 2, True),                  # 2 ⊂ 1, now 1 ⊂ 2: a two-step circle
        ({2: [3], 3: [1]}, 1, 2, True),          # 2 ⊂ 3 ⊂ 1, now 1 ⊂ 2: a long circle
        ({2: [3], 3: [4]}, 1, 2, False),         # a chain, no way back to 1
        ({1: [2], 3: [2]}, 3, 1, False),         # two children of 2: no circle
    ],
)
def test_would_close_cycle(edges, source, target, closes):
    assert would_close_cycle(edges, source, target) is closes


@pytest.mark.parametrize(
    ("edges", "has_cycle"),
    [
        ({}, False),
        ({"a": ["b"], "b": ["c"]}, False),
        ({"a": ["b"], "b": ["a"]}, True),
        ({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}, True),
        ({"a": ["b", "c"], "b": ["d"], "c": ["d"]}, False),  # a diamond is not a circle
    ],
)
def test_find_cycle(edges, has_cycle):
    cycle = find_cycle(edges)
    assert (cycle is not None) is has_cycle
    if cycle:
        assert cycle[0] == cycle[-1]
        for a, b in zip(cycle, cycle[1:], strict=False):
            assert b in edges[a]
