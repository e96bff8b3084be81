"""Benchmark: grouping 10 000 ambassador questions. Target: under 10 s.

    .venv/bin/python bench/ambassadors_grouping.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wb_bench_amb .venv/bin/python bench/ambassadors_grouping.py

Builds a throw-away test database, inserts 10 000 synthetic questions (12 recurring themes plus
one-off questions), then times `services.groups_rebuild` (read all questions, cluster, write the
groups) three times and the pure clustering (`grouping.group`) alone, and prints the pairwise
precision and recall of the result against the known themes.
"""

from __future__ import annotations

import time
from collections import Counter
from math import comb

from ambassadors_common import fill, test_database, timed

N = 10_000


def pair_quality(labels: list[str], assignment: dict[int, int], ids: list[int]) -> tuple[float, float]:
    """Pairwise precision/recall from contingency counts (no 50-million-pair loop)."""
    truth = Counter(label for label in labels if not label.startswith("one-off"))
    predicted = Counter(assignment[i] for i in ids if i in assignment)
    both = Counter((labels[k], assignment[i]) for k, i in enumerate(ids) if i in assignment and not labels[k].startswith("one-off"))
    hits = sum(comb(c, 2) for c in both.values())
    return hits / max(1, sum(comb(c, 2) for c in predicted.values())), hits / max(1, sum(comb(c, 2) for c in truth.values()))


def main() -> None:
    connection, old_name = test_database()
    try:
        from werkbrug.ambassadors import grouping, services
        from werkbrug.ambassadors.models import Question

        started = time.perf_counter()
        region, _asker, _person, labels = fill(N, answered=False)
        print(f"set-up: {N} questions in {time.perf_counter() - started:.1f} s ({connection.vendor})")
        first = time.perf_counter()
        services.groups_rebuild(region=region)
        print(f"first groups_rebuild (every question gets a group written) of {N} questions: {time.perf_counter() - first:.2f} s (target < 10 s)")
        median, slowest, _ = timed(lambda: services.groups_rebuild(region=region), runs=3)
        print(f"groups_rebuild again (read, cluster, write changes) of {N} questions: median {median / 1000:.2f} s, slowest {slowest / 1000:.2f} s (target < 10 s)")
        rows = list(Question.objects.filter(region=region).order_by("pk").values_list("pk", "text"))
        items = [grouping.Item(pk, body) for pk, body in rows]
        median, slowest, _ = timed(lambda: grouping.group(items), runs=3)
        print(f"grouping.group alone: median {median / 1000:.2f} s, slowest {slowest / 1000:.2f} s")
        assignment = dict(Question.objects.filter(region=region, group__isnull=False).values_list("pk", "group_id"))
        precision, recall = pair_quality(labels, assignment, [pk for pk, _ in rows])
        groups = len(set(assignment.values()))
        print(f"quality on the labelled set: precision {precision:.3f}, recall {recall:.3f}, {groups} groups")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
