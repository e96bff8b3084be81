import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible, follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_as_persona_home_and_directory_are_accessible(page, sign_in, demo_region):
    from werkbrug.core.models import User

    page.goto("/account/login/")
    assert_accessible(page)
    page.goto("/demo/personas/")
    assert_accessible(page)
    sign_in(User.objects.get(username="demo.admin"))
    expect(page.locator("h1").first).to_be_visible()
    assert_accessible(page)
    follow(page.get_by_role("link", name="Organisaties").first)
    expect(page).to_have_url(re.compile(r"/organisations/$"))
    assert_accessible(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
