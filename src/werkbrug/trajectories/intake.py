"""The sections of the integrated intake and the data category each one carries.

One intake for care and work & income together (the Achterhoek model): support needs, work
history, education, wishes, income and benefit, debts, living situation, social network and the
client's own goal in their own words. There is deliberately no diagnosis field.

Consent is given per organisation × data category, so each section names its category. A team
member sees (and may fill in) a section only when the client consented to that category for
their organisation; the other sections are shown as "not shared with your organisation".
The client's own goal is `participation`: everyone in the team may read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from werkbrug.core.choices import DataCategory


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    category: str
    fields: tuple[str, ...]


SECTIONS: tuple[Section, ...] = (
    Section("support_needs", _("Support needs"), DataCategory.CARE, ("support_needs",)),
    Section("work_history", _("Work history"), DataCategory.WORK_INCOME, ("work_history",)),
    Section("education", _("Education"), DataCategory.WORK_INCOME, ("education",)),
    Section(
        "wishes", _("Wishes for work"), DataCategory.WORK_INCOME,
        ("wished_hours_per_week", "wished_sector", "wished_conditions"),
    ),
    Section("income", _("Income and benefit"), DataCategory.WORK_INCOME, ("income_and_benefit",)),
    Section("debts", _("Debts"), DataCategory.DEBTS, ("has_debts", "debts")),
    Section("living", _("Living situation"), DataCategory.CARE, ("living_situation",)),
    Section("network", _("Social network"), DataCategory.CARE, ("social_network",)),
    Section("own_goal", _("The client's own goal"), DataCategory.PARTICIPATION, ("own_goal",)),
)

FIELD_CATEGORY: dict[str, str] = {name: s.category for s in SECTIONS for name in s.fields}
INTAKE_FIELDS: tuple[str, ...] = tuple(FIELD_CATEGORY)

# Completing the intake needs at least the client's own goal: it is the start of the plan.
REQUIRED_TO_COMPLETE = ("own_goal",)


def sections_for(categories: frozenset[str] | set[str]) -> list[tuple[Section, bool]]:
    """Every section with whether it is visible for these consented categories."""
    return [(section, section.category in categories) for section in SECTIONS]
