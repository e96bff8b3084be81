"""The knowledge map as a server-rendered SVG infographic.

Layout: one horizontal band per theme (in the fixed theme order), items in a grid of boxes
inside their band, relations drawn underneath as arrows with a dash pattern per kind (the
legend names each pattern in words, so meaning never rests on colour alone). Every item is an
`<a>` with an `href`, so it is a keyboard-focusable link; without JavaScript it opens the
item's details beside the map on a new page load, with the same filter.

A pure function of its input (no database): fast to test and to benchmark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _

from .models import ItemKind, RelationKind, Theme

WIDTH = 1200
PAD = 16
COLS = 4
GAP_X = 24
GAP_Y = 14
BOX_H = 64
TITLE_CHARS = 28  # per line, for 14 px bold in a box of BOX_W; two lines at most
BAND_HEAD = 40
BAND_GAP = 18
BOX_W = (WIDTH - 2 * PAD - (COLS - 1) * GAP_X) // COLS

# Light fills with dark text (contrast above 7:1); the kind is also written in the box.
KIND_FILL = {
    ItemKind.METHOD: "#e7eef6",
    ItemKind.INSTRUMENT: "#eef5e4",
    ItemKind.TRAINING: "#fdf0e0",
    ItemKind.REGULATION: "#f0eaf6",
    ItemKind.BENEFIT: "#e4f3f3",
    ItemKind.ORGANISATION: "#f3f3f3",
    ItemKind.DOCUMENT: "#fbf7dd",
    ItemKind.CONTACT: "#fde8ea",
    ItemKind.QA: "#eaf4ea",
}
# One pattern per relation kind, all different (the legend names each): solid, dashes of three
# lengths, dash-dot and dots.
DASH = {
    RelationKind.PART_OF: "",
    RelationKind.REQUIRES: "8 4",
    RelationKind.LEADS_TO: "18 5",
    RelationKind.OFFERED_BY: "3 3",
    RelationKind.REPLACES: "12 4 2 4",
    RelationKind.SEE_ALSO: "1 6",
}
STROKE = {
    RelationKind.PART_OF: 2.4,
    RelationKind.LEADS_TO: 1.8,
}


@dataclass(frozen=True)
class Box:
    x: int
    y: int

    @property
    def cx(self) -> float:
        return self.x + BOX_W / 2

    @property
    def cy(self) -> float:
        return self.y + BOX_H / 2


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def title_lines(title: str, limit: int = TITLE_CHARS) -> list[str]:
    """The title on one or two lines, broken between words; what does not fit ends in "…"."""
    if len(title) <= limit:
        return [title]
    cut = title.rfind(" ", 0, limit + 1)
    if cut <= limit // 3:  # one long word: break it
        cut = limit
    first, rest = title[:cut].rstrip(), title[cut:].strip()
    return [first, _truncate(rest, limit)] if rest else [first]


def layout(items: Iterable) -> tuple[dict[int, Box], list[tuple[str, str, int, int]], int]:
    """Positions per item pk, the bands (theme, label, y, height) and the total height."""
    by_theme: dict[str, list] = {}
    for item in items:
        by_theme.setdefault(item.theme, []).append(item)
    labels = dict(Theme.choices)
    boxes: dict[int, Box] = {}
    bands = []
    y = PAD
    for theme in Theme.values:
        members = by_theme.get(theme)
        if not members:
            continue
        rows = (len(members) + COLS - 1) // COLS
        height = BAND_HEAD + rows * (BOX_H + GAP_Y) + 4
        bands.append((theme, str(labels[theme]), y, height))
        for n, item in enumerate(members):
            row, col = divmod(n, COLS)
            boxes[item.pk] = Box(PAD + col * (BOX_W + GAP_X), y + BAND_HEAD + row * (BOX_H + GAP_Y))
        y += height + BAND_GAP
    return boxes, bands, y


HALF_W = BOX_W / 2
HALF_H = BOX_H / 2


def _edge_point(cx: float, cy: float, toward_x: float, toward_y: float) -> tuple[float, float]:
    """Where the line from a box centre toward a point leaves the box."""
    dx, dy = toward_x - cx, toward_y - cy
    if dx == 0 and dy == 0:
        return cx, cy
    sx = HALF_W / abs(dx) if dx else float("inf")
    sy = HALF_H / abs(dy) if dy else float("inf")
    scale = sx if sx < sy else sy
    return cx + dx * scale, cy + dy * scale


def render_map(
    items: list,
    relations: Iterable[tuple[int, int, str]],
    *,
    href: Callable[[object], str],
    matches: set[int] | frozenset[int] = frozenset(),
    selected: int | None = None,
    title: str = "",
    searching: bool = False,
    flagged: set[int] | frozenset[int] = frozenset(),
) -> str:
    """SVG markup for the map. `href(item)` gives each item's link; `flagged` items (past their
    review date, shown to editors) carry a written mark, not colour alone."""
    boxes, bands, height = layout(items)
    kind_labels = {k: str(v) for k, v in ItemKind.choices}
    rel_labels = {k: str(v) for k, v in RelationKind.choices}
    legend_y = height
    legend_rows = (len(DASH) + 2) // 3
    total_h = legend_y + 30 + legend_rows * 24 + PAD
    title = title or _("Knowledge map")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="km-svg" viewBox="0 0 {WIDTH} {total_h}" '
        f'width="{WIDTH}" height="{total_h}" role="group" aria-labelledby="km-svg-title">',
        f'<title id="km-svg-title">{escape(title)}</title>',
        '<defs><marker id="km-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4f4f4f"/></marker></defs>',
    ]
    for _theme, label, y, band_h in bands:
        out.append(
            f'<rect class="km-band" x="4" y="{y}" width="{WIDTH - 8}" height="{band_h}" rx="6" '
            f'fill="#fafafa" stroke="#8a8a8a"/>'
            f'<text class="km-band-label" x="{PAD}" y="{y + 26}" font-size="18" font-weight="700" '
            f'fill="#154273">{escape(label)}</text>'
        )
    out.append('<g class="km-relations" aria-hidden="true" fill="none" stroke="#4f4f4f">')
    centres = {pk: (box.x + HALF_W, box.y + HALF_H) for pk, box in boxes.items()}
    # the constant part of each line's attributes, per relation kind
    style = {
        kind: f'stroke-width="{STROKE.get(kind, 1.2)}"' + (f' stroke-dasharray="{dash}"' if dash else "")
        + ' marker-end="url(#km-arrow)"/>'
        for kind, dash in DASH.items()
    }
    for source, target, kind in relations:
        a, b = centres.get(source), centres.get(target)
        if a is None or b is None or kind not in style:
            continue
        x1, y1 = _edge_point(a[0], a[1], b[0], b[1])
        x2, y2 = _edge_point(b[0], b[1], a[0], a[1])
        # a gentle bend, so that relations between neighbours do not hide each other
        mx, my = (x1 + x2) / 2 + (y2 - y1) * 0.12, (y1 + y2) / 2 - (x2 - x1) * 0.12
        active = " km-rel-active" if selected is not None and (source == selected or target == selected) else ""
        out.append(
            f'<path class="km-rel km-rel--{kind}{active}" data-from="{source}" data-to="{target}" '
            f'd="M{x1:.0f},{y1:.0f} Q{mx:.0f},{my:.0f} {x2:.0f},{y2:.0f}" {style[kind]}'
        )
    out.append("</g>")
    kind_html = {k: escape(v) for k, v in kind_labels.items()}
    match_suffix = escape(" — " + _("matches your search"))
    flag_suffix = escape(" — " + _("review date passed"))
    flag_text = escape("⚠ " + _("check"))
    by_theme: dict[str, list] = {}
    for item in items:
        by_theme.setdefault(item.theme, []).append(item)
    for theme, label, _y, _h in bands:
        out.append(f'<g class="km-theme" role="list" aria-label="{escape(label)}">')
        for item in by_theme[theme]:
            pk = item.pk
            box = boxes[pk]
            kind = kind_html.get(item.kind) or escape(item.kind)
            match = pk in matches
            is_selected = pk == selected
            classes = "km-item km-match" if match else ("km-item km-nomatch" if searching else "km-item")
            if is_selected:
                classes += " km-selected"
            title = escape(item.title)
            lines = title_lines(item.title, TITLE_CHARS - 2) if match else title_lines(item.title)
            flag = pk in flagged
            fill = "#ffffff" if searching and not match else KIND_FILL.get(item.kind, "#ffffff")
            if match:
                stroke = 'stroke="#8f3c00" stroke-width="4"'
            elif is_selected:
                stroke = 'stroke="#154273" stroke-width="4"'
            else:
                stroke = 'stroke="#4f4f4f" stroke-width="1.5"'
            x, y = box.x, box.y
            if len(lines) == 1:
                text = f'<tspan x="{x + 10}" y="{y + 42}">{"★ " if match else ""}{escape(lines[0])}</tspan>'
            else:
                text = (f'<tspan x="{x + 10}" y="{y + 36}">{"★ " if match else ""}{escape(lines[0])}</tspan>'
                        f'<tspan x="{x + 10}" y="{y + 54}">{escape(lines[1])}</tspan>')
            out.append(
                f'<g role="listitem"><a href="{escape(href(item))}" class="{classes}" data-pk="{pk}" '
                f'aria-label="{title} ({kind}){match_suffix if match else ""}{flag_suffix if flag else ""}">'
                f"<title>{title}</title>"
                f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" {stroke}/>'
                f'<text x="{x + 10}" y="{y + 17}" font-size="12" fill="#4f4f4f">{kind}</text>'
                + (f'<text x="{x + BOX_W - 8}" y="{y + 17}" font-size="12" font-weight="700" fill="#a4262c" '
                   f'text-anchor="end">{flag_text}</text>' if flag else "")
                + f'<text font-size="14" font-weight="600" fill="#1a1a1a">{text}</text></a></g>'
            )
        out.append("</g>")
    # The legend: each relation kind drawn and named.
    lines_label = escape(_("Lines"))
    out.append(f'<g class="km-legend"><text x="{PAD}" y="{legend_y + 18}" font-size="14" font-weight="700" fill="#1a1a1a">'
               f"{lines_label}</text>")
    for n, (kind, dash) in enumerate(DASH.items()):
        row, col = divmod(n, 3)
        x = PAD + 80 + col * 360
        y = legend_y + 14 + row * 24
        out.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 80}" y2="{y}" stroke="#4f4f4f" stroke-width="{STROKE.get(kind, 1.2)}"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + ' marker-end="url(#km-arrow)"/>'
            f'<text x="{x + 92}" y="{y + 5}" font-size="14" fill="#1a1a1a">{escape(rel_labels[kind])}</text>'
        )
    out.append("</g></svg>")
    return "".join(out)
