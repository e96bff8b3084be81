"""The CONSORT flow diagram as accessible SVG, drawn on the server (no JavaScript).

Enrolment (assessed, excluded with reasons, not yet randomised) → randomised → per arm:
allocation (allocated, received / did not receive the allocated intervention), follow-up (lost to
follow-up, discontinued the intervention, i.e. dropped out), analysis (analysed, excluded from
analysis with reasons). "Analysed" is the set the outcome analysis really uses
(`analysis.analysed_participants`): randomised, research consent current, not excluded from
analysis; a participant whose research consent was withdrawn counts as excluded from analysis.
The same counts are always offered as a table next to it by the templates.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import ScreeningOutcome, Stage, StageEvent, Study
from .selectors import _all_participants


@dataclass
class ArmFlow:
    arm: Any
    allocated: int = 0
    started: int = 0
    dropped_out: int = 0
    followed_up: int = 0
    analysed: int = 0
    drop_reasons: Any = None  # (reason, count) pairs once built
    not_received: int = 0
    lost_to_follow_up: int = 0
    excluded_from_analysis: int = 0
    not_received_reasons: Any = None
    lost_reasons: Any = None
    exclusion_reasons: Any = None  # from analysis; research consent withdrawn among them

    @property
    def received(self) -> int:
        return self.allocated - self.not_received


@dataclass
class Consort:
    assessed: int
    excluded: int
    exclusion_reasons: list[tuple[str, int]]  # a list: templates look up `.items` as a key in a dict
    not_yet_randomised: int
    randomised: int
    arms: list[ArmFlow]
    withdrew_consent: int
    not_eligible: int = 0  # from the screening log
    declined: int = 0


REACHED = {
    Stage.STARTED: {Stage.STARTED, Stage.FOLLOWED_UP, Stage.ANALYSED},
    Stage.FOLLOWED_UP: {Stage.FOLLOWED_UP, Stage.ANALYSED},
}


def consort_counts(*, study: Study) -> Consort:
    """Counts for the CONSORT flow: enrolment, allocation, follow-up, analysis per arm."""
    rows = list(_all_participants(study=study).values(
        "pk", "stage", "stage_reason", "allocation__arm_id", "research_consent", "not_received", "not_received_reason",
        "lost_to_follow_up", "lost_to_follow_up_reason", "excluded_from_analysis", "excluded_from_analysis_reason",
    ))
    reached = defaultdict(set)
    for participant_id, stage in StageEvent.objects.filter(participant__study=study).values_list("participant_id", "stage"):
        reached[participant_id].add(stage)
    flows = {arm.pk: ArmFlow(arm=arm, drop_reasons=Counter(), not_received_reasons=Counter(), lost_reasons=Counter(),
                             exclusion_reasons=Counter()) for arm in study.arms.all()}
    excluded = [r for r in rows if r["stage"] == Stage.EXCLUDED]
    # Assessed but never enrolled (the screening log): not eligible with the reason, or declined.
    screened = list(study.screenings.filter(participant__isnull=True).values_list("outcome", "reason"))
    screening_reasons: Counter[str] = Counter()
    for outcome, reason in screened:
        if outcome == ScreeningOutcome.DECLINED:
            screening_reasons[str(_("Declined to participate"))] += 1
        else:
            screening_reasons[str(_("Not meeting inclusion criteria: %(reason)s") % {"reason": reason or "—"})] += 1
    for row in rows:
        flow = flows.get(row["allocation__arm_id"])
        if flow is None:
            continue
        stages = reached[row["pk"]]
        flow.allocated += 1
        if stages & REACHED[Stage.STARTED] or Stage.STARTED in stages:
            flow.started += 1
        if row["stage"] == Stage.DROPPED_OUT or Stage.DROPPED_OUT in stages:
            flow.dropped_out += 1
            flow.drop_reasons[row["stage_reason"] or "—"] += 1
        if Stage.FOLLOWED_UP in stages:
            flow.followed_up += 1
        if row["not_received"]:
            flow.not_received += 1
            flow.not_received_reasons[row["not_received_reason"] or "—"] += 1
        if row["lost_to_follow_up"]:
            flow.lost_to_follow_up += 1
            flow.lost_reasons[row["lost_to_follow_up_reason"] or "—"] += 1
        # Analysed: the set the outcome analysis uses (analysis.outcomes): randomised, research
        # consent current, not excluded from analysis. Not the "analysed" recruitment stage.
        if not row["research_consent"]:
            flow.excluded_from_analysis += 1
            flow.exclusion_reasons[str(_("Research consent withdrawn"))] += 1
        elif row["excluded_from_analysis"]:
            flow.excluded_from_analysis += 1
            flow.exclusion_reasons[row["excluded_from_analysis_reason"] or "—"] += 1
        else:
            flow.analysed += 1
    randomised = sum(f.allocated for f in flows.values())
    reasons = Counter(r["stage_reason"] or "—" for r in excluded) + screening_reasons
    return Consort(
        assessed=len(rows) + len(screened), excluded=len(excluded) + len(screened),
        exclusion_reasons=reasons.most_common(),
        not_eligible=sum(1 for outcome, _r in screened if outcome == ScreeningOutcome.NOT_ELIGIBLE),
        declined=sum(1 for outcome, _r in screened if outcome == ScreeningOutcome.DECLINED),
        not_yet_randomised=len(rows) - len(excluded) - randomised, randomised=randomised,
        arms=[_listed(f) for f in flows.values()], withdrew_consent=sum(1 for r in rows if not r["research_consent"]),
    )


def _listed(flow: ArmFlow) -> ArmFlow:
    for name in ("drop_reasons", "not_received_reasons", "lost_reasons", "exclusion_reasons"):
        counts = getattr(flow, name)
        setattr(flow, name, counts.most_common() if counts else [])
    return flow


BOX_W, BOX_H, GAP = 270, 76, 30
MAX_LINES = 5


def _box(x: float, y: float, lines: list[str], *, w: int = BOX_W, h: int = BOX_H) -> str:
    """A box with a bold first line; long lines wrap (about 36 characters fit at 12 px)."""
    parts = [f'<rect x="{x:.0f}" y="{y:.0f}" width="{w}" height="{h}" fill="#ffffff" stroke="#154273" stroke-width="1.5"/>']
    rows: list[tuple[str, bool]] = []
    for i, line in enumerate(lines):
        line = re.sub(r"\(n = (\d+)\)", "(n\u00a0=\u00a0\\1)", line)  # never wrap inside "(n = 12)"
        rows += [(piece, i == 0) for piece in textwrap.wrap(line, 38 if i == 0 else 42) or [""]]
    for i, (text, bold) in enumerate(rows[:MAX_LINES]):
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
    rows_y = [16 + i * (BOX_H + GAP) for i in range(5)]
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
        parts.append(_box(x, rows_y[2], [
            str(arm.arm.name), _("Allocated (n = %(n)s)") % {"n": arm.allocated},
            _("Received allocated intervention (n = %(n)s)") % {"n": arm.received},
            _("Did not receive allocated intervention (n = %(n)s)") % {"n": arm.not_received},
        ]))
        parts.append(_arrow(x + BOX_W / 2, rows_y[2] + BOX_H, x + BOX_W / 2, rows_y[3]))
        parts.append(_box(x, rows_y[3], [
            _("Follow-up"), _("Lost to follow-up (n = %(n)s)") % {"n": arm.lost_to_follow_up},
            _("Discontinued intervention (n = %(n)s)") % {"n": arm.dropped_out},
        ]))
        parts.append(_arrow(x + BOX_W / 2, rows_y[3] + BOX_H, x + BOX_W / 2, rows_y[4]))
        parts.append(_box(x, rows_y[4], [
            _("Analysis"), _("Analysed (n = %(n)s)") % {"n": arm.analysed},
            _("Excluded from analysis (n = %(n)s)") % {"n": arm.excluded_from_analysis},
        ]))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above
