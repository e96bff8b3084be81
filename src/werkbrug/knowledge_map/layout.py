"""Where each item of the knowledge map stands, and where its relation lines run.

The layout follows the connections: per theme (a band of the map, so items cluster by theme),
networkx places the items with a force-directed layout (Fruchterman–Reingold, `spring_layout`)
over the relations inside the theme, so connected items pull together. Those free positions
are then moved onto a grid of equal columns with an optimal assignment (scipy's
`linear_sum_assignment`: the least total displacement), which keeps neighbours near each other
and guarantees that no two boxes overlap.

Relation lines are routed orthogonally through the empty gutters between the rows and columns
of that grid, so they never run through another item's box; each line gets its own lane in a
gutter, so lines that share a gutter stay apart.

Deterministic: the same items and relations always give the same layout (fixed seed, nodes
and edges in a fixed order), so the map is stable between renders. A pure function of its
input (no database); `selectors.map_layout` caches its result until the map changes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

SEED = 18
BOX_W = 250
GAP_X = 44  # vertical gutters: room for the lanes of lines running between columns
GAP_Y = 34  # horizontal gutters between rows
PAD = 28
BAND_HEAD = 58
BAND_FOOT = 12
BAND_GAP = 26
KIND_LINE = 24  # the kind, written above the title
LINE_H = 18  # a title line, 14 px
TITLE_CHARS = 27  # per line for 14 px semi-bold in BOX_W minus the margins
BOX_FOOT = 12
LANES = 7
LANE_STEP = 3.0
# a relation's pull in the force layout: "part of" holds tightest
WEIGHT = {"part_of": 3.0, "requires": 2.0, "offered_by": 2.0, "leads_to": 1.5, "replaces": 1.5, "see_also": 1.0}


def title_lines(title: str, limit: int = TITLE_CHARS) -> list[str]:
    """The title broken between words onto as many lines as it needs; a word is never cut.

    A single word longer than a line keeps a line of its own (the renderer sets it a little
    smaller so it fits the box)."""
    lines: list[str] = []
    current = ""
    for word in title.split():
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= limit:
            current = f"{current} {word}"
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    row: int  # the row over the whole map
    col: int

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass(frozen=True)
class Band:
    theme: str
    y: float
    height: float


@dataclass
class MapLayout:
    width: float
    height: float
    cols: int
    boxes: dict[int, Box]
    lines: dict[int, list[str]]  # the wrapped title per item
    bands: list[Band]
    order: list[int]  # reading order: per band, row by row, left to right
    routes: list[tuple[int, int, str, str]] = field(default_factory=list)  # (source, target, kind, path "d")


def choose_cols(largest_theme: int) -> int:
    """Four columns while that reads well on a screen; wider for big maps (zoom and pan)."""
    if largest_theme <= 40:
        return 4
    return min(12, math.ceil(math.sqrt(largest_theme * 1.2)))


def _cluster_positions(members: list[int], edges: list[tuple[int, int, str]]) -> dict[int, tuple[float, float]]:
    """Free positions of one theme's items from the relations among them."""
    import networkx as nx

    if len(members) < 3:
        return {pk: (float(n), 0.0) for n, pk in enumerate(members)}
    graph = nx.Graph()
    graph.add_nodes_from(members)  # sorted: the same order every time
    for s, t, kind in edges:
        w = WEIGHT.get(kind, 1.0)
        if graph.has_edge(s, t):
            graph[s][t]["weight"] += w
        else:
            graph.add_edge(s, t, weight=w)
    pos = nx.spring_layout(graph, seed=SEED, weight="weight", iterations=60)
    return {pk: (float(pos[pk][0]), float(pos[pk][1])) for pk in members}


