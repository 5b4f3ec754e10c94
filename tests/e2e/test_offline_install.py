"""Installable: Chromium finds nothing missing to install BMN Learn, and inside LINE's in-app
browser a Thai hint offers to open the page in the phone's browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import PHONE_VIEWPORT

pytestmark = pytest.mark.e2e

LINE_UA = (
    "Mozilla/5.0 (Linux; Android 11; SM-A022F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36 Line/13.20.1"
)


def test_chromium_can_install_the_app(page: Page, live_server):
    page.goto(live_server.url + "/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are incognito, where Chromium never installs; nothing else.
    assert [e for e in errors if e["errorId"] != "in-incognito"] == [], errors
    manifest = cdp.send("Page.getAppManifest")
    assert not manifest["errors"], manifest["errors"]


def test_inside_line_a_thai_hint_opens_the_phones_browser(browser, live_server):
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="th-TH", user_agent=LINE_UA)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/summary")
        hint = page.locator(".line-hint")
        expect(hint).to_contain_text("LINE")
        link = hint.get_by_role("link", name="เปิดในเบราว์เซอร์ของโทรศัพท์")
        assert "openExternalBrowser=1" in link.get_attribute("href")
    finally:
        context.close()


def test_an_ordinary_browser_shows_no_line_hint(page: Page, live_server):
    page.goto(live_server.url + "/summary")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".line-hint")).to_have_count(0)
