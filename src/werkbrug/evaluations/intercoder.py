"""Agreement between all coders of a study at once (Krippendorff's alpha) and the passages they
disagree on, to discuss in the team.

A passage is a unit; a coder who coded a passage gives it one nominal value, the *set* of codes
they gave it; a coder who did not code the passage at all is missing there (not "no codes").
Passages coded by fewer than two coders cannot be compared and are left out. Per code, each coder
who coded the passage gives "present" or "absent". The two-coder comparison with Cohen's kappa
stays in `selectors.agreement`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from .models import Code, Coding, Passage, Study
from .reliability import Reliability, reliability
from .selectors import codebook, coders


@dataclass(frozen=True)
class Disagreement:
    passage: Passage
    by_coder: list[tuple[Any, list[str]]]  # (coder, code names) per coder who coded the passage


@dataclass(frozen=True)
class CodersAgreement:
    coders: list[Any]
    overall: Reliability
    per_code: list[tuple[Code, Reliability]]
    disagreements: list[Disagreement]


def coders_agreement(*, study: Study, with_interval: bool = True) -> CodersAgreement:
    people = coders(study=study)
    given: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for passage_id, coder_id, code_id in Coding.objects.filter(code__study=study).values_list("passage_id", "coder_id", "code_id"):
        given[passage_id][coder_id].add(code_id)
    shared = sorted(p for p, by in given.items() if len(by) >= 2)
    units = [[frozenset(given[p][c.pk]) if c.pk in given[p] else None for c in people] for p in shared]
    samples = {} if with_interval else {"samples": 0}
    overall = reliability(units, "nominal", **samples)
    codes = [code for code, _depth in codebook(study=study)]
    per_code = []
    for code in codes:
        per_unit = [[None if v is None else code.pk in v for v in unit] for unit in units]
        if any(v for unit in per_unit for v in unit):
            per_code.append((code, reliability(per_unit, "nominal", **samples)))
    names = {code.pk: code.name for code in codes}
    differing_ids = [p for p, unit in zip(shared, units, strict=True) if len({v for v in unit if v is not None}) > 1]
    differing = [
        Disagreement(passage, [(c, sorted(names[i] for i in given[passage.pk][c.pk])) for c in people if c.pk in given[passage.pk]])
        for passage in Passage.objects.filter(pk__in=differing_ids).select_related("interview").order_by("interview__label", "number")
    ]
    return CodersAgreement(people, overall, per_code, differing)
