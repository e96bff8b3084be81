"""Charts rendered on the server as accessible SVG (no JavaScript, no third-party code).

Every chart has a <title> and <desc>, role="img", and the figures are also offered as a table
by the caller (charts are never the only place a number lives).

A value may be a string: a count hidden by small-number suppression (`werkbrug.core.suppression`,
"<5" or "x"). Such a bar is not drawn at any height; the marker stands at its place, and its
tooltip says the marker, never the number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#154273", "#8f3c00", "#1d6b2f", "#6b2c91", "#005f73", "#9b2226", "#4f4f4f"]


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | str | None]  # a string: a suppressed count ("<5", "x")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _fmt(value: float) -> str:
    """0 → "0", 2.5 → "2.5", 0.25 → "0.25": as many decimals as the tick needs, at most two."""
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def _number(value: float | str | None) -> float:
    return 0 if value is None or isinstance(value, str) else value


def bar_chart(
    *, title: str, labels: Sequence[str], series: Sequence[Series], description: str = "",
    width: int = 640, height: int = 280, unit: str = "", stacked: bool = False,
) -> SafeString:
    left, right, top, bottom = 48, 12, 16, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    if stacked:
        peak = max((sum(_number(s.values[i]) for s in series) for i in range(len(labels))), default=0)
    else:
        peak = max((_number(v) for s in series for v in s.values), default=0)
    top_value = _nice_max(peak)
    n = max(len(labels), 1)
    group_w = plot_w / n
    bar_w = group_w * 0.7 / (1 if stacked else max(len(series), 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="t d" class="chart-svg" width="{width}" height="{height}">',
        f'<title id="t">{escape(title)}</title><desc id="d">{escape(description or title)}</desc>',
    ]
    for i in range(5):
        value = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#c8c8c8"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#1a1a1a">{_fmt(value)}{escape(unit)}</text>')
    for i, label in enumerate(labels):
        x0 = left + group_w * i + group_w * 0.15
        base = top + plot_h
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
            value = s.values[i] or 0
            h = plot_h * value / top_value
            y = base - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}">'
                f'<title>{escape(s.label)}: {escape(label)}: {_fmt(value)}{escape(unit)}</title></rect>'
            )
            if stacked:
                base = y
        parts.append(
            f'<text x="{left + group_w * (i + 0.5):.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-size="11" fill="#1a1a1a">{escape(label)}</text>'
        )
    if len(series) > 1:
        x = left
        for j, s in enumerate(series):
            parts.append(f'<rect x="{x}" y="{height - 18}" width="12" height="12" fill="{PALETTE[j % len(PALETTE)]}"/>')
            parts.append(f'<text x="{x + 16}" y="{height - 8}" font-size="11" fill="#1a1a1a">{escape(s.label)}</text>')
            x += 24 + 7 * len(s.label)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above


def line_chart(
    *, title: str, x_values: Sequence[float], series: Sequence[Series], description: str = "",
    width: int = 640, height: int = 280, x_label: str = "", y_label: str = "", y_max: float | None = None,
    step: bool = False,
) -> SafeString:
    """A line (or step) chart; `step=True` draws Kaplan–Meier-style steps."""
    left, right, top, bottom = 52, 12, 16, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    x_max = max(x_values, default=1) or 1
    peak = y_max if y_max is not None else _nice_max(max((v or 0 for s in series for v in s.values), default=0))
    peak = peak or 1

    def px(x: float) -> float:
        return left + plot_w * x / x_max

    def py(y: float) -> float:
        return top + plot_h - plot_h * y / peak

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="lt ld" class="chart-svg" width="{width}" height="{height}">',
        f'<title id="lt">{escape(title)}</title><desc id="ld">{escape(description or title)}</desc>',
    ]
    for i in range(5):
        value = peak * i / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{py(value):.1f}" y2="{py(value):.1f}" stroke="#c8c8c8"/>')
        parts.append(f'<text x="{left - 6}" y="{py(value) + 4:.1f}" text-anchor="end" font-size="11" fill="#1a1a1a">{_fmt(value)}</text>')
    for i in range(5):
        xv = x_max * i / 4
        parts.append(f'<text x="{px(xv):.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-size="11" fill="#1a1a1a">{_fmt(xv)}</text>')
    if x_label:
        parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 32}" text-anchor="middle" font-size="11" fill="#1a1a1a">{escape(x_label)}</text>')
    if y_label:
        parts.append(f'<text x="12" y="{top + plot_h / 2:.1f}" transform="rotate(-90 12 {top + plot_h / 2:.1f})" text-anchor="middle" font-size="11" fill="#1a1a1a">{escape(y_label)}</text>')
    for j, s in enumerate(series):
        points: list[str] = []
        previous_y = None
        for x, y in zip(x_values, s.values, strict=False):
            if y is None:
                continue
            if step and previous_y is not None:
                points.append(f"{px(x):.1f},{py(previous_y):.1f}")
            points.append(f"{px(x):.1f},{py(y):.1f}")
            previous_y = y
        parts.append(f'<polyline fill="none" stroke="{PALETTE[j % len(PALETTE)]}" stroke-width="2" points="{" ".join(points)}"/>')
    x = left
    for j, s in enumerate(series):
        parts.append(f'<rect x="{x}" y="{height - 16}" width="12" height="12" fill="{PALETTE[j % len(PALETTE)]}"/>')
        parts.append(f'<text x="{x + 16}" y="{height - 6}" font-size="11" fill="#1a1a1a">{escape(s.label)}</text>')
        x += 24 + 7 * len(s.label)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above
