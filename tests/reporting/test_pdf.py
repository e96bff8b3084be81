"""The dashboard's PDF: tables within the page, page numbers "pagina X van Y", the print date in
Dutch; checked in the PDF itself (pypdf)."""

import io
import re
from datetime import timedelta

from django.utils import timezone
from pypdf import PdfReader

from werkbrug.core.choices import OrganisationType


def _runs(page):
    runs = []

    def visit(text, cm, tm, font_dict, font_size):
        # Text inside the charts (SVG drawn as a form XObject, scaled to the page width by CSS)
        # comes with the XObject's own coordinates; the charts' labels are tested in the chart
        # module. Here: the page's own text (tables, headings, footer).
        if text.strip() and cm[0] != 1:
            # the text's origin on the page: the text matrix within the current transformation
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            size = font_size * (tm[0] or 1) * (cm[0] or 1)
            runs.append((x, text, abs(size)))

    page.extract_text(visitor_text=visit)
    return runs


def test_pdf_tables_fit_the_page_and_pages_are_numbered(client, manager, region, make_org, make_trajectories):
    today = timezone.localdate()
    long_name = "Stichting Geestelijke Gezondheidszorg Rivierenland en Omstreken Werkgelegenheidsprojecten"
    unbroken = "Werkgelegenheidsondersteuningsprojectenorganisatiecoördinatiecentrumrivierenland" * 2
    make_trajectories(5, make_org(OrganisationType.UWV, unbroken), started_on=today - timedelta(days=3))
    for i, org in enumerate([make_org(OrganisationType.GGZ, f"{long_name} {i}") for i in range(12)]):
        make_trajectories(5 + i % 2, org, started_on=today - timedelta(days=30 * (i + 1)))
    client.force_login(manager)
    response = client.get(f"/reports/pdf/?start={today - timedelta(days=700)}")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    pages = len(reader.pages)
    assert pages >= 2
    text = ""
    for number, page in enumerate(reader.pages, start=1):
        width = float(page.mediabox.width)
        page_text = page.extract_text()
        text += page_text
        assert f"pagina {number} van {pages}" in page_text
        for x, run, size in _runs(page):
            # every run starts on the page and, at a generous 0.6 em per glyph, ends on it
            assert 0 <= x and x + len(run.rstrip()) * size * 0.5 <= width + 1, (number, x, run)
    months = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    assert re.search(rf"afgedrukt op \d{{1,2}} ({months}) \d{{4}}", text), text[:400]
    assert "Stichting Geestelijke" in text
