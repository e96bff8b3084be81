"""The 25-item IPS fidelity scale (Bond, Becker & Drake; IPS Employment Center, 2008/2019).

Each item is scored 1–5; the total runs from 25 to 125 and falls in a band: 115–125 exemplary
fidelity, 100–114 good, 74–99 fair, 73 and lower: not supported employment (not IPS). Items
scoring below 4 are the items to improve, lowest first.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SECTIONS = {"staffing": _("Staffing"), "organisation": _("Organisation"), "services": _("Services")}

ITEMS = [
    ("staffing", _("Caseload size")),
    ("staffing", _("Employment services staff")),
    ("staffing", _("Vocational generalists")),
    ("organisation", _("Integration of rehabilitation with mental-health treatment through team assignment")),
    ("organisation", _("Integration of rehabilitation with mental-health treatment through frequent team contact")),
    ("organisation", _("Collaboration between employment specialists and vocational rehabilitation counsellors")),
    ("organisation", _("Vocational unit")),
    ("organisation", _("Role of employment supervisor")),
    ("organisation", _("Zero exclusion criteria")),
    ("organisation", _("Agency focus on competitive employment")),
    ("organisation", _("Executive team support for supported employment")),
    ("services", _("Work incentives planning")),
    ("services", _("Disclosure")),
    ("services", _("Ongoing, work-based vocational assessment")),
    ("services", _("Rapid search for competitive job")),
    ("services", _("Individualised job search")),
    ("services", _("Job development: frequent employer contact")),
    ("services", _("Job development: quality of employer contact")),
    ("services", _("Diversity of job types")),
    ("services", _("Diversity of employers")),
    ("services", _("Competitive jobs")),
    ("services", _("Individualised follow-along supports")),
    ("services", _("Time-unlimited follow-along supports")),
    ("services", _("Community-based services")),
    ("services", _("Assertive engagement and outreach by integrated team")),
]
assert len(ITEMS) == 25

BANDS = [
    (115, _("Exemplary fidelity")),
    (100, _("Good fidelity")),
    (74, _("Fair fidelity")),
    (0, _("Not supported employment")),
]


def band(total: int) -> str:
    for lower, label in BANDS:
        if total >= lower:
            return str(label)
    return str(BANDS[-1][1])


def items_to_improve(scores: list[int]) -> list[tuple[int, str, int]]:
    """(item number, item, score) for items below 4, lowest score first."""
    low = [(i + 1, str(ITEMS[i][1]), s) for i, s in enumerate(scores) if s < 4]
    return sorted(low, key=lambda row: (row[2], row[0]))
