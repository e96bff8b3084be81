"""Every figure the dashboard's selectors return, as JSON lines, to compare two versions of the code.

    .venv/bin/python bench/dashboard_figures.py --database-url postgres://…/werkbrug_x > before.jsonl
    (change the code)
    .venv/bin/python bench/dashboard_figures.py --database-url postgres://…/werkbrug_x > after.jsonl
    .venv/bin/python bench/dashboard_figures.py --compare before.jsonl after.jsonl

Reads the region with the most trajectories (see dashboard.py; `--jobs-share` gives its clients
jobs first) over several periods, with `today` fixed so that both runs read the same days:
`region_dashboard` for the region and for each organisation, `month_grid`, `organisation_months`
for each organisation, and `region_dashboard` for each month. One line per result; `--compare`
counts the figures (the leaves of each result) that differ.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402


def _plain(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "_meta"):  # a model instance (the region)
        return f"{value._meta.label}:{value.pk}"
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)  # Decimal, date


def _leaves(value) -> list:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def dump(database_url: str, jobs_share: float, today: date) -> None:
    load.django_setup(database_url)
    from django.db.models import Count

    from werkbrug.core.models import Organisation, Region
    from werkbrug.reporting.selectors import month_grid, organisation_months, region_dashboard
    from werkbrug.trajectories.models import Trajectory

    biggest = Trajectory.objects.values("region").annotate(n=Count("id")).order_by("-n").first()
    if jobs_share:
        import dashboard

        dashboard.add_jobs(biggest["region"], jobs_share)
    region = Region.objects.get(pk=biggest["region"])
    organisations = list(Organisation.objects.filter(region=region).order_by("pk"))
    periods = [
        (today - timedelta(days=364), today),  # the default: twelve months up to today
        (date(today.year, 1, 1), today),
        (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
        (date(today.year - 1, 7, 1), date(today.year, 6, 30)),
        (date(today.year, 3, 1), date(today.year, 5, 31)),
        (today - timedelta(days=29), today),
    ]

    def out(kind: str, key, result) -> None:
        print(json.dumps({"kind": kind, "key": _plain(key), "result": _plain(result)}, sort_keys=True))

    for start, end in periods:
        out("region_dashboard", [start, end], region_dashboard(region=region, start=start, end=end, today=today))
        out("month_grid", [start, end], month_grid(region=region, start=start, end=end, today=today))
        for organisation in organisations:
            key = [start, end, organisation.pk]
            out("region_dashboard/organisation", key, region_dashboard(
                region=region, start=start, end=end, today=today, organisation=organisation))
            out("organisation_months", key, organisation_months(
                region=region, organisation=organisation, start=start, end=end, today=today))
    month = date(today.year - 1, today.month, 1)
    while month <= today:
        following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        out("region_dashboard/month", [month], region_dashboard(
            region=region, start=month, end=following - timedelta(days=1), today=today))
        month = following


def compare(before: str, after: str) -> None:
    def read(path: str) -> dict:
        rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.startswith("{")]
        return {json.dumps([r["kind"], r["key"]]): r["result"] for r in rows}

    old, new = read(before), read(after)
    if old.keys() != new.keys():
        raise SystemExit(f"different results: {len(old.keys() ^ new.keys())} keys in one file only")
    results = figures = differ = 0
    for key, result in old.items():
        a, b = _leaves(result), _leaves(new[key])
        results += 1
        figures += len(a)
        if a != b:
            differ += 1
            print(f"differs: {key}")
    print(f"{results} results compared ({figures} figures): {differ} differ")
    raise SystemExit(1 if differ else 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", load.DEFAULT_DB))
    parser.add_argument("--jobs-share", type=float, default=0.0)
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="default: the system's date")
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
    else:
        dump(args.database_url, args.jobs_share, args.today or date.today())  # noqa: DTZ011


if __name__ == "__main__":
    main()
