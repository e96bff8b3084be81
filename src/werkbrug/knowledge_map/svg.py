"""The knowledge map as a server-rendered SVG infographic.

Layout (`layout.py`): one band per theme, items placed by their connections on a grid inside
their band, relations routed through the gutters between the boxes and drawn underneath as
arrows with a dash pattern per kind (the legend names each pattern in words, so meaning never
rests on colour alone). Every item is an
`<a>` with an `href`, so it is a keyboard-focusable link; without JavaScript it opens the
item's details beside the map on a new page load, with the same filter.

A pure function of its input (no database): fast to test and to benchmark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

from django.utils.translation import gettext as _

from .layout import TITLE_CHARS, MapLayout, compute_layout, title_lines
from .models import ItemKind, RelationKind, Theme

__all__ = ["render_map", "title_lines", "TITLE_CHARS", "DASH", "layout_for"]

LEGEND_COLS = 3
TITLE_PX = 14
KIND_PX = 12

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



def layout_for(items: list, relations: Iterable[tuple[int, int, str]], *, cols: int | None = None) -> MapLayout:
    """The layout of these items (uncached; the pages use `selectors.map_layout`)."""
    return compute_layout(((i.pk, i.theme, i.title) for i in items), relations, themes=Theme.values, cols=cols)


def svg_height(layout: MapLayout) -> float:
    """The drawing's full height: the map and the legend under it."""
    return layout.height + 30 + (len(DASH) + LEGEND_COLS - 1) // LEGEND_COLS * 24 + 16


def _title_tspans(lines: list[str], x: float, y: float, star: bool) -> str:
    out = []
    for n, line in enumerate(lines):
        text = ("★ " if star and n == 0 else "") + line
        # a single word longer than a line is set smaller so that it fits, never cut
        size = f' font-size="{TITLE_PX * TITLE_CHARS / len(text):.1f}"' if len(text) > TITLE_CHARS else ""
        out.append(f'<tspan x="{x:.0f}" y="{y + n * 18:.0f}"{size}>{escape(text)}</tspan>')
    return "".join(out)


