import pytest

from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_as_persona_home_and_directory_are_accessible(page, sign_in, demo_region):
    from werkbrug.core.models import User

    page.goto("/account/login/")
    assert_accessible(page)
    page.goto("/demo/personas/")
    assert_accessible(page)
    sign_in(User.objects.get(username="demo.admin"))
    assert page.locator("h1").first.is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Organisaties").first.click() if page.get_by_role("link", name="Organisaties").count() else page.goto("/organisations/")
    assert_accessible(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
