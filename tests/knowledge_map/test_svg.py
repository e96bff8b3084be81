"""The SVG on its own: well-formed, one named link per item, distinct line patterns, wrapped titles."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.utils import translation

from werkbrug.knowledge_map.models import RelationKind
from werkbrug.knowledge_map.svg import BOX_W, DASH, TITLE_CHARS, render_map, title_lines

NS = {"svg": "http://www.w3.org/2000/svg"}


def _item(pk: int, title: str, theme: str = "work", kind: str = "method"):
    return SimpleNamespace(pk=pk, title=title, theme=theme, kind=kind)


ITEMS = [
    _item(1, "IPS: Individuele Plaatsing en Steun"),
    _item(2, 'Tekens: <b> & "quotes" \' en ë', theme="care"),
    _item(3, "Wet werk en inkomen naar arbeidsvermogen (WIA)", theme="income", kind="regulation"),
    _item(4, "Kort", theme="income", kind="benefit"),
]
RELATIONS = [(1, 3, "part_of"), (2, 1, "see_also"), (4, 3, "part_of"), (3, 99, "requires")]


@translation.override("en")
def test_the_svg_is_well_formed_with_one_named_link_per_item():
    svg = render_map(ITEMS, RELATIONS, href=lambda i: f"/kaart/?a=1&item={i.pk}", matches={3}, searching=True,
                     flagged={4})
    root = ET.fromstring(svg)  # noqa: S314 (our own output) — fails on any unescaped text
    links = root.findall(".//svg:a", NS)
    assert [a.get("data-pk") for a in links] == ["2", "1", "3", "4"]  # theme order: care, work, income
    for a in links:
        assert a.get("href").startswith("/kaart/?a=1&item=")
        assert a.get("aria-label")
        assert a.find("svg:title", NS).text
    by_pk = {a.get("data-pk"): a for a in links}
    assert by_pk["2"].get("aria-label").startswith('Tekens: <b> & "quotes"')
    assert by_pk["3"].get("aria-label").endswith("matches your search")
    assert by_pk["4"].get("aria-label").endswith("review date passed")
    # a relation to an item that is not on the map is left out
    assert len(root.findall(".//svg:path[@class]", NS)) == 3


def test_every_relation_kind_has_its_own_line_pattern_in_the_legend():
    assert set(DASH) == set(RelationKind.values)
    patterns = [(dash, kind) for kind, dash in DASH.items()]
    assert len({dash for dash, _ in patterns}) == len(patterns)
    svg = render_map(ITEMS, RELATIONS, href=lambda i: "#")
    legend = svg.split('class="km-legend"', 1)[1]
    for label in RelationKind.labels:
        assert str(label) in legend


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Kort", ["Kort"]),
        ("IPS: Individuele Plaatsing en Steun", ["IPS: Individuele Plaatsing", "en Steun"]),
        ("Wet werk en inkomen naar arbeidsvermogen (WIA) en nog veel meer tekst",
         ["Wet werk en inkomen naar", "arbeidsvermogen (WIA) en no…"]),
        ("Arbeidsongeschiktheidsverzekeringswetgeving", ["Arbeidsongeschiktheidsverzek", "eringswetgeving"]),
    ],
)
def test_titles_wrap_on_two_lines_between_words(title, expected):
    lines = title_lines(title)
    assert lines == expected
    assert all(len(line) <= TITLE_CHARS for line in lines)


def test_long_titles_stay_inside_their_box():
    svg = render_map([_item(1, "Wet werk en inkomen naar arbeidsvermogen (WIA) en nog veel meer tekst")], [],
                     href=lambda i: "#")
    spans = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert len(spans) == 2
    # 14 px bold is at most ~9 px a character: both lines fit the box with its margins
    assert all(len(s) * 9 <= BOX_W - 16 for s in spans)
