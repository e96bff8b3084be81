"""The knowledge map as a poster: A3 or A2, legible type, a link and QR code per item.

The map is laid out with the number of columns and the orientation (landscape or portrait)
that draw it largest on the paper (the same layout rule as on screen, `layout.py`); it is drawn only if its smallest text comes out at 8 pt or more —
otherwise the poster says so and suggests A2 or one theme. Every item carries a reference
number in its box (the poster leaves out the kind there, so that the smallest text in the map
is the 14 px of the titles); the index after the map gives, per number, the title, the kind,
the item's address as a link and a QR code to it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .layout import (
    BAND_FOOT,
    BAND_GAP,
    BAND_HEAD,
    BOX_FOOT,
    BOX_W,
    GAP_X,
    GAP_Y,
    KIND_LINE,
    LINE_H,
    PAD,
)
from .svg import TITLE_PX

PAPER_MM = {"A3": (420, 297), "A2": (594, 420)}  # landscape; portrait swaps them
MARGIN_MM = 10
HEAD_MM = 18  # the heading and the filter line above the map
SMALLEST_PX = TITLE_PX  # on the poster the smallest text in the map: titles and numbers (14 px)
MIN_PT = 8.0
PT_PER_MM = 72 / 25.4
LEGEND_PX = 30 + 2 * 24 + 16


@dataclass(frozen=True)
class PosterFit:
    paper: str
    orientation: str  # "landscape" or "portrait"
    cols: int
    mm_per_px: float

    @property
    def smallest_pt(self) -> float:
        return SMALLEST_PX * self.mm_per_px * PT_PER_MM

    @property
    def legible(self) -> bool:
        return self.smallest_pt >= MIN_PT


def _estimate(theme_sizes: list[int], cols: int) -> tuple[float, float]:
    """Width and height in px of the map with `cols` columns (two-line titles on average)."""
    width = 2 * PAD + cols * BOX_W + (cols - 1) * GAP_X
    row_h = KIND_LINE + 2 * LINE_H + BOX_FOOT + GAP_Y
    height = PAD + sum(BAND_HEAD + math.ceil(n / cols) * row_h + BAND_FOOT + BAND_GAP for n in theme_sizes if n)
    return width, height + LEGEND_PX


def page_mm(paper: str, orientation: str) -> tuple[int, int]:
    long, short = PAPER_MM[paper]
    return (long, short) if orientation == "landscape" else (short, long)


def best_fit(theme_sizes: list[int], paper: str) -> PosterFit:
    """The number of columns and the orientation that draw the map largest on the paper."""
    best = PosterFit(paper, "landscape", 4, 0.0)
    for orientation in ("landscape", "portrait"):
        page_w, page_h = page_mm(paper, orientation)
        avail_w, avail_h = page_w - 2 * MARGIN_MM, page_h - 2 * MARGIN_MM - HEAD_MM
        for cols in range(3, 17):
            width, height = _estimate(theme_sizes, cols)
            scale = min(avail_w / width, avail_h / height)
            if scale > best.mm_per_px + 1e-9:
                best = PosterFit(paper, orientation, cols, scale)
    return best


def mm_size(width_px: float, height_px: float, fit: PosterFit) -> tuple[float, float]:
    """The map's size on the page once laid out: as large as fits."""
    page_w, page_h = page_mm(fit.paper, fit.orientation)
    scale = min((page_w - 2 * MARGIN_MM) / width_px, (page_h - 2 * MARGIN_MM - HEAD_MM) / height_px)
    return width_px * scale, height_px * scale


def qr_svg(url: str, label: str) -> str:
    """A QR code to `url` as inline SVG, named for screen readers (the address is printed beside it)."""
    import segno
    from django.utils.html import escape

    svg = segno.make(url, error="m").svg_inline(scale=2, border=1, svgclass="km-qr", lineclass=None, omitsize=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
