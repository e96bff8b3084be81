"""Browser-test support: Playwright on Debian's Chromium, persona sign-in, axe-core checks.

The fixtures (`browser`, `page`, `sign_in`) are registered once, in `tests/conftest.py`: one
Playwright instance per test process. A test module only needs:

    from tests.support.browser import assert_accessible, follow

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
"""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
# Playwright runs an event loop in this thread; Django's ORM calls from the test are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(page):
    """sign_in(user): sign in through the demo persona page, as a person would."""

    def do(user) -> None:
        page.context.clear_cookies()
        page.goto("/demo/personas/")
        follow(page.locator(f"form:has(input[name=user][value='{user.pk}']) button"))

    return do


def follow(locator) -> None:
    """Click a link or submit button and wait until the page it leads to has loaded.

    Playwright's click() does not wait for the navigation it starts, so a check right after a
    bare click may still see the old page, or the server may not have handled the form yet.
    """
    with locator.page.expect_navigation():
        locator.click()


def assert_accessible(page) -> None:
    """Zero axe-core violations of WCAG 2.1 A and AA on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}},
    )
    violations = results.response["violations"]
    assert not violations, f"{page.url}: " + "; ".join(
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})" for v in violations
    )


# `from tests.support.browser import *` in older test modules must not define the fixtures a
# second time (a second Playwright in the same process fails): export the check only.
__all__ = ["assert_accessible", "follow"]
