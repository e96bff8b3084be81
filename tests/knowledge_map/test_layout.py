"""The layout: by connections, clustered by theme, deterministic, no overlapping boxes, lines
that never cross a box; cached until the map changes."""

from __future__ import annotations

import random
import re

import pytest

from werkbrug.knowledge_map.layout import GAP_X, GAP_Y, compute_layout
from werkbrug.knowledge_map.models import RelationKind, Theme


def _graph(n: int = 120, m: int = 260, seed: int = 7):
    rng = random.Random(seed)
    items = [(pk, rng.choice(Theme.values), f"Item {pk} " + " ".join(rng.choice(["werk", "herstel", "trajectbegeleider"]) for _ in range(rng.randint(1, 6))))
             for pk in range(1, n + 1)]
    relations = set()
    while len(relations) < m:
        a, b = rng.sample(range(1, n + 1), 2)
        relations.add((a, b, rng.choice(RelationKind.values)))
    return items, sorted(relations)


def test_the_same_map_gives_the_same_layout():
    items, relations = _graph()
    first = compute_layout(items, relations, themes=Theme.values)
    again = compute_layout(list(reversed(items)), list(reversed(relations)), themes=Theme.values)
    assert first.boxes == again.boxes
    assert first.routes == again.routes
    assert first.order == again.order


def test_items_are_clustered_by_theme_in_bands():
    items, relations = _graph()
    layout = compute_layout(items, relations, themes=Theme.values)
    theme_of = {pk: theme for pk, theme, _t in items}
    for band in layout.bands:
        inside = [pk for pk, box in layout.boxes.items() if band.y <= box.y and box.y + box.h <= band.y + band.height]
        assert inside and {theme_of[pk] for pk in inside} == {band.theme}
    assert [b.theme for b in layout.bands] == [t for t in Theme.values if any(th == t for _p, th, _x in items)]


@pytest.mark.parametrize("n", [1, 2, 5, 37, 300])
def test_no_two_boxes_overlap(n):
    items, relations = _graph(n, min(2 * n, n * (n - 1)) if n > 1 else 0)
    layout = compute_layout(items, relations, themes=Theme.values)
    boxes = list(layout.boxes.values())
    assert len(boxes) == n
    for i, a in enumerate(boxes):
        assert a.x >= 0 and a.x + a.w <= layout.width
        for b in boxes[i + 1:]:
            apart = a.x + a.w + GAP_X <= b.x or b.x + b.w + GAP_X <= a.x or a.y + a.h + GAP_Y <= b.y or b.y + b.h + GAP_Y <= a.y
            assert apart, (a, b)


def _segments(d: str):
    points = [tuple(float(v) for v in p.split(",")) for p in d.replace("M", "").replace("L", "").split()]
    return list(zip(points, points[1:], strict=False))


def test_relation_lines_never_run_through_a_box():
    items, relations = _graph(150, 400)
    layout = compute_layout(items, relations, themes=Theme.values)
    for source, target, _kind, d in layout.routes:
        segments = _segments(d)
        assert segments
        for (x1, y1), (x2, y2) in segments:
            assert x1 == x2 or y1 == y2  # orthogonal, in the gutters
            for pk, box in layout.boxes.items():
                # strictly inside a box (touching its edge is how a line meets its own boxes)
                crosses = (min(x1, x2) < box.x + box.w - 1 and max(x1, x2) > box.x + 1
                           and min(y1, y2) < box.y + box.h - 1 and max(y1, y2) > box.y + 1)
                assert not crosses, (source, target, pk, d)
        # the line starts at the source's edge and ends at the target's edge
        (sx, sy), (tx, ty) = segments[0][0], segments[-1][1]
        a, b = layout.boxes[source], layout.boxes[target]
        assert a.x - 1 <= sx <= a.x + a.w + 1 and a.y - 1 <= sy <= a.y + a.h + 1
        assert b.x - 1 <= tx <= b.x + b.w + 1 and b.y - 1 <= ty <= b.y + b.h + 1


def test_connected_items_stand_closer_than_unconnected_ones():
    """The layout follows the connections: within a theme, related items are nearer on average."""
    rng = random.Random(3)
    items = [(pk, "work", f"Item {pk}") for pk in range(1, 41)]
    # four tight groups of ten
    relations = sorted({(g * 10 + rng.randint(1, 10), g * 10 + rng.randint(1, 10), "see_also") for g in range(4) for _ in range(40)})
    relations = [r for r in relations if r[0] != r[1]]
    layout = compute_layout(items, relations, themes=Theme.values)

    def dist(a, b):
        return abs(layout.boxes[a].row - layout.boxes[b].row) + abs(layout.boxes[a].col - layout.boxes[b].col)

    same = [dist(a, b) for a in range(1, 41) for b in range(a + 1, 41) if (a - 1) // 10 == (b - 1) // 10]
    other = [dist(a, b) for a in range(1, 41) for b in range(a + 1, 41) if (a - 1) // 10 != (b - 1) // 10]
    assert sum(same) / len(same) < 0.7 * sum(other) / len(other)


@pytest.mark.django_db
def test_the_layout_is_cached_until_the_map_changes(client, pro, editor, make_item, monkeypatch):
    from django.core.cache import cache

    from werkbrug.knowledge_map import layout as layout_module
    from werkbrug.knowledge_map import selectors
    from werkbrug.knowledge_map.services import item_update, relation_add, relation_remove

    cache.clear()
    a, b, c = make_item("a"), make_item("b"), make_item("c", theme="care")
    calls = []
    real = layout_module.compute_layout
    monkeypatch.setattr(selectors, "compute_layout", lambda *args, **kw: calls.append(1) or real(*args, **kw))
    client.force_login(pro)

    def show() -> str:
        response = client.get("/knowledge-map/")
        assert response.status_code == 200
        return re.search(r"<svg.*?</svg>", response.content.decode(), re.S).group(0)

    first = show()
    assert len(calls) == 1
    assert show() == first and len(calls) == 1  # the same map: from the cache, the same drawing
    relation = relation_add(source=a, target=c, kind="see_also", actor=editor)
    show()
    assert len(calls) == 2  # a new relation: a new layout
    show()
    assert len(calls) == 2
    item_update(item=b, actor=editor, title="Een veel langere titel die over meerdere regels loopt")
    show()
    assert len(calls) == 3  # a new title (the box may grow): a new layout
    relation_remove(relation=relation, actor=editor)
    show()
    assert len(calls) == 4
    # a filter lays out its own subset, cached the same way
    client.get("/knowledge-map/?theme=care")
    client.get("/knowledge-map/?theme=care")
    assert len(calls) == 5