def _to_grid(members: list[int], pos: dict[int, tuple[float, float]], cols: int) -> dict[int, tuple[int, int]]:
    """(row, col) per item: the grid cells nearest to the free positions, no two alike."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    n = len(members)
    rows = math.ceil(n / cols)
    if n == 1:
        return {members[0]: (0, 0)}
    # spread the free positions over the grid by rank, so a crowded cluster fills it evenly
    xs = np.array([pos[pk][0] for pk in members])
    ys = np.array([pos[pk][1] for pk in members])
    rx = np.argsort(np.argsort(xs, kind="stable"), kind="stable") / max(n - 1, 1) * (cols - 1)
    ry = np.argsort(np.argsort(ys, kind="stable"), kind="stable") / max(n - 1, 1) * (rows - 1)
    cells = [(r, c) for r in range(rows) for c in range(cols)]
    cr = np.array([r for r, _c in cells], dtype=float)
    cc = np.array([c for _r, c in cells], dtype=float)
    # the row weighs a little more, so reading order follows the layout's vertical order
    cost = (rx[:, None] - cc[None, :]) ** 2 + 1.2 * (ry[:, None] - cr[None, :]) ** 2
    chosen_rows, chosen_cells = linear_sum_assignment(cost)
    return {members[i]: cells[j] for i, j in zip(chosen_rows, chosen_cells, strict=True)}


def compute_layout(
    items: Iterable[tuple[int, str, str]],
    relations: Iterable[tuple[int, int, str]],
    *,
    themes: Iterable[str],
    cols: int | None = None,
) -> MapLayout:
    """The layout of `items` ((pk, theme, title)) with `relations` ((source, target, kind)),
    bands in the order of `themes`."""
    by_theme: dict[str, list[int]] = {}
    titles: dict[int, str] = {}
    theme_of: dict[int, str] = {}
    for pk, theme, title in items:
        by_theme.setdefault(theme, []).append(pk)
        titles[pk] = title
        theme_of[pk] = theme
    relations = sorted({(s, t, k) for s, t, k in relations if s in titles and t in titles and s != t})
    if cols is None:
        cols = choose_cols(max((len(m) for m in by_theme.values()), default=0))
    width = 2 * PAD + cols * BOX_W + (cols - 1) * GAP_X
    lines = {pk: title_lines(title) for pk, title in titles.items()}
    boxes: dict[int, Box] = {}
    bands: list[Band] = []
    order: list[int] = []
    y = PAD
    row_base = 0
    for theme in themes:
        members = sorted(by_theme.get(theme, ()))
        if not members:
            continue
        inner = [(s, t, k) for s, t, k in relations if theme_of[s] == theme and theme_of[t] == theme]
        cells = _to_grid(members, _cluster_positions(members, inner), cols)
        grid: dict[int, dict[int, int]] = {}
        for pk, (r, c) in cells.items():
            grid.setdefault(r, {})[c] = pk
        band_y = y
        y += BAND_HEAD
        for r in sorted(grid):
            row = grid[r]
            h = KIND_LINE + LINE_H * max(len(lines[pk]) for pk in row.values()) + BOX_FOOT
            for c in sorted(row):
                pk = row[c]
                boxes[pk] = Box(PAD + c * (BOX_W + GAP_X), y, BOX_W, h, row_base + r, c)
                order.append(pk)
            y += h + GAP_Y
        y += BAND_FOOT - GAP_Y + GAP_Y / 2
        bands.append(Band(theme, band_y, y - band_y))
        y += BAND_GAP
        row_base += len(grid)
    layout = MapLayout(width=width, height=y, cols=cols, boxes=boxes, lines=lines, bands=bands, order=order)
    layout.routes = [(s, t, k, route(layout, boxes[s], boxes[t], n)) for n, (s, t, k) in enumerate(relations)]
    return layout


def _row_edges(layout: MapLayout) -> tuple[dict[int, float], dict[int, float]]:
    tops: dict[int, float] = {}
    bottoms: dict[int, float] = {}
    for box in layout.boxes.values():
        tops[box.row] = box.y
        bottoms[box.row] = max(bottoms.get(box.row, 0.0), box.y + box.h)
    return tops, bottoms


def route(layout: MapLayout, a: Box, b: Box, n: int) -> str:
    """An SVG path from box `a` to box `b` through the gutters only (never across a box)."""
    lane = (n % LANES - LANES // 2) * LANE_STEP
    if a.row == b.row and abs(a.col - b.col) == 1:  # side by side: straight across the gap
        y = a.cy + lane
        x1, x2 = (a.x + a.w, b.x) if a.col < b.col else (a.x, b.x + b.w)
        return f"M{x1:.0f},{y:.0f} L{x2:.0f},{y:.0f}"
    if a.col == b.col and abs(a.row - b.row) == 1:  # one above the other: straight down or up
        x = a.cx + lane * 2
        y1, y2 = (a.y + a.h, b.y) if a.row < b.row else (a.y, b.y + b.h)
        return f"M{x:.0f},{y1:.0f} L{x:.0f},{y2:.0f}"
    down = b.row >= a.row
    # the horizontal gutter beside a (below it when going down or along, above it going up)
    ax = a.cx + lane * 4
    ay = a.y + a.h if down else a.y
    gy1 = (a.y + a.h + GAP_Y / 2 if down else a.y - GAP_Y / 2) + lane
    bx = b.cx - lane * 4
    if b.row > a.row:
        by, gy2 = b.y, b.y - GAP_Y / 2 - lane
    else:
        by, gy2 = b.y + b.h, b.y + b.h + GAP_Y / 2 - lane
    if b.row in (a.row - 1, a.row, a.row + 1):
        # the gutter between a and b (or below their row): one horizontal run
        return f"M{ax:.0f},{ay:.0f} L{ax:.0f},{gy1:.0f} L{bx:.0f},{gy1:.0f} L{bx:.0f},{by:.0f}"
    # along a vertical gutter beside b's column, on the side a comes from
    if a.col > b.col:
        gx = b.x + b.w + GAP_X / 2 + lane
    else:
        gx = b.x - GAP_X / 2 + lane
    return (f"M{ax:.0f},{ay:.0f} L{ax:.0f},{gy1:.0f} L{gx:.0f},{gy1:.0f} L{gx:.0f},{gy2:.0f} "
            f"L{bx:.0f},{gy2:.0f} L{bx:.0f},{by:.0f}")