def render_map(
    items: list,
    relations: Iterable[tuple[int, int, str]],
    *,
    href: Callable[[object], str],
    layout: MapLayout | None = None,
    matches: set[int] | frozenset[int] = frozenset(),
    selected: int | None = None,
    title: str = "",
    searching: bool = False,
    flagged: set[int] | frozenset[int] = frozenset(),
    hidden: dict[int, list[str]] | None = None,
    numbers: dict[int, int] | None = None,
) -> str:
    """SVG markup for the map.

    `href(item)` gives each item's link; `flagged` items (past their review date, shown to
    editors) carry a written mark, not colour alone; `selected` is the focus item: it and its
    neighbours stand out, the rest is dimmed; `hidden` names per item the connected items the
    filter hides (a "↗ n" mark and words in its name); `numbers` puts a reference number in each
    box (the poster's index)."""
    relations = list(relations)
    if layout is None:
        layout = layout_for(items, relations)
    boxes = layout.boxes
    hidden = hidden or {}
    kind_labels = {k: str(v) for k, v in ItemKind.choices}
    rel_labels = {k: str(v) for k, v in RelationKind.choices}
    theme_labels = {k: str(v) for k, v in Theme.choices}
    legend_y = layout.height
    width = layout.width
    total_h = svg_height(layout)
    neighbours: set[int] = set()
    if selected is not None:
        for s, t, _k in relations:
            if s == selected:
                neighbours.add(t)
            elif t == selected:
                neighbours.add(s)
    focusing = selected is not None and selected in boxes
    title = title or _("Knowledge map")
    no_links = escape(_("no connections on the map"))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="km-svg{" km-focusing" if focusing else ""}" '
        f'viewBox="0 0 {width:.0f} {total_h:.0f}" width="{width:.0f}" height="{total_h:.0f}" '
        f'role="group" aria-labelledby="km-svg-title" data-width="{width:.0f}" '
        f'data-no-links="{no_links}">',
        f'<title id="km-svg-title">{escape(title)}</title>',
        '<defs><marker id="km-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4f4f4f"/></marker></defs>',
    ]
    for band in layout.bands:
        out.append(
            f'<rect class="km-band" x="4" y="{band.y:.0f}" width="{width - 8:.0f}" height="{band.height:.0f}" rx="6" '
            f'fill="#fafafa" stroke="#8a8a8a"/>'
            f'<text class="km-band-label" x="16" y="{band.y + 26:.0f}" font-size="18" font-weight="700" '
            f'fill="#154273">{escape(theme_labels.get(band.theme, band.theme))}</text>'
        )
    out.append('<g class="km-relations" aria-hidden="true" fill="none" stroke="#4f4f4f">')
    # the constant part of each line's attributes, per relation kind
    style = {
        kind: f'stroke-width="{STROKE.get(kind, 1.2)}"' + (f' stroke-dasharray="{dash}"' if dash else "")
        + ' marker-end="url(#km-arrow)"/>'
        for kind, dash in DASH.items()
    }
    for source, target, kind, d in layout.routes:
        if kind not in style:
            continue
        active = " km-rel-active" if focusing and (source == selected or target == selected) else ""
        out.append(
            f'<path class="km-rel km-rel--{kind}{active}" data-from="{source}" data-to="{target}" d="{d}" {style[kind]}'
        )
    out.append("</g>")
    kind_html = {k: escape(v) for k, v in kind_labels.items()}
    match_suffix = escape(" — " + _("matches your search"))
    flag_suffix = escape(" — " + _("review date passed"))
    flag_text = escape("⚠ " + _("check"))
    by_pk = {item.pk: item for item in items}
    by_theme: dict[str, list[int]] = {}
    for pk in layout.order:
        if pk in by_pk:
            by_theme.setdefault(by_pk[pk].theme, []).append(pk)
    for band in layout.bands:
        label = theme_labels.get(band.theme, band.theme)
        out.append(f'<g class="km-theme" role="list" aria-label="{escape(label)}">')
        for pk in by_theme.get(band.theme, ()):
            item = by_pk[pk]
            box = boxes[pk]
            kind = kind_html.get(item.kind) or escape(item.kind)
            match = pk in matches
            classes = "km-item km-match" if match else ("km-item km-nomatch" if searching else "km-item")
            if focusing:
                classes += " km-selected" if pk == selected else (" km-neighbour" if pk in neighbours else " km-dim")
            item_title = escape(item.title)
            flag = pk in flagged
            # focus (selected, neighbour, dimmed) is drawn by the stylesheet from the classes,
            # so the script can move it without re-rendering
            fill = "#ffffff" if searching and not match else KIND_FILL.get(item.kind, "#ffffff")
            stroke = 'stroke="#8f3c00" stroke-width="4"' if match else 'stroke="#4f4f4f" stroke-width="1.5"'
            x, y = box.x, box.y
            number = numbers.get(pk) if numbers else None
            # on the poster the number alone, as large as the title (the index names the kind)
            head = f'<tspan font-size="{TITLE_PX}" font-weight="700" fill="#1a1a1a">{number}</tspan>' if number else kind
            away = hidden.get(pk, ())
            label = f"{item_title} ({kind})"
            if number:
                label = f"{number}. {label}"
            if match:
                label += match_suffix
            if flag:
                label += flag_suffix
            tooltip = item_title
            if away:
                words = escape(_("%(n)s connection(s) to items outside this filter: %(names)s") % {
                    "n": len(away), "names": ", ".join(away[:5]) + (" …" if len(away) > 5 else "")})
                label += " — " + words
                tooltip += " — " + words
            out.append(
                f'<g role="listitem"><a href="{escape(href(item))}" class="{classes}" data-pk="{pk}" '
                f'aria-label="{label}">'
                f"<title>{tooltip}</title>"
                f'<rect x="{x:.0f}" y="{y:.0f}" width="{box.w:.0f}" height="{box.h:.0f}" rx="6" fill="{fill}" {stroke}/>'
                f'<text x="{x + 10:.0f}" y="{y + 17:.0f}" font-size="{KIND_PX}" fill="#4f4f4f">{head}</text>'
                + (f'<text x="{x + box.w - 8:.0f}" y="{y + 17:.0f}" font-size="{KIND_PX}" font-weight="700" fill="#a4262c" '
                   f'text-anchor="end">{flag_text}</text>' if flag else "")
                + (f'<text class="km-away" x="{x + box.w - 8:.0f}" y="{y + box.h - 6:.0f}" font-size="{KIND_PX}" '
                   f'font-weight="700" fill="#154273" text-anchor="end">↗ {len(away)}</text>' if away else "")
                + f'<text font-size="{TITLE_PX}" font-weight="600" fill="#1a1a1a">'
                + _title_tspans(layout.lines.get(pk) or title_lines(item.title), x + 10, y + 38, match)
                + "</text></a></g>"
            )
        out.append("</g>")
    # The legend: each relation kind drawn and named.
    lines_label = escape(_("Lines"))
    out.append(f'<g class="km-legend"><text x="16" y="{legend_y + 18:.0f}" font-size="14" font-weight="700" fill="#1a1a1a">'
               f"{lines_label}</text>")
    step = max(260, (width - 120) / LEGEND_COLS)
    for n, (kind, dash) in enumerate(DASH.items()):
        row, col = divmod(n, LEGEND_COLS)
        x = 96 + col * step
        y = legend_y + 14 + row * 24
        out.append(
            f'<line x1="{x:.0f}" y1="{y:.0f}" x2="{x + 70:.0f}" y2="{y:.0f}" stroke="#4f4f4f" stroke-width="{STROKE.get(kind, 1.2)}"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + ' marker-end="url(#km-arrow)"/>'
            f'<text x="{x + 82:.0f}" y="{y + 5:.0f}" font-size="14" fill="#1a1a1a">{escape(rel_labels[kind])}</text>'
        )
    out.append("</g></svg>")
    return "".join(out)
