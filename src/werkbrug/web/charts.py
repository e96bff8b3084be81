"""Charts rendered on the server as accessible SVG (no JavaScript, no third-party code).

The one chart module for every page and PDF:

- every chart has a <title> and <desc> (the desc lists the figures, so a screen reader has the
  numbers even without the table), role="img"; callers also show the figures as a table and may
  point to it (`table_id`, `aria-describedby`);
- the value axis gets "nice" ticks (steps of 1, 2 or 5 × 10ⁿ); when every value is a whole
  number (a count) the ticks are whole numbers only — never 1,25 or 3,75;
- numbers are written the Dutch way: decimal comma, a dot between thousands ("1.234,5");
- category labels never overlap: they are wrapped at word boundaries onto up to three lines; if
  they still do not fit their slot they are rotated and the chart grows downwards to make room
  (a label is never cut off); if even rotated labels would touch, only every n-th label is shown
  (the full list stays in the desc, the tooltips and the table).

A value may be a string: a count hidden by small-number suppression (`werkbrug.core.suppression`,
"<5" or "x"). Such a bar is not drawn at any height; the marker stands at its place, and its
tooltip says the marker, never the number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#154273", "#8f3c00", "#1d6b2f", "#6b2c91", "#005f73", "#9b2226", "#4f4f4f"]

FONT_SIZE = 11
CHAR_WIDTH = 6.6  # a generous average glyph width at FONT_SIZE px (sans-serif), for layout
LINE_HEIGHT = 13
MAX_LINES = 3
ROTATION = 45  # degrees, when labels are rotated
MAX_TICKS = 6


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | str | None]  # a string: a suppressed count ("<5", "x")


def dutch_number(value: float | int | Decimal | None, decimals: int | None = None) -> str:
    """12345.5 → "12.345,5"; 2.50 → "2,5"; 3 → "3". `decimals` fixes the number of decimals;
    otherwise as many as needed, at most two. None → "–"."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if decimals is None:
        text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{float(value):,.{decimals}f}"
    if text in ("-0", ""):
        text = "0"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def _fmt(value: float) -> str:
    """An axis value: 0 → "0", 2.5 → "2,5", 0.25 → "0,25" (Dutch decimal comma, at most two)."""
    return dutch_number(value)


def _number(value: float | str | None) -> float:
    return 0 if value is None or isinstance(value, str) else float(value)


def _is_whole(value) -> bool:
    if value is None or isinstance(value, str):
        return True
    return float(value).is_integer()


def nice_ticks(peak: float, *, integer: bool, max_ticks: int = MAX_TICKS) -> list[float]:
    """Ticks from 0 to at least `peak`, at most `max_ticks` of them, with a step of 1, 2 or 5 × 10ⁿ;
    with `integer` the step is a whole number (at least 1), so every tick is a whole number."""
    peak = max(float(peak), 0.0)
    if peak == 0:
        return [0, 1] if integer else [0, 0.25, 0.5, 0.75, 1]
    rough = peak / (max_ticks - 1)
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= rough)
    if integer:
        step = max(1, math.ceil(step))
        if step not in (1, 2, 5) and step % 5:
            # 3 → 5, 25 → 50 …: keep the steps round
            magnitude = 10 ** math.floor(math.log10(step))
            step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= step)
    count = math.ceil(peak / step - 1e-9)
    return [round(step * i, 10) if not integer else int(step * i) for i in range(count + 1)]


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def _wrap(label: str, width: float, max_lines: int = MAX_LINES) -> list[str] | None:
    """`label` on at most `max_lines` lines of at most `width` px, broken between words only;
    None when it does not fit that way."""
    words = label.split()
    if not words:
        return [""]
    lines = [words[0]]
    for word in words[1:]:
        candidate = f"{lines[-1]} {word}"
        if _text_width(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    if len(lines) > max_lines or any(_text_width(line) > width for line in lines):
        return None
    return lines


@dataclass(frozen=True)
class LabelLayout:
    """How the category labels are drawn: `lines` per label (wrapped), or rotated; `step`: only
    every step-th label is written; `height`: the room they take below the axis."""

    mode: str  # "flat" or "rotated"
    lines: list[list[str]] = field(default_factory=list)
    step: int = 1
    height: float = 0.0


def label_layout(labels: Sequence[str], slot: float) -> LabelLayout:
    labels = [str(label) for label in labels]
    gap = 4  # px between neighbouring labels
    wrapped = [_wrap(label, slot - gap) for label in labels]
    if all(w is not None for w in wrapped):
        lines = [w for w in wrapped if w is not None]
        return LabelLayout(mode="flat", lines=lines, height=max((len(w) for w in lines), default=1) * LINE_HEIGHT + 6)
    # Rotated: neighbouring labels are `slot` apart horizontally, so `slot × sin(angle)` apart
    # across their baselines; they need a line height of room.
    across = slot * math.sin(math.radians(ROTATION))
    step = max(1, math.ceil(LINE_HEIGHT / across)) if across > 0 else len(labels) or 1
    longest = max((_text_width(label) for label in labels), default=0)
    height = longest * math.sin(math.radians(ROTATION)) + LINE_HEIGHT + 8
    return LabelLayout(mode="rotated", lines=[[label] for label in labels], step=step, height=height)


def _svg_open(width: float, height: float, title: str, description: str, chart_id: str, table_id: str) -> list[str]:
    title_id, desc_id = (f"{chart_id}-t", f"{chart_id}-d") if chart_id else ("t", "d")
    described = f" {desc_id}"
    aria = f'aria-labelledby="{title_id}{described}"'
    if table_id:
        aria += f' aria-describedby="{escape(table_id)}"'
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'{aria} class="chart-svg" width="{width:.0f}" height="{height:.0f}">',
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(description)}</desc>',
    ]


