"""The CONSORT flow diagram as accessible SVG, drawn on the server (no JavaScript).

Enrolment (assessed, excluded with reasons, not yet randomised) → randomised → per arm:
allocation (allocated, started), follow-up (dropped out with reasons, followed up), analysis.
The same counts are always offered as a table next to it by the templates.
"""

from __future__ import annotations

import textwrap
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .selectors import Consort

BOX_W, BOX_H, GAP = 250, 62, 34


def _box(x: float, y: float, lines: list[str], *, w: int = BOX_W, h: int = BOX_H) -> str:
    """A box with a bold first line; long lines wrap (about 36 characters fit at 12 px)."""
    parts = [f'<rect x="{x:.0f}" y="{y:.0f}" width="{w}" height="{h}" fill="#ffffff" stroke="#154273" stroke-width="1.5"/>']
    rows: list[tuple[str, bool]] = []
    for i, line in enumerate(lines):
        rows += [(piece, i == 0) for piece in textwrap.wrap(line, 34 if i == 0 else 38) or [""]]
    for i, (text, bold) in enumerate(rows[:4]):
        weight = ' font-weight="bold"' if bold else ""
        parts.append(
            f'<text x="{x + 8:.0f}" y="{y + 16 + i * 14:.0f}" font-size="12" fill="#1a1a1a"{weight}>{escape(text)}</text>'
        )
    return "".join(parts)


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    return (f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="#1a1a1a" stroke-width="1.5" '
            f'marker-end="url(#consort-arrow)"/>')


def consort_svg(flow: Consort) -> SafeString:
    n_arms = max(len(flow.arms), 1)
    width = max(n_arms * (BOX_W + GAP) + GAP, 2 * BOX_W + 3 * GAP)
    centre = width / 2
    rows_y = [16, 16 + (BOX_H + GAP), 16 + 2 * (BOX_H + GAP), 16 + 3 * (BOX_H + GAP), 16 + 4 * (BOX_H + GAP), 16 + 5 * (BOX_H + GAP)]
    height = rows_y[-1] + BOX_H + 16
    title = _("CONSORT flow diagram")
    desc = _("%(assessed)s assessed for eligibility, %(excluded)s excluded, %(randomised)s randomised.") % {
        "assessed": flow.assessed, "excluded": flow.excluded, "randomised": flow.randomised,
    }
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-labelledby="consort-t consort-d" class="chart-svg" width="{width:.0f}" height="{height:.0f}">',
        f'<title id="consort-t">{escape(title)}</title><desc id="consort-d">{escape(desc)}</desc>',
        '<defs><marker id="consort-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#1a1a1a"/></marker></defs>',
    ]
    left_x = centre - BOX_W - GAP / 2
    parts.append(_box(left_x, rows_y[0], [_("Enrolment"), _("Assessed for eligibility (n = %(n)s)") % {"n": flow.assessed}]))
    reasons = [f"{reason}: {count}" for reason, count in flow.exclusion_reasons[:2]]
    parts.append(_box(centre + GAP / 2, rows_y[0], [_("Excluded (n = %(n)s)") % {"n": flow.excluded}, *reasons]))
    parts.append(_arrow(left_x + BOX_W, rows_y[0] + BOX_H / 2, centre + GAP / 2, rows_y[0] + BOX_H / 2))
    parts.append(_box(left_x, rows_y[1], [_("Randomised (n = %(n)s)") % {"n": flow.randomised},
                                          _("Not yet randomised: %(n)s") % {"n": flow.not_yet_randomised}]))
    parts.append(_arrow(left_x + BOX_W / 2, rows_y[0] + BOX_H, left_x + BOX_W / 2, rows_y[1]))
    if flow.withdrew_consent:
        parts.append(_box(centre + GAP / 2, rows_y[1], [_("Research consent withdrawn"), f"n = {flow.withdrew_consent}"]))
    for i, arm in enumerate(flow.arms):
        x = GAP + i * (BOX_W + GAP) + (width - n_arms * (BOX_W + GAP) - GAP) / 2
        parts.append(_arrow(left_x + BOX_W / 2, rows_y[1] + BOX_H, x + BOX_W / 2, rows_y[2]))
        parts.append(_box(x, rows_y[2], [str(arm.arm.name), _("Allocated (n = %(n)s)") % {"n": arm.allocated},
                                         _("Started (n = %(n)s)") % {"n": arm.started}]))
        drop = [f"{reason}: {count}" for reason, count in (arm.drop_reasons or [])][:2]
        parts.append(_arrow(x + BOX_W / 2, rows_y[2] + BOX_H, x + BOX_W / 2, rows_y[3]))
        parts.append(_box(x, rows_y[3], [_("Dropped out (n = %(n)s)") % {"n": arm.dropped_out}, *drop]))
        parts.append(_arrow(x + BOX_W / 2, rows_y[3] + BOX_H, x + BOX_W / 2, rows_y[4]))
        parts.append(_box(x, rows_y[4], [_("Follow-up"), _("Followed up (n = %(n)s)") % {"n": arm.followed_up}]))
        parts.append(_arrow(x + BOX_W / 2, rows_y[4] + BOX_H, x + BOX_W / 2, rows_y[5]))
        parts.append(_box(x, rows_y[5], [_("Analysis"), _("Analysed (n = %(n)s)") % {"n": arm.analysed}]))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above
