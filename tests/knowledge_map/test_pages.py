"""The map, the list, details, the poster and curation pages, through the test client."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from werkbrug.core.choices import OrganisationType, Role
from werkbrug.core.models import AccessLogRecord
from werkbrug.knowledge_map import services
from werkbrug.knowledge_map.models import Item

INDEX = reverse("knowledge_map:index") if False else "/knowledge-map/"


def _svg(html: str) -> str:
    return re.search(r"<svg.*?</svg>", html, re.S).group(0)


def _titles(svg: str) -> list[str]:
    """The title of each item on the map (its tooltip up to " — ", where hints begin)."""
    return [t.split(" — ")[0] for t in re.findall(r'<a href="[^"]*" class="km-item[^>]*><title>([^<]*)</title>', svg)]


def test_map_has_one_focusable_link_per_item(client, pro, starter, django_assert_max_num_queries):
    client.force_login(pro)
    with django_assert_max_num_queries(12):
        response = client.get(INDEX)
    assert response.status_code == 200
    svg = _svg(response.content.decode())
    published = Item.objects.filter(region=starter, status="published")
    hrefs = re.findall(r'<a href="([^"]+)" class="km-item[^"]*" data-pk="(\d+)"', svg)
    assert len(hrefs) == published.count()
    assert {int(pk) for _h, pk in hrefs} == set(published.values_list("pk", flat=True))
    assert all(f"item={pk}" in href for href, pk in hrefs)
    assert svg.count("<path class=\"km-rel") > 40
    assert AccessLogRecord.objects.count() == 0  # no client data here


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("?kind=regulation", ["Participatiewet", "Wajong"], ["IPS: Individuele", "Jobcoaching"]),
        ("?theme=debts", ["Schuldhulpverlening", "Budgetbeheer"], ["Wajong", "IPS: Individuele"]),
        ("?audience=employers", ["No-riskpolis", "Loonkostensubsidie"], ["Budgetbeheer", "Trimbos"]),
        ("?audience=employers&kind=benefit", ["No-riskpolis"], ["Banenafspraak"]),
    ],
)
def test_filters(client, pro, starter, query, present, absent):
    client.force_login(pro)
    titles = _titles(_svg(client.get(INDEX + query).content.decode()))
    for title in present:
        assert any(t.startswith(title) for t in titles), title
    for title in absent:
        assert not any(t.startswith(title) for t in titles), title


def test_search_filters_the_map_and_lists_the_results(client, pro, starter):
    client.force_login(pro)
    html = client.get(INDEX + "?q=clienten").content.decode()  # no diaeresis: still finds "cliënten"
    from werkbrug.knowledge_map.selectors import search_matches

    published = list(Item.objects.filter(region=starter, status="published"))
    expected = search_matches(published, "clienten")
    assert 0 < len(expected) < len(published)
    svg = _svg(html)
    shown = {int(pk) for pk in re.findall(r'class="km-item[^"]*" data-pk="(\d+)"', svg)}
    assert shown == expected  # only the matches are on the map
    results = html.split('id="km-results-heading"', 1)[1].split("</ol>", 1)[0]
    assert {int(pk) for pk in re.findall(r'data-km-item="(\d+)"', results)} == expected
    status = html.split('id="km-result"', 1)[1].split("</p>", 1)[0]
    assert f"{len(expected)} items komen overeen met" in status


def test_a_search_without_matches_shows_no_map_and_says_so(client, pro, starter):
    client.force_login(pro)
    html = client.get(INDEX + "?q=zzzgeenwoord").content.decode()
    assert "<svg" not in html.split('id="km-result"', 1)[1].split('id="km-details"', 1)[0]
    assert 'class="km-item' not in html
    status = html.split('id="km-result"', 1)[1].split("</p>", 1)[0]
    assert "0 items komen overeen met “zzzgeenwoord”" in status
    assert "De kaart toont niets" in status


def test_a_filter_says_where_its_hidden_links_lead(client, pro, starter):
    client.force_login(pro)
    html = client.get(INDEX + "?theme=income").content.decode()
    hint = html.split('class="km-hidden-hint"', 1)[1].split("</p>", 1)[0]
    assert "verbindingen" in hint and "↗" in hint
    wia = Item.objects.get(region=starter, key="wia")
    outside = {r.target.title for r in wia.relations_out.select_related("target") if r.target.theme != "income"} | {
        r.source.title for r in wia.relations_in.select_related("source") if r.source.theme != "income"}
    assert outside
    label = re.search(rf'data-pk="{wia.pk}" aria-label="([^"]*)"', _svg(html)).group(1)
    for title in outside:
        assert title.replace("&", "&amp;") in label
    assert 'class="km-away"' in _svg(html)
    # without a filter nothing is hidden
    assert 'class="km-hidden-hint"' not in client.get(INDEX).content.decode()


def test_item_link_opens_details_beside_the_map_with_the_filter_kept(client, pro, starter):
    client.force_login(pro)
    ips = Item.objects.get(region=starter, key="ips")
    html = client.get(INDEX + f"?theme=work&item={ips.pk}").content.decode()
    assert 'id="km-details"' in html
    details = html.split('id="km-details"', 1)[1]
    assert "IPS: Individuele Plaatsing en Steun" in details
    assert "https://www.kenniscentrumphrenos.nl/" in details
    assert "theme=work&amp;item=" in details  # links to related items keep the filter
    assert 'class="km-item km-selected"' in _svg(html)


def test_panel_fragment_and_detail_page(client, pro, starter):
    client.force_login(pro)
    wia = Item.objects.get(region=starter, key="wia")
    fragment = client.get(f"/knowledge-map/items/{wia.pk}/panel/?theme=income")
    assert fragment.status_code == 200
    text = fragment.content.decode()
    assert "<html" not in text and "WGA-uitkering" in text  # incoming "part of" relation
    page = client.get(f"/knowledge-map/items/{wia.pk}/")
    assert page.status_code == 200 and b"<h1>WIA" in page.content


def test_list_view_is_a_tree_along_part_of(client, pro, starter):
    client.force_login(pro)
    html = client.get("/knowledge-map/list/?theme=income").content.decode()
    wia_block = html.split(">WIA: Wet werk en inkomen naar arbeidsvermogen</a>", 1)[1].split("</li>\n</ul>", 1)[0]
    assert "WGA-uitkering" in wia_block and "IVA-uitkering" in wia_block
    assert html.count("<h1>") == 1


def test_drafts_only_for_editors_and_other_regions_not_at_all(client, pro, editor, make_item, other_region, make_org, make_person):
    draft = make_item("concept", status="draft", title="Nog niet af")
    client.force_login(pro)
    assert "Nog niet af" not in client.get(INDEX).content.decode()
    assert client.get(f"/knowledge-map/items/{draft.pk}/").status_code == 404
    client.force_login(editor)
    assert client.get(f"/knowledge-map/items/{draft.pk}/").status_code == 200
    outsider = make_person(make_org(OrganisationType.GGZ, "Elders", in_region=other_region), Role.EDITOR)
    client.force_login(outsider)
    assert client.get(f"/knowledge-map/items/{draft.pk}/").status_code == 404
    published = make_item("af")
    assert client.get(f"/knowledge-map/items/{published.pk}/").status_code == 404
    assert "Af" not in _titles(client.get(INDEX).content.decode())


def test_clients_do_not_see_the_map(client, client_user):
    client.force_login(client_user)
    assert client.get(INDEX).status_code == 403


def test_print_view_and_pdf_poster(client, pro, starter):
    client.force_login(pro)
    page = client.get("/knowledge-map/print/?theme=care")
    assert page.status_code == 200 and b"format=pdf" in page.content and b"size=A2" in page.content
    pdf = client.get("/knowledge-map/print/?theme=care&format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert _pdf_page_count(pdf.content) >= 2  # the map, then the index with links and QR codes


def _pdf_page_count(content: bytes) -> int:
    """The /Count of the page tree, also when it sits in a compressed object stream."""
    import zlib

    chunks = [content]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            continue
    for chunk in chunks:
        found = re.search(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", chunk, re.S)
        if found:
            return int(found.group(1) or found.group(2))
    raise AssertionError("no page tree found in the PDF")


def test_curation_pages_for_editors_only(client, pro, editor, starter):
    client.force_login(pro)
    # Refused as a whole page (403), or about the region's map itself (a named object: 404).
    for url, refused in (("/knowledge-map/manage/", 403), ("/knowledge-map/manage/new/", 403),
                         ("/knowledge-map/manage/import/", 404), ("/knowledge-map/manage/export.json", 404)):
        assert client.get(url).status_code == refused, url
    client.force_login(editor)
    for url in ("/knowledge-map/manage/", "/knowledge-map/manage/new/", "/knowledge-map/manage/import/"):
        assert client.get(url).status_code == 200, url


def test_review_date_flags_in_curation(client, editor, make_item):
    make_item("oud", review_on="2026-01-10", title="Oud item")
    make_item("bijna", review_on="2026-02-01", title="Bijna item")
    make_item("nieuw", review_on="2027-01-01", title="Later item")
    client.force_login(editor)
    with time_machine.travel("2026-01-20 12:00 +0100"):
        html = client.get("/knowledge-map/manage/").content.decode()
        assert "1 item is over de controledatum" in html
        overdue = client.get("/knowledge-map/manage/?review=overdue").content.decode()
        assert "Oud item" in overdue and "Later item" not in overdue and "Bijna item" not in overdue
        oud = Item.objects.get(key="oud")
        panel = client.get(f"/knowledge-map/items/{oud.pk}/").content.decode()
        assert "Controledatum voorbij" in panel


def test_editor_creates_edits_links_and_publishes_through_the_pages(client, editor, make_item):
    target = make_item("doel", title="Doel")
    client.force_login(editor)
    response = client.post("/knowledge-map/manage/new/", {
        "key": "nieuw", "kind": "training", "title": "Nieuwe training", "summary": "Wat je leert.",
        "links": "https://www.trimbos.nl/ Trimbos\nhttps://www.uwv.nl/", "audience": ["ggz", "wi"],
        "theme": "care", "scope": "regional", "tags": "leren", "review_on": "2027-05-01",
    })
    item = Item.objects.get(key="nieuw")
    assert response.status_code == 302 and item.status == "draft"
    assert item.links == [{"url": "https://www.trimbos.nl/", "label": "Trimbos"}, {"url": "https://www.uwv.nl/", "label": ""}]
    bad = client.post(f"/knowledge-map/items/{item.pk}/edit/", {
        "key": "nieuw", "kind": "training", "title": "Nieuwe training", "summary": "Wat je leert.",
        "links": "trimbos.nl", "theme": "care", "scope": "regional",
    })
    assert bad.status_code == 200 and "geen volledig webadres" in bad.content.decode()
    # The relation picker: grouped by theme, searchable (the page's own script adds the box).
    picker = client.get(f"/knowledge-map/items/{item.pk}/edit/").content.decode()
    assert 'data-searchable="Zoek een item"' in picker and "picker.js" in picker
    assert '<optgroup label="' in picker and ">Doel</option>" in picker
    response = client.post(f"/knowledge-map/items/{item.pk}/relations/", {"kind": "part_of", "target": item.pk})
    assert response.status_code == 302
    assert not item.relations_out.exists()
    client.post(f"/knowledge-map/items/{item.pk}/relations/", {"kind": "leads_to", "target": target.pk})
    assert item.relations_out.get().target == target
    client.post(f"/knowledge-map/items/{item.pk}/status/", {"to": "published"})
    item.refresh_from_db()
    assert item.status == "published"
    history = client.get(f"/knowledge-map/items/{item.pk}/history/").content.decode()
    # in words, in Dutch: no internal codes on the page
    assert "Gepubliceerd" in history and "Verband toegevoegd" in history and "Concept → Gepubliceerd" in history
    assert "relation_added" not in history and "published" not in history


def test_import_page_lists_every_problem(client, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    upload = SimpleUploadedFile("kaart.csv", b"key,title\nx,y\n", content_type="text/csv")
    html = client.post("/knowledge-map/manage/import/", {"file": upload}).content.decode()
    assert "Er is niets ingelezen" in html and "kolommen" in html
    good = services.knowledge_export(region=editor.region, fmt="json")
    upload = SimpleUploadedFile("kaart.json", good.encode(), content_type="application/json")
    assert client.post("/knowledge-map/manage/import/", {"file": upload}).status_code == 200  # empty: refused
    upload = SimpleUploadedFile("kaart.txt", b"x", content_type="text/plain")
    assert ".json" in client.post("/knowledge-map/manage/import/", {"file": upload}).content.decode()


def test_export_download(client, editor, starter):
    client.force_login(editor)
    response = client.get("/knowledge-map/manage/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[0].startswith("key,kind,title")
    assert client.get("/knowledge-map/manage/export.xml").status_code == 404


def test_sync_button(client, editor, starter):
    client.force_login(editor)
    assert client.post("/knowledge-map/manage/sync/").status_code == 302
    assert Item.objects.filter(source_type="organisation").count() == 1  # the editor's GGZ


def test_no_page_or_endpoint_writes_an_access_log_record(client, editor, starter):
    """No client data on the map: reading and curating it leaves the access log alone."""
    item = Item.objects.filter(region=starter).first()
    client.force_login(editor)
    urls = [
        INDEX, INDEX + f"?item={item.pk}&q=werk", "/knowledge-map/list/", "/knowledge-map/print/",
        f"/knowledge-map/items/{item.pk}/", f"/knowledge-map/items/{item.pk}/panel/",
        f"/knowledge-map/items/{item.pk}/edit/", f"/knowledge-map/items/{item.pk}/history/",
        "/knowledge-map/manage/", "/knowledge-map/manage/export.json", "/api/v1/knowledge-items/",
        f"/api/v1/knowledge-items/{item.pk}/", "/api/v1/knowledge-relations/",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert AccessLogRecord.objects.count() == 0


def test_selected_items_connections_stand_out(client, pro, starter):
    client.force_login(pro)
    wia = Item.objects.get(region=starter, key="wia")
    svg = _svg(client.get(INDEX + f"?item={wia.pk}").content.decode())
    active = re.findall(r'class="km-rel [^"]*km-rel-active" data-from="(\d+)" data-to="(\d+)"', svg)
    assert active and all(str(wia.pk) in pair for pair in active)
    assert len(active) == wia.relations_out.count() + wia.relations_in.count()


def test_a_missing_item_keeps_the_map_and_says_so(client, pro, starter, make_item):
    draft = make_item("concept", status="draft")
    client.force_login(pro)
    for pk in (999999, draft.pk):  # missing, and not visible to a professional: the same answer
        response = client.get(INDEX + f"?item={pk}")
        assert response.status_code == 200
        html = response.content.decode()
        assert "niet (meer) op de kaart" in html
        assert len(re.findall(r'class="km-item', _svg(html))) == Item.objects.filter(status="published").count()


def test_poster_names_the_filter_and_the_search_in_words(client, pro, starter):
    client.force_login(pro)
    html = client.get("/knowledge-map/print/?theme=income&kind=regulation&q=uwv").content.decode()
    meta = html.split('class="km-poster-meta"', 1)[1].split("</p>", 1)[0]
    assert "Soort Regeling of wet" in meta and "Thema Inkomen" in meta and "Zoeken “uwv”" in meta
    assert "income" not in meta and "regulation" not in meta
    # the search narrows the poster to its matches: 3 regulations about income mention UWV
    from werkbrug.knowledge_map.selectors import search_matches

    income = Item.objects.filter(region=starter, status="published", theme="income", kind="regulation")
    assert f"{len(search_matches(income, 'uwv'))} items" in meta


def test_mirrored_items_link_back_into_werkbrug(client, pro, region, uwv):
    org_item = services.item_upsert_from_source(source_type="organisation", source_id=uwv.pk, title=uwv.name,
                                                summary="UWV in de regio.", region=region)
    qa = services.item_upsert_from_source(source_type="ambassador_qa", source_id=41, title="Vraag?",
                                          summary="Antwoord.", region=region)
    client.force_login(pro)
    org_panel = client.get(f"/knowledge-map/items/{org_item.pk}/panel/").content.decode()
    assert f'href="{reverse("web:organisation", kwargs={"pk": uwv.pk})}"' in org_panel
    qa_panel = client.get(f"/knowledge-map/items/{qa.pk}/panel/").content.decode()
    assert f'href="{reverse("ambassadors:qa_detail", kwargs={"pk": 41})}"' in qa_panel


def test_review_flags_on_the_map_for_editors_and_a_warning_for_readers(client, pro, editor, make_item):
    old = make_item("oud", review_on="2026-01-10", title="Oud item")
    make_item("nieuw", review_on="2027-01-01", title="Later item")
    with time_machine.travel("2026-01-20 12:00 +0100"):
        client.force_login(editor)
        svg = _svg(client.get(INDEX).content.decode())
        flagged = re.findall(r'data-pk="(\d+)" aria-label="[^"]*controledatum voorbij"', svg)
        assert flagged == [str(old.pk)]
        assert svg.count("⚠") == 1
        client.force_login(pro)
        assert "⚠" not in _svg(client.get(INDEX).content.decode())
        panel = client.get(f"/knowledge-map/items/{old.pk}/panel/").content.decode()
        assert "Controledatum voorbij" in panel and "verouderd" in panel


def test_history_page_lists_each_change_in_words(client, editor, make_item):
    item = make_item("x", status="draft", title="Eerst")
    services.item_update(item=item, actor=editor, title="Daarna", theme="debts")
    client.force_login(editor)
    html = client.get(f"/knowledge-map/items/{item.pk}/history/").content.decode()
    assert "Veranderd" in html and "Eerst → Daarna" in html and "Werk → Schulden" in html


def test_list_view_groups_like_the_map(client, pro, starter):
    """An item stays in its own theme, as in the map's bands: "Beschut werk" (work) is part of the
    Participatiewet (income) but is listed under Werk, with the connection in words; within a
    theme the list follows the map's reading order."""
    client.force_login(pro)
    html = client.get("/knowledge-map/list/").content.decode()
    sections = dict(re.findall(r'<h2 id="theme-(\w+)">.*?</h2>(.*?)</section>', html, re.S))
    assert ">Beschut werk</a>" in sections["work"]
    assert ">Beschut werk</a>" not in sections["income"]
    beschut = sections["work"].split(">Beschut werk</a>", 1)[1].split("</li>", 1)[0]
    assert "Participatiewet" in beschut  # the connection, in words
    map_svg = _svg(client.get(INDEX).content.decode())
    work_on_map = re.search(r'aria-label="Werk">(.*?)</g></g>', map_svg + "</g>", re.S).group(0)
    map_order = re.findall(r"<title>([^<]*)</title>", work_on_map)
    top_level = sections["work"]
    while top_level.count("<ul>") > 1:  # leave out the nested items: compare the top level
        top_level = re.sub(r"<ul>(?:(?!<ul>).)*?</ul>", "", top_level, count=1, flags=re.S)
    list_top = re.findall(r'<li[^>]*><a href="/knowledge-map/items/\d+/">([^<]*)</a>', top_level)
    assert len(list_top) >= 5
    assert list_top == [t for t in map_order if t in list_top]  # the same order as on the map
