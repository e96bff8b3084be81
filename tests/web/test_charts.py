"""The one chart module: whole-number ticks for counts, Dutch numbers, labels that never overlap
and are never cut, accessible SVG."""

import re
import xml.etree.ElementTree as ET

import pytest

from werkbrug.web.charts import (
    CHAR_WIDTH,
    LINE_HEIGHT,
    Series,
    bar_chart,
    dutch_number,
    label_layout,
    line_chart,
    nice_ticks,
)

NS = {"svg": "http://www.w3.org/2000/svg"}


def _tick_labels(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end" font-size="11" fill="#1a1a1a">([^<]*)</text>', svg)


@pytest.mark.parametrize("peak", [0, 1, 2, 3, 4, 5, 7, 9, 13, 27, 101, 996, 12345])
def test_count_axes_have_whole_number_ticks_only(peak):
    ticks = nice_ticks(peak, integer=True)
    assert all(float(t).is_integer() for t in ticks), ticks
    assert ticks[0] == 0 and ticks[-1] >= peak and len(ticks) <= 7
    assert len({b - a for a, b in zip(ticks, ticks[1:], strict=False)}) <= 1  # even steps


def test_a_bar_chart_of_counts_never_shows_a_fractional_tick():
    svg = bar_chart(title="Vragen", labels=["a", "b"], series=[Series("n", [3, 5])])
    labels = _tick_labels(svg)
    assert labels and all(re.fullmatch(r"\d+", label) for label in labels), labels
    assert "1,25" not in svg and "3,75" not in svg and "1.25" not in svg


def test_decimal_values_get_dutch_decimal_commas():
    svg = bar_chart(title="Uren", labels=["a", "b"], series=[Series("uren", [1.5, 2.25])])
    assert "2,25</title>" in svg and "2.25" not in svg
    assert any("," in label for label in _tick_labels(svg))
    assert dutch_number(12345.5) == "12.345,5" and dutch_number(3) == "3" and dutch_number(0.5, 1) == "0,5"
    assert dutch_number(None) == "–"


def _label_boxes(svg: str) -> list[tuple[float, float]]:
    """The horizontal extent of every category label written (flat labels: widest line)."""
    boxes = []
    root = ET.fromstring(svg)  # noqa: S314 — our own SVG
    for text in root.iter("{http://www.w3.org/2000/svg}text"):
        if text.get("class") != "chart-label":
            continue
        lines = [t.text or "" for t in text.findall("svg:tspan", NS)] or [text.text or ""]
        width = max(len(line) for line in lines) * CHAR_WIDTH
        x = float(text.get("x"))
        boxes.append((x - width / 2, x + width / 2))
    return boxes


def test_twelve_month_labels_do_not_overlap():
    months = ["jan 2026", "feb 2026", "mrt 2026", "apr 2026", "mei 2026", "jun 2026", "jul 2026", "aug 2026",
              "sep 2026", "okt 2026", "nov 2026", "dec 2026"]
    svg = bar_chart(title="Per maand", labels=months, series=[Series("n", list(range(12)))])
    boxes = _label_boxes(svg)
    assert len(boxes) == 12  # wrapped onto two lines, all shown
    assert all(a[1] <= b[0] for a, b in zip(boxes, boxes[1:], strict=False)), boxes
    assert "<tspan" in svg


def test_many_long_labels_are_rotated_and_thinned_never_cut():
    labels = [f"Samenwerking en afstemming {i}" for i in range(36)]
    layout = label_layout(labels, slot=580 / 36)
    assert layout.mode == "rotated" and layout.step >= 1
    # rotated labels a step apart are at least a line height apart across their baselines
    assert 580 / 36 * layout.step * 0.7071 >= LINE_HEIGHT
    svg = bar_chart(title="Per onderwerp", labels=labels, series=[Series("n", [5] * 36)])
    assert "Samenwerking en afstemming 0" in svg  # the whole label, never cut
    height = float(re.search(r'height="(\d+)"', svg).group(1))
    assert height >= 280 + len(labels[0]) * CHAR_WIDTH * 0.7071 - 60  # the chart grew for the labels


def test_phase_and_topic_labels_wrap_at_word_boundaries():
    labels = ["Registratie", "Intake", "Beroepsprofiel", "Zoeken naar werk", "Plaatsing", "Begeleiding op het werk"]
    layout = label_layout(labels, slot=580 / 6)
    assert layout.mode == "flat"
    assert all(" ".join(lines) == label for lines, label in zip(layout.lines, labels, strict=True))
    svg = bar_chart(title="Fasen", labels=labels, series=[Series("n", [1, 2, 3, 4, 5, 6])])
    boxes = _label_boxes(svg)
    assert all(a[1] <= b[0] for a, b in zip(boxes, boxes[1:], strict=False))
    assert "Samenwerking e<" not in bar_chart(title="t", labels=["Samenwerking en afstemming"],
                                              series=[Series("n", [3])])


def test_the_svg_is_accessible_with_the_figures_in_its_description():
    svg = bar_chart(title="Gestart", labels=["jan", "feb"], series=[Series("Gestart", [7, "<5"])],
                    chart_id="c1", table_id="table-1")
    root = ET.fromstring(svg)  # noqa: S314 — our own SVG
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-t c1-d"
    assert root.get("aria-describedby") == "table-1"
    desc = root.find("svg:desc", NS).text
    assert "jan: 7" in desc and "feb: <5" in desc
    line = line_chart(title="KM", x_values=[0, 10, 20], series=[Series("A", [1.0, 0.5, 0.25])], y_max=1)
    assert ET.fromstring(line).find("svg:title", NS).text == "KM" and "0,5" in line  # noqa: S314


def test_raw_counts_can_be_suppressed_inside_the_chart():
    svg = bar_chart(title="Per fase", labels=["a", "b", "c"], series=[Series("n", [12, 3, 7])], suppress=True)
    assert "a: 12</title>" in svg and "b: &lt;5</title>" in svg and "c: x</title>" in svg
    assert ": 3</title>" not in svg and ": 7</title>" not in svg and "b: 3" not in svg


def test_rotated_long_labels_start_inside_the_chart():
    """The first of long rotated labels (organisation names) is not cut off at the chart's left edge."""
    labels = ["Gemeente Bommelstad — Sociale Dienst", "Gemeente Lingewaard-Oost — Werk & Inkomen",
              "GGZ Rivierenland", "Pro Persona Zuid (fictief)", "Re-integratiebureau De Brug",
              "Schuldhulp Rivierenland", "Stichting Ervaringswerk", "UWV Werkbedrijf Rivierenland",
              "Werkbedrijf Betuwe (SW)"]
    svg = bar_chart(title="Per organisatie", labels=labels, series=[Series("Loopt", [3, 2, 8, 1, 6, 0, 2, 7, 5])])
    for match in re.finditer(r'<text class="chart-label" x="([\d.]+)"[^>]*rotate\(-45[^>]*>([^<]+)</text>', svg):
        x, label = float(match.group(1)), match.group(2)
        assert x - len(label) * CHAR_WIDTH * 0.7071 >= 0, label
    assert "Gemeente Lingewaard-Oost — Werk &amp; Inkomen" in svg
