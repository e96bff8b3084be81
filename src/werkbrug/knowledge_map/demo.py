"""Demo data for the knowledge map: the national starter set, the demo region's organisations
and ambassadors, and a few regional items (one draft, one past its review date)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from werkbrug.core.choices import Role
from werkbrug.core.models import Region, User

from .models import Item
from .services import (
    item_create,
    item_transition,
    item_update,
    region_sync,
    relation_add,
    starter_load,
)

REGIONAL = [
    ("kennislunch", "method", "cooperation", "Kennislunch werk en herstel",
     "Elke twee maanden lunchen professionals uit de GGZ en werk en inkomen samen. Iemand vertelt over een "
     "casus of een nieuwe regeling; daarna is er tijd om elkaar te leren kennen.", ["ggz", "wi"], "ambassadeurs"),
    ("projectleiders-netwerk", "contact", "cooperation", "Twee projectleiders: GGZ en werk en inkomen",
     "De regio heeft twee projectleiders: één uit de GGZ en één uit werk en inkomen. Zij brengen de twee "
     "netwerken samen en spreken elkaar minstens elke maand.", ["ggz", "wi"], "convenant-uwv-ggz"),
    ("ips-team-rivierenland", "method", "work", "IPS-team Rivierenland",
     "Jobcoaches van GGZ Rivierenland werken volgens IPS in de behandelteams. Aanmelden kan via de behandelaar.",
     ["ggz", "wi", "clients"], "ips"),
    ("werkgeversservicepunt", "organisation", "work", "Werkgeversservicepunt Rivierenland",
     "Eén loket voor werkgevers in de regio, van gemeenten en UWV samen. Helpt bij vacatures, "
     "loonkostensubsidie en de no-riskpolis.", ["wi", "employers"], "no-riskpolis"),
]


def load(region: Region, rng: random.Random) -> None:
    starter_load(region=region)
    editor = User.objects.filter(region=region, role_assignments__role=Role.EDITOR).order_by("pk").first()
    # as the editor, so that the published ambassador Q&As come along too
    region_sync(region=region, actor=editor)
    if editor is None:
        return
    today = timezone.localdate()
    by_key = {i.key: i for i in Item.objects.filter(region=region)}
    for n, (key, kind, theme, title, summary, audience, related) in enumerate(REGIONAL):
        item = item_create(
            region=region, actor=editor, key=key, kind=kind, theme=theme, title=title, summary=summary,
            audience=audience, scope="regional", owner=editor,
            review_on=today + timedelta(days=rng.randint(60, 300)),
        )
        if related in by_key:
            relation_add(source=item, target=by_key[related], kind="see_also", actor=editor)
        if n < len(REGIONAL) - 1:  # the last one stays a draft, to show the review flow
            item_transition(item=item, actor=editor, to="published")
    # One item past its review date, so editors see the flag.
    item_update(item=Item.objects.get(region=region, key="kennislunch"), actor=editor, review_on=today - timedelta(days=3))
