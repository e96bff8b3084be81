"""Browser: open the map → filter → click an item → details and links → search → print view."""

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible, follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_knowledge_map_main_flow(page, sign_in, demo_region):
    from werkbrug.core.models import User
    from werkbrug.knowledge_map.models import Item

    jobcoach = User.objects.filter(region=demo_region, role_assignments__role="jobcoach").order_by("pk").first()
    sign_in(jobcoach)
    page.goto("/knowledge-map/")
    assert page.locator("h1").inner_text() == "Kenniskaart"
    published = Item.objects.filter(region=demo_region, status="published").count()
    assert page.locator("svg a.km-item").count() == published
    assert_accessible(page)

    # filter: only the theme "work"
    page.get_by_label("Thema").select_option("work")
    follow(page.get_by_role("button", name="Tonen"))
    page.wait_for_url("**theme=work**")
    work = Item.objects.filter(region=demo_region, status="published", theme="work").count()
    assert page.locator("svg a.km-item").count() == work
    assert_accessible(page)

    # click an item: its details and links open beside the map, the map stays
    ips = Item.objects.get(region=demo_region, key="ips")
    page.locator(f'svg a.km-item[data-pk="{ips.pk}"]').click()
    details = page.locator("#km-details")
    details.get_by_role("heading", name="IPS: Individuele Plaatsing en Steun").wait_for()
    expect(details.get_by_role("link", name="Kenniscentrum Phrenos")).to_be_visible()
    assert "theme=work" in page.url and f"item={ips.pk}" in page.url
    assert page.locator("svg a.km-item").count() == work
    assert page.locator(f'svg a.km-item.km-selected[data-pk="{ips.pk}"]').count() == 1
    assert_accessible(page)

    # keyboard: items are focusable links
    page.locator("svg a.km-item").first.focus()
    assert page.evaluate("document.activeElement.getAttribute('class')").startswith("km-item")

    # search narrows the map (within the theme filter) to its matches
    page.get_by_label("Zoeken").fill("proef")
    follow(page.get_by_role("button", name="Tonen"))
    page.wait_for_url("**q=proef**")
    assert 1 <= page.locator("svg a.km-item").count() < work
    assert "komt overeen" in page.locator("#km-result").inner_text() or "komen overeen" in page.locator("#km-result").inner_text()
    assert_accessible(page)

    # the accessible list view and the print view of the same filter
    follow(page.get_by_role("link", name="Lijstweergave (ook voor schermlezers)"))
    expect(page.locator("h1")).to_have_text("Kenniskaart als lijst")
    assert_accessible(page)
    follow(page.get_by_role("link", name="Afdrukweergave"))
    expect(page.locator("h1")).to_have_text("Poster van de kenniskaart")
    assert "theme=work" in page.url and "q=proef" in page.url
    assert page.locator("svg a.km-item").count() == page.locator(".km-index li").count() >= 1
    assert_accessible(page)
    pdf = page.request.get(page.get_by_role("link", name="Downloaden als pdf (A3)").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
