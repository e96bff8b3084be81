"""Benchmark: the knowledge map with 2 000 items and 5 000 relations. Target: under 500 ms
once the layout is cached; the first (cold) layout's time is printed too.

    .venv/bin/python bench/knowledge_map_render.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wb_bench_km .venv/bin/python bench/knowledge_map_render.py

Builds a throw-away test database (SQLite by default, or the one in DATABASE_URL, whose name
gets the usual `test_` prefix), fills one region with 2 000 published items over all themes and
kinds and 5 000 random relations ("part of" only from later to earlier items, so without
cycles), then prints the median and the slowest of repeated runs for:

1. the first (cold) layout, as the warm-up task computes it after a change
   (`tasks.warm_layout`: the force-directed placement per theme, the grid assignment and the
   line routing, cache empty), once; then the first visitor's page right after it (warm: the
   layout comes from the cache), once;
2. the cached layout plus the SVG (`map_layout` from the cache + `render_map`);
3. the whole map page `GET /knowledge-map/` for a signed-in professional (queries + cached
   layout + SVG + template), with and without a search that narrows the map, and with a
   theme filter that shows where hidden links lead (a filter or search lays out its own subset,
   cached the same way; each is warmed up once before timing).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkbrug.conf.test")

ITEMS = 2000
RELATIONS = 5000
RUNS = 15


def timed(func, runs: int = RUNS) -> tuple[float, float, float]:
    """Median and slowest wall time, and median CPU time of this process, in ms.

    The CPU time is the figure to trust on a busy machine: wall time then includes waiting for
    a core (check `uptime`); on an idle machine the two are nearly equal.
    """
    func()  # warm up
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), max(wall), statistics.median(cpu)


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    # Not `setup_test_environment()`: its template instrumentation copies every context and
    # would make the page look slower than it is in production.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.core.cache import cache

        from werkbrug.core.choices import OrganisationType, Role
        from werkbrug.core.models import Organisation, Region, RoleAssignment, User
        from werkbrug.knowledge_map.models import Item, ItemKind, Relation, RelationKind, Theme
        from werkbrug.knowledge_map.selectors import MapFilter, map_items, map_layout, map_relations
        from werkbrug.knowledge_map.svg import render_map
        from werkbrug.knowledge_map.tasks import warm_layout

        rng = random.Random(2026)
        region = Region.objects.create(name="Benchregio", slug="bench")
        org = Organisation.objects.create(region=region, name="UWV Bench", type=OrganisationType.UWV)
        user = User.objects.create_user(username="bench", password="x" * 20, region=region, organisation=org)
        # a role without client data, so the page needs no second factor in this script
        RoleAssignment.objects.create(person=user, role=Role.MANAGER)
        words = ["werk", "inkomen", "herstel", "schuld", "jobcoach", "uitkering", "training", "regeling", "cliënt", "werkgever"]
        Item.objects.bulk_create([
            Item(
                region=region, key=f"item-{n}", kind=rng.choice(ItemKind.values), theme=rng.choice(Theme.values),
                title=f"{rng.choice(words).capitalize()} {n} {rng.choice(words)}",
                summary=" ".join(rng.choice(words) for _ in range(30)), audience="ggz,wi", scope="national",
                tags=", ".join(rng.sample(words, 3)), status="published",
                links=[{"url": f"https://www.example.org/{n}", "label": "Meer"}],
            )
            for n in range(ITEMS)
        ], batch_size=500)
        pks = list(Item.objects.filter(region=region).order_by("pk").values_list("pk", flat=True))
        seen: set[tuple[int, int, str]] = set()
        while len(seen) < RELATIONS:
            a, b = rng.sample(range(ITEMS), 2)
            kind = rng.choice(RelationKind.values)
            if kind == RelationKind.PART_OF and a < b:
                a, b = b, a
            seen.add((pks[a], pks[b], kind))
        Relation.objects.bulk_create([Relation(source_id=s, target_id=t, kind=k) for s, t, k in seen], batch_size=1000)

        items = list(map_items(user=user, filters=MapFilter()))
        relations = map_relations(item_ids=[i.pk for i in items])
        assert len(items) == ITEMS and len(relations) == RELATIONS
        cache.clear()
        start, start_cpu = time.perf_counter(), time.process_time()
        assert warm_layout(region.pk) == ITEMS  # what the worker pays after a change
        cold_wall, cold_cpu = (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000
        layout = map_layout(region_id=region.pk, items=items, relations=relations)

        def cached_render() -> str:
            cached = map_layout(region_id=region.pk, items=items, relations=relations)
            return render_map(items, relations, layout=cached, href=lambda i: f"/knowledge-map/?item={i.pk}")

        svg_median, svg_max, svg_cpu = timed(cached_render)
        svg = cached_render()

        client = Client()
        client.force_login(user)

        def page(query: str = "") -> None:
            response = client.get("/knowledge-map/" + query)
            assert response.status_code == 200, response.status_code

        # The first visitor after the warm-up: the layout is already in the cache. (The process
        # has served another page first, so templates and translations are loaded, as in a
        # running server.)
        client.get("/")
        start, start_cpu = time.perf_counter(), time.process_time()
        page()
        first_wall, first_cpu = (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000

        page_median, page_max, page_cpu = timed(page)
        search_median, search_max, search_cpu = timed(lambda: page("?q=herstel+werk"))
        theme_median, theme_max, theme_cpu = timed(lambda: page("?theme=work"))
        vendor = connection.vendor
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"knowledge map: {ITEMS} items, {RELATIONS} relations, database: {vendor}")
    print(f"  SVG size                         {len(svg) / 1024:8.0f} KiB, {svg.count('<a href')} item links, "
          f"{layout.cols} columns, {layout.width:.0f} × {layout.height:.0f} px")
    print(f"  first layout (cold, warm-up task) {cold_wall:7.1f} ms wall {cold_cpu:8.1f} ms CPU")
    print(f"  first visit after the warm-up    {first_wall:8.1f} ms wall {first_cpu:8.1f} ms CPU")
    print(f"  load average now                 {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("                                   wall median    wall max    CPU median")
    for label, (median, slowest, cpu) in (
        ("cached layout + render_map", (svg_median, svg_max, svg_cpu)),
        ("GET /knowledge-map/ (full page)", (page_median, page_max, page_cpu)),
        ("GET /knowledge-map/?q=… (search)", (search_median, search_max, search_cpu)),
        ("GET /knowledge-map/?theme=work", (theme_median, theme_max, theme_cpu)),
    ):
        print(f"  {label:32} {median:8.1f} ms {slowest:8.1f} ms {cpu:8.1f} ms")
    worst = max(svg_median, page_median, search_median, theme_median)
    verdict = "OK" if worst < 500 else "over 500 ms (see the CPU column if the machine is busy)"
    print(f"  target: layout + SVG and the full page under 500 ms once the layout is cached (median wall) → {verdict}")


if __name__ == "__main__":
    main()
