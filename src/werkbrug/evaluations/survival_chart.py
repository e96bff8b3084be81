"""The Kaplan–Meier chart as accessible SVG, drawn on the server (no JavaScript): a step curve per
arm, a short vertical stroke where a participant was censored (the CONSORT and CONSORT-like
reporting convention), and the x axis at the same days as the numbers-at-risk table the template
shows under it. The figures are also in tables next to it (the chart is never the only place a
number lives)."""

from __future__ import annotations

from html import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from werkbrug.web.charts import PALETTE

from . import stats


def km_svg(curves: list[tuple[str, stats.SurvivalCurve]], ticks: list[int], *, width: int = 640, height: int = 300) -> SafeString:
    left, right, top, bottom = 52, 12, 16, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    x_max = max(ticks[-1] if ticks else 0, *(max(c.times, default=0) for _n, c in curves), 1)

    def px(x: float) -> float:
        return left + plot_w * x / x_max

    def py(y: float) -> float:  # y as a share 0..1, drawn as a percentage
        return top + plot_h - plot_h * y

    title = _("Time to first job (Kaplan–Meier)")
    desc = _("Kaplan–Meier curves per arm: the share of participants still without a job over time; "
             "vertical strokes mark censored participants.")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="km-t km-d" class="chart-svg" width="{width}" height="{height}">',
        f'<title id="km-t">{escape(title)}</title><desc id="km-d">{escape(desc)}</desc>',
    ]
    for i in range(5):
        share = i / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{py(share):.1f}" y2="{py(share):.1f}" stroke="#c8c8c8"/>')
        parts.append(f'<text x="{left - 6}" y="{py(share) + 4:.1f}" text-anchor="end" font-size="11" fill="#1a1a1a">{i * 25}</text>')
    for tick in ticks:
        parts.append(f'<text x="{px(tick):.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-size="11" fill="#1a1a1a">{tick}</text>')
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 32}" text-anchor="middle" font-size="11" '
                 f'fill="#1a1a1a">{escape(_("Days since randomisation"))}</text>')
    parts.append(f'<text x="12" y="{top + plot_h / 2:.1f}" transform="rotate(-90 12 {top + plot_h / 2:.1f})" '
                 f'text-anchor="middle" font-size="11" fill="#1a1a1a">{escape(_("Percentage still without a job"))}</text>')
    for j, (name, curve) in enumerate(curves):
        colour = PALETTE[j % len(PALETTE)]
        points, previous = [], None
        for t, s in zip(curve.times, curve.survival, strict=True):
            if previous is not None:
                points.append(f"{px(t):.1f},{py(previous):.1f}")
            points.append(f"{px(t):.1f},{py(s):.1f}")
            previous = s
        parts.append(f'<polyline class="km-curve" fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(points)}">'
                     f"<title>{escape(name)}</title></polyline>")
        for t in curve.censored:
            y = py(stats.survival_at(curve, t))
            label = _("%(arm)s: censored at day %(day)s") % {"arm": name, "day": number_format(t, 0)}
            parts.append(f'<line class="km-censored" x1="{px(t):.1f}" x2="{px(t):.1f}" y1="{y - 5:.1f}" y2="{y + 5:.1f}" '
                         f'stroke="{colour}" stroke-width="1.5"><title>{escape(label)}</title></line>')
    x = left
    for j, (name, _curve) in enumerate(curves):
        parts.append(f'<rect x="{x}" y="{height - 18}" width="12" height="12" fill="{PALETTE[j % len(PALETTE)]}"/>')
        parts.append(f'<text x="{x + 16}" y="{height - 8}" font-size="11" fill="#1a1a1a">{escape(name)}</text>')
        x += 24 + 7 * len(name)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above
