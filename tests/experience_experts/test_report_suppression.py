"""The experience-experts report through the one small-number suppression (page and API)."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from werkbrug.core.suppression import COMPLEMENTARY, FEWER_THAN_SMALL

AMS = ZoneInfo("Europe/Amsterdam")
SMALL_COUNTS = {"1", "2", "3", "4"}


def _numbers_shown(html: str) -> list[str]:
    cells = re.findall(r'<td class="num">([^<]*)</td>', html)
    tooltips = [t.rsplit(": ", 1)[-1] for t in re.findall(r"<title>([^<]*)</title>", html) if ": " in t]
    return [c.strip() for c in cells + tooltips]


def test_experience_experts_report_suppresses_small_counts(client, ee):
    from werkbrug.experience_experts import services

    with time_machine.travel(datetime(2026, 4, 30, 17, tzinfo=AMS), tick=False):
        services.deployment_register(expert=ee.anna, date=date(2026, 3, 10), kind="network", minutes=120,
                                     setting="external", organisation_served=ee.org, topic="Cliëntenraad")
        for day in range(2, 9):
            services.deployment_register(expert=ee.bert, date=date(2026, 3, day), kind="presentation", minutes=30,
                                         setting="external", organisation_served=ee.team.uwv, topic="Teamoverleg")
        client.force_login(ee.manager)
        page = client.get("/experience-experts/reports/?start=2026-03-01&end=2026-03-31")
        api = client.get("/api/v1/ee-reports/?start=2026-03-01&end=2026-03-31").json()
    html = page.content.decode()
    # The facts, the chart and the three tables of deployments (the balance table is per named
    # expert: their own hours, not a count of people).
    counts = "".join(html.split("<caption>")[:4])
    shown = _numbers_shown(counts)
    assert not SMALL_COUNTS & set(shown), shown
    assert "&lt;5" in html and "klein getal niet uit het totaal" in html  # the legend says what "x" means
    # by kind: presentations 7, network 1: the 7 is hidden too (8 in March minus 7 gives the 1).
    kinds = [row[1] for row in api["by_kind"] if row[1] != 0]
    assert sorted(map(str, kinds)) == sorted([FEWER_THAN_SMALL, COMPLEMENTARY])
    assert api["clients_reached"] == 0 or str(api["clients_reached"]) not in SMALL_COUNTS
