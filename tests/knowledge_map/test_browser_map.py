"""Browser: the map laid out by its connections — search narrows it, focus dims the rest, arrow
keys follow relations, one step skips the map, no sideways scroll at 1280 and 390 px, axe-core
finds nothing, and the browser's print keeps the map on the first page in one piece."""

from __future__ import annotations

import io
import struct

import pytest

from tests.support.browser import assert_accessible, follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png_width(png: bytes) -> int:
    return struct.unpack(">I", png[16:20])[0]


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]")
    shot = page.screenshot(full_page=True)
    assert _png_width(shot) == page.viewport_size["width"]


def _neighbours(item) -> set[int]:
    from werkbrug.knowledge_map.models import Relation

    pairs = Relation.objects.filter(source=item, target__status="published").values_list("target_id", flat=True)
    back = Relation.objects.filter(target=item, source__status="published").values_list("source_id", flat=True)
    return set(pairs) | set(back)


def test_map_search_focus_keyboard_and_phone(page, sign_in, demo_region):
    from werkbrug.core.models import User
    from werkbrug.knowledge_map.models import Item
    from werkbrug.knowledge_map.selectors import search_matches

    jobcoach = User.objects.filter(region=demo_region, role_assignments__role="jobcoach").order_by("pk").first()
    sign_in(jobcoach)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/knowledge-map/")
    published = list(Item.objects.filter(region=demo_region, status="published"))
    assert page.locator("svg a.km-item").count() == len(published)
    _no_sideways_scroll(page)
    assert_accessible(page)

    # search narrows the map to the matches and lists them
    expected = search_matches(published, "werk")
    assert 0 < len(expected) < len(published)
    page.get_by_label("Zoeken").fill("werk")
    follow(page.get_by_role("button", name="Tonen"))
    assert page.locator("svg a.km-item").count() == len(expected)
    assert page.locator(".km-results li").count() == len(expected)
    assert_accessible(page)
    # nothing found: no map items, and it says so
    page.get_by_label("Zoeken").fill("zzzgeenwoord")
    follow(page.get_by_role("button", name="Tonen"))
    assert page.locator("svg a.km-item").count() == 0
    assert "0 items komen overeen" in page.locator("#km-result").inner_text()
    assert "De kaart toont niets" in page.locator("#km-result").inner_text()

    # focus: the item and its neighbours stand out, the rest is dimmed
    page.goto("/knowledge-map/")
    ips = Item.objects.get(region=demo_region, key="ips")
    near = _neighbours(ips)
    assert near
    page.locator(f'svg a.km-item[data-pk="{ips.pk}"]').click()
    page.locator("#km-details").get_by_role("heading", name="IPS: Individuele Plaatsing en Steun").wait_for()
    assert page.locator("svg.km-svg.km-focusing").count() == 1
    neighbours = {int(pk) for pk in page.locator("svg a.km-neighbour").evaluate_all("els => els.map(e => e.dataset.pk)")}
    assert neighbours == near
    assert page.locator("svg a.km-dim").count() == len(published) - 1 - len(near)
    assert_accessible(page)

    # the keyboard: arrows move from an item to the items it is connected to
    page.locator(f'svg a.km-item[data-pk="{ips.pk}"]').focus()
    reached = set()
    for key in ("ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp"):
        page.locator(f'svg a.km-item[data-pk="{ips.pk}"]').focus()
        page.keyboard.press(key)
        pk = int(page.evaluate("document.activeElement.dataset.pk"))
        assert pk in near, (key, pk)
        reached.add(pk)
    assert reached

    # the skip link passes the whole map in one step
    page.locator(".km-skip").focus()
    assert page.evaluate("document.activeElement.textContent") == "Kaart overslaan"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "km-after-map"
    page.keyboard.press("Tab")
    assert not page.evaluate("document.activeElement.classList.contains('km-item')")
    assert page.evaluate("!document.activeElement.closest('svg')")

    # zoom: the map grows inside its own box, never the page
    width = page.locator("svg.km-svg").bounding_box()["width"]
    page.get_by_role("button", name="Inzoomen").click()
    assert page.locator("svg.km-svg").bounding_box()["width"] > width * 1.2
    _no_sideways_scroll(page)

    # a phone: no sideways scrolling, the details (with the neighbourhood) before the map
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/knowledge-map/?item={ips.pk}")
    _no_sideways_scroll(page)
    details_top = page.locator("#km-details").bounding_box()["y"]
    map_top = page.locator(".km-scroll").bounding_box()["y"]
    assert details_top < map_top
    assert page.locator("#km-details .km-relations-list li").count() >= len(near)
    assert_accessible(page)
    page.goto("/knowledge-map/list/")
    _no_sideways_scroll(page)


def test_browser_print_keeps_the_map_whole_on_the_first_page(page, sign_in, demo_region):
    from pypdf import PdfReader

    from werkbrug.core.models import User

    jobcoach = User.objects.filter(region=demo_region, role_assignments__role="jobcoach").order_by("pk").first()
    sign_in(jobcoach)
    page.goto("/knowledge-map/print/?theme=work")
    assert_accessible(page)
    page.emulate_media(media="print")
    box = page.locator(".km-poster-map svg").bounding_box()
    # A3 landscape minus 10 mm margins, at 96 px an inch: 400 × 277 mm
    assert box["height"] <= 277 / 25.4 * 96 and box["width"] <= 400 / 25.4 * 96 + 1
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    first = pdf.pages[0].extract_text()
    assert "Poster van de kenniskaart" in first  # no blank first page
    assert "Lijnen" in first  # the legend under the map: the map is whole on page 1
    assert len(pdf.pages) >= 2  # the index with addresses follows