def _data_description(labels: Sequence[str], series: Sequence[Series], unit: str) -> str:
    parts = []
    for s in series:
        values = "; ".join(f"{label}: {dutch_number(v) if not isinstance(v, str) else v}{unit if not isinstance(v, str) and v is not None else ''}"
                           for label, v in zip(labels, s.values, strict=False))
        parts.append(f"{s.label} — {values}" if len(series) > 1 else values)
    return ". ".join(parts)


def _legend(parts: list[str], series: Sequence[Series], y: float, left: float) -> None:
    x = left
    for j, s in enumerate(series):
        parts.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{PALETTE[j % len(PALETTE)]}"/>')
        parts.append(f'<text x="{x + 16:.1f}" y="{y:.1f}" font-size="{FONT_SIZE}" fill="#1a1a1a">{escape(s.label)}</text>')
        x += 28 + _text_width(s.label)


def bar_chart(
    *, title: str, labels: Sequence[str], series: Sequence[Series], description: str = "",
    width: int = 640, height: int = 280, unit: str = "", stacked: bool = False, integer: bool | None = None,
    chart_id: str = "", table_id: str = "", suppress: bool = False,
) -> SafeString:
    """Bars per label (grouped, or `stacked`). `integer`: whole-number ticks (default: when every
    value is a whole number). `height` is the plot's share; the chart grows for long labels.
    `suppress`: the values are raw counts of people; each series goes through the one
    small-number suppression (`core.suppression.suppress_group`) before anything is drawn."""
    labels = [str(label) for label in labels]
    if suppress:
        from werkbrug.core.suppression import suppress_group

        series = [Series(s.label, suppress_group([int(_number(v)) for v in s.values]).cells) for s in series]
    if integer is None:
        integer = all(_is_whole(v) for s in series for v in s.values)
    left, right, top = 48, 12, 16
    n = max(len(labels), 1)
    layout = label_layout(labels, (width - left - right) / n)
    if layout.mode == "rotated":
        # A rotated label reaches left of its bar by its width × cos(angle): widen the left margin
        # until the first label starts inside the chart (the labels stay whole).
        reach = max((_text_width(label) for label in labels), default=0) * math.cos(math.radians(ROTATION)) + 4
        left = max(left, math.ceil((reach - (width - right) / (2 * n)) / (1 - 1 / (2 * n))))
        layout = label_layout(labels, (width - left - right) / n)
    plot_w = width - left - right
    group_w = plot_w / n
    legend_h = 22 if len(series) > 1 else 0
    plot_h = height - top - 40 - legend_h  # the room the original fixed margin left
    total_h = top + plot_h + layout.height + legend_h + 4
    if stacked:
        peak = max((sum(_number(s.values[i]) for s in series) for i in range(len(labels))), default=0)
    else:
        peak = max((_number(v) for s in series for v in s.values), default=0)
    ticks = nice_ticks(peak, integer=integer)
    top_value = ticks[-1] or 1
    bar_w = group_w * 0.7 / (1 if stacked else max(len(series), 1))
    if not description:
        description = _data_description(labels, series, unit)
    parts = _svg_open(width, total_h, title, description, chart_id, table_id)
    for value in ticks:
        y = top + plot_h - plot_h * value / top_value
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#c8c8c8"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="{FONT_SIZE}" fill="#1a1a1a">'
                     f'{_fmt(value)}{escape(unit)}</text>')
    base_y = top + plot_h
    for i, label in enumerate(labels):
        x0 = left + group_w * i + group_w * 0.15
        base = base_y
        for j, s in enumerate(series):
            x = x0 if stacked else x0 + j * bar_w
            if isinstance(s.values[i], str):  # suppressed: no height, no number
                marker = escape(s.values[i])
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{base - 4:.1f}" text-anchor="middle" font-size="10" '
                    f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(s.label)}: {escape(label)}: {marker}</title>'
                    f"{marker}</text>"
                )
                continue
            value = _number(s.values[i])
            h = plot_h * value / top_value
            y = base - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}">'
                f'<title>{escape(s.label)}: {escape(label)}: {_fmt(value)}{escape(unit)}</title></rect>'
            )
            if stacked:
                base = y
        if i % layout.step:
            continue
        cx = left + group_w * (i + 0.5)
        if layout.mode == "flat":
            tspans = "".join(
                f'<tspan x="{cx:.1f}" dy="{0 if k == 0 else LINE_HEIGHT}">{escape(line)}</tspan>'
                for k, line in enumerate(layout.lines[i])
            )
            parts.append(f'<text class="chart-label" x="{cx:.1f}" y="{base_y + 15:.1f}" text-anchor="middle" '
                         f'font-size="{FONT_SIZE}" fill="#1a1a1a">{tspans}</text>')
        else:
            ly = base_y + 10
            parts.append(f'<text class="chart-label" x="{cx:.1f}" y="{ly:.1f}" text-anchor="end" font-size="{FONT_SIZE}" '
                         f'fill="#1a1a1a" transform="rotate(-{ROTATION} {cx:.1f} {ly:.1f})">{escape(label)}</text>')
    if len(series) > 1:
        _legend(parts, series, total_h - 8, left)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above


