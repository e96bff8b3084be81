"""Prints the attack suite's counts at the end of the run (with or without xdist workers).

Each attack test records its counts as a user property; the reports travel from the workers to
the main process, which adds them up here.
"""

from __future__ import annotations

from collections import Counter

_totals: Counter = Counter()
_tests = {"n": 0}


def pytest_runtest_logreport(report):
    if report.when != "call":
        return
    for name, value in getattr(report, "user_properties", ()):
        if name == "attack_counts" and isinstance(value, dict):
            _totals.update(value)
            _tests["n"] += 1


def pytest_terminal_summary(terminalreporter):
    if not _tests["n"]:
        return
    terminalreporter.section("attack matrix")
    terminalreporter.write_line(
        f"{_tests['n']} endpoints, {_totals['requests']} requests: {_totals['leaks']} leaks, "
        f"{_totals['server_errors']} server errors (5xx), {_totals['oracle_mismatches']} oracle mismatches "
        f"(missing ≠ forbidden), {_totals['missing_log_records']} missing access-log records, "
        f"{_totals['let_through']} attempts let through"
    )
