"""The poster PDF: A3 and A2, the smallest text at 8 pt or more (read back from the PDF), every
item with its address as a link and a QR code, the map on one page."""

from __future__ import annotations

import io

import pytest

from werkbrug.knowledge_map import poster
from werkbrug.knowledge_map.models import Item

pypdf = pytest.importorskip("pypdf")


def _text_sizes(page) -> list[tuple[float, str]]:
    """(size in pt on the paper, text) for every piece of text drawn on the page.

    The size is the font size times the text matrix times the current transformation
    matrix (WeasyPrint scales the SVG map through the latter)."""
    sizes = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        # the vertical scale of tm × cm (text is never rotated here)
        a, b, c, d = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3], tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
        scale = abs(a * d - b * c) ** 0.5
        sizes.append((font_size * scale, text.strip()))

    page.extract_text(visitor_text=visit)
    return sizes


def _uris(reader) -> set[str]:
    found = set()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and action.get("/URI"):
                found.add(str(action["/URI"]))
    return found


@pytest.mark.parametrize(("query", "paper", "mm"), [
    ("theme=care", "A3", (420, 297)),
    ("", "A2", (594, 420)),
])
def test_poster_text_is_legible_and_every_item_has_its_link(client, pro, starter, settings, query, paper, mm):
    settings.WERKBRUG_BASE_URL = "https://werkbrug.example.nl"
    client.force_login(pro)
    response = client.get(f"/knowledge-map/print/?{query}&format=pdf&size={paper}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    first = reader.pages[0]
    width_mm, height_mm = (float(v) * 25.4 / 72 for v in (first.mediabox.width, first.mediabox.height))
    assert sorted((round(width_mm), round(height_mm))) == sorted(mm)  # landscape or portrait
    sizes = [s for page in reader.pages for s in _text_sizes(page)]
    assert len(sizes) > 20
    smallest = min(sizes)
    assert smallest[0] >= 8.0, smallest
    # the map is drawn on the first page, with the number of every item in its box
    items = Item.objects.filter(region=starter, status="published")
    if query:
        items = items.filter(theme="care")
    first_text = first.extract_text()
    assert "Lijnen" in first_text  # the legend
    # every item: its address as a link (and a QR code beside it)
    uris = _uris(reader)
    for item in items:
        assert f"https://werkbrug.example.nl/knowledge-map/items/{item.pk}/" in uris, item.title


def test_the_poster_picks_the_columns_that_draw_the_map_largest():
    small = poster.best_fit([15], "A3")
    assert small.legible
    # the whole demo map (92 items over six themes) is legible on A2
    whole = poster.best_fit([16, 16, 16, 16, 14, 14], "A2")
    assert whole.legible, whole
    # more columns than the screen's four when that draws it larger
    wide = poster.best_fit([30, 30], "A2")
    assert wide.legible and wide.cols > 4
    # 2 000 items cannot be legible on A3: the poster then leaves the map out and says so
    assert not poster.best_fit([340] * 6, "A3").legible


def test_a_map_too_large_for_the_paper_is_left_out_with_a_note(client, pro, starter, monkeypatch):
    monkeypatch.setattr(poster, "MIN_PT", 40.0)
    client.force_login(pro)
    html = client.get("/knowledge-map/print/?format=pdf&size=A3")
    assert html.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(html.content))
    assert "past niet leesbaar op A3" in reader.pages[0].extract_text()


def test_the_print_view_offers_both_sizes_and_an_index_with_qr_codes(client, pro, starter):
    client.force_login(pro)
    html = client.get("/knowledge-map/print/?theme=work").content.decode()
    assert "size=A3" in html and "size=A2" in html
    index = html.split('class="km-index"', 1)[1].split("</ol>", 1)[0]
    work = Item.objects.filter(region=starter, status="published", theme="work").count()
    assert index.count("<li>") == work
    assert index.count('<svg role="img" aria-label="QR-code naar item') == work