def line_chart(
    *, title: str, x_values: Sequence[float], series: Sequence[Series], description: str = "",
    width: int = 640, height: int = 280, x_label: str = "", y_label: str = "", y_max: float | None = None,
    step: bool = False, integer: bool | None = None, chart_id: str = "", table_id: str = "",
) -> SafeString:
    """A line (or step) chart; `step=True` draws Kaplan–Meier-style steps."""
    left, right, top, bottom = 52, 12, 16, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    x_max = max(x_values, default=1) or 1
    if integer is None:
        integer = y_max is None and all(_is_whole(v) for s in series for v in s.values)
    if y_max is not None:
        ticks = [y_max * i / 4 for i in range(5)]
    else:
        ticks = nice_ticks(max((_number(v) for s in series for v in s.values), default=0), integer=integer)
    peak = ticks[-1] or 1

    def px(x: float) -> float:
        return left + plot_w * x / x_max

    def py(y: float) -> float:
        return top + plot_h - plot_h * y / peak

    if not description:
        description = _data_description([_fmt(x) for x in x_values], series, "")
    parts = _svg_open(width, height, title, description, chart_id or "l", table_id)
    for value in ticks:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{py(value):.1f}" y2="{py(value):.1f}" stroke="#c8c8c8"/>')
        parts.append(f'<text x="{left - 6}" y="{py(value) + 4:.1f}" text-anchor="end" font-size="{FONT_SIZE}" fill="#1a1a1a">{_fmt(value)}</text>')
    for xv in nice_ticks(x_max, integer=all(float(x).is_integer() for x in x_values)):
        if xv > x_max:
            break
        parts.append(f'<text x="{px(xv):.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-size="{FONT_SIZE}" fill="#1a1a1a">{_fmt(xv)}</text>')
    if x_label:
        parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 32}" text-anchor="middle" font-size="{FONT_SIZE}" fill="#1a1a1a">{escape(x_label)}</text>')
    if y_label:
        parts.append(f'<text x="12" y="{top + plot_h / 2:.1f}" transform="rotate(-90 12 {top + plot_h / 2:.1f})" text-anchor="middle" font-size="{FONT_SIZE}" fill="#1a1a1a">{escape(y_label)}</text>')
    for j, s in enumerate(series):
        points: list[str] = []
        previous_y = None
        for x, y in zip(x_values, s.values, strict=False):
            if y is None or isinstance(y, str):
                continue
            if step and previous_y is not None:
                points.append(f"{px(x):.1f},{py(previous_y):.1f}")
            points.append(f"{px(x):.1f},{py(y):.1f}")
            previous_y = y
        parts.append(f'<polyline fill="none" stroke="{PALETTE[j % len(PALETTE)]}" stroke-width="2" points="{" ".join(points)}"/>')
    _legend(parts, series, height - 6, left)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above
