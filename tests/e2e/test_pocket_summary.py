"""The pocket summaries (คู่มือสรุป) read on a 360-px phone: every category, no sideways scroll."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_each_category_summary_fits_a_phone_and_lists_its_indicators(page: Page, live_server):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=live_server.t("Summaries")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(live_server.t("Pocket summaries"))
    links = page.locator("a[href^='/summary/']")
    expect(links).to_have_count(5)
    hrefs = [links.nth(i).get_attribute("href") for i in range(5)]
    titles = live_server.titles(list(range(1, 39)))
    for href in hrefs:
        page.goto(f"{live_server.url}{href}")
        sections = page.locator("section.sum")
        count = sections.count()
        assert count >= 4, href
        for i in range(count):
            number = int(sections.nth(i).locator(".num").inner_text())
            expect(sections.nth(i).get_by_role("heading")).to_contain_text(titles[number][0])
            expect(sections.nth(i).locator("dd").first).to_be_visible()
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{href} scrolls sideways at 360 px"
    page.screenshot(path="/tmp/e2e-summary.png", full_page=True)
