"""The SVG on its own: well-formed, one named link per item, distinct line patterns, wrapped
titles, focus and hidden-link marks."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.utils import translation

from werkbrug.knowledge_map.layout import BOX_W
from werkbrug.knowledge_map.models import RelationKind
from werkbrug.knowledge_map.svg import DASH, TITLE_CHARS, render_map, title_lines

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
                     flagged={4}, hidden={1: ["Elders"]})
    root = ET.fromstring(svg)  # noqa: S314 (our own output) — fails on any unescaped text
    assert root.get("role") == "group" and root.find("svg:title", NS).text
    links = root.findall(".//svg:a", NS)
    assert [a.get("data-pk") for a in links][:2] == ["2", "1"]  # theme order: care, work, income
    assert sorted(a.get("data-pk") for a in links) == ["1", "2", "3", "4"]
    for a in links:
        assert a.get("href").startswith("/kaart/?a=1&item=")
        assert a.get("aria-label")
        assert a.find("svg:title", NS).text
    by_pk = {a.get("data-pk"): a for a in links}
    assert by_pk["2"].get("aria-label").startswith('Tekens: <b> & "quotes"')
    assert by_pk["3"].get("aria-label").endswith("matches your search")
    assert by_pk["4"].get("aria-label").endswith("review date passed")
    assert "outside this filter: Elders" in by_pk["1"].get("aria-label")
    # every theme is a named list of list items
    for group in root.findall(".//svg:g[@class='km-theme']", NS):
        assert group.get("role") == "list" and group.get("aria-label")
        assert all(child.get("role") == "listitem" for child in group)
    # the lines are decoration for screen readers (the list view and the details say it in words)
    assert root.find(".//svg:g[@class='km-relations']", NS).get("aria-hidden") == "true"
    # a relation to an item that is not on the map is left out
    assert len(root.findall(".//svg:path[@data-from]", NS)) == 3


def test_focus_marks_the_item_its_neighbours_and_dims_the_rest():
    svg = render_map(ITEMS, RELATIONS, href=lambda i: "#", selected=1)
    root = ET.fromstring(svg)  # noqa: S314
    classes = {a.get("data-pk"): a.get("class") for a in root.findall(".//svg:a", NS)}
    assert "km-selected" in classes["1"]
    assert "km-neighbour" in classes["2"] and "km-neighbour" in classes["3"]
    assert "km-dim" in classes["4"]
    assert "km-focusing" in root.get("class")
    active = [p.get("data-from") + ">" + p.get("data-to") for p in root.findall(".//svg:path[@data-from]", NS)
              if "km-rel-active" in p.get("class")]
    assert sorted(active) == ["1>3", "2>1"]


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
        # "trajectbegeleider" stays whole: the issue saw "trajectbegelei|der"
        ("Trajectbegeleider en jobcoach bij de trajectbegeleider", ["Trajectbegeleider en", "jobcoach bij de", "trajectbegeleider"]),
        ("IPS: Individuele Plaatsing en Steun", ["IPS: Individuele Plaatsing", "en Steun"]),
        ("Wet werk en inkomen naar arbeidsvermogen (WIA) en nog veel meer tekst",
         ["Wet werk en inkomen naar", "arbeidsvermogen (WIA) en", "nog veel meer tekst"]),
        ("Arbeidsongeschiktheidsverzekeringswetgeving", ["Arbeidsongeschiktheidsverzekeringswetgeving"]),
    ],
)
def test_titles_wrap_between_words_and_never_cut_a_word(title, expected):
    lines = title_lines(title)
    assert lines == expected
    assert " ".join(lines) == title  # nothing cut off, nothing added
    assert all(len(line) <= TITLE_CHARS for line in lines if " " in line)


def test_long_titles_stay_inside_their_box():
    long = "Wet werk en inkomen naar arbeidsvermogen (WIA) en nog veel meer tekst"
    word = "Arbeidsongeschiktheidsverzekeringswetgeving"
    svg = render_map([_item(1, long), _item(2, word)], [], href=lambda i: "#")
    spans = re.findall(r'<tspan[^>]*?(?: font-size="([\d.]+)")?>([^<]*)</tspan>', svg)
    assert [text for _size, text in spans] == [*title_lines(long), word]
    for size, text in spans:
        # 14 px semi-bold is at most ~8.5 px a character; a longer word is set smaller to fit
        px = float(size) if size else 14.0
        assert len(text) * px * 8.5 / 14 <= BOX_W - 16
    # the box with three lines is tall enough for them: kind line + 3 × 18 px
    heights = [int(h) for h in re.findall(r'<rect x="\d+" y="\d+" width="\d+" height="(\d+)"', svg)]
    assert max(heights) >= 24 + 3 * 18
