"""An officer watches the live dashboard while, in another browser, a volunteer passes the
last quiz of the plan: the ready count goes up without a reload."""

from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.areas.models import Village
from app.auth.models import Role
from app.auth.services import create_user
from app.db import get_session

from .conftest import PASSWORD, PHONE_VIEWPORT, log_in, off_loop, record_passes
from .test_volunteer_journey import answer_quiz

pytestmark = pytest.mark.e2e


def fresh_phone() -> str:
    """A generated number in the 0899 test range (no real person)."""
    return f"0899{random.randrange(10**6):06d}"


@off_loop
def _officer_and_volunteer(server) -> tuple[str, str]:
    """A province officer of Nan, and a volunteer who has passed every quiz of the plan but
    the last (recorded server-side, as a submission would). Returns their mobile numbers."""
    first = server.plan_numbers[0]
    with server.app.app_context():
        session = get_session()
        village = session.scalar(select(Village).order_by(Village.code).limit(1))
        officer = create_user(
            session,
            full_name="เจ้าหน้าที่ แดชบอร์ด",
            phone=fresh_phone(),
            password=PASSWORD,
            role=Role.OFFICER,
            area_code="55",
        )
        volunteer = create_user(
            session,
            full_name="อาสา ใกล้พร้อม",
            phone=fresh_phone(),
            password=PASSWORD,
            volunteer_type="osm",
            village_id=village.id,
        )
        session.flush()
        record_passes(server, session, volunteer.id, [first])
        session.commit()
        return officer.phone, volunteer.phone


def test_dashboard_shows_a_new_ready_volunteer_without_reload(browser, page: Page, live_server):
    server, t = live_server, live_server.t
    server.app.config["DASHBOARD_POLL_SECONDS"] = 1  # read on each page view
    officer_phone, volunteer_phone = _officer_and_volunteer(server)

    officer_context = browser.new_context(viewport=PHONE_VIEWPORT, locale="th-TH")
    officer_context.set_default_timeout(10_000)
    try:
        officer = officer_context.new_page()
        log_in(officer, server, officer_phone)
        officer.goto(server.url + "/officer/dashboard")
        expect(officer.get_by_role("heading", name=t("Live dashboard"))).to_be_visible()
        expect(officer.locator("#live")).to_have_attribute("data-interval", "1")
        ready = officer.locator("#stat-ready")
        expect(ready).to_have_text("0")
        expect(officer.locator("#stat-training")).to_have_text("1")
        officer.evaluate("window.stillTheSamePage = true")
        no_sideways_scroll = "() => document.documentElement.scrollWidth <= window.innerWidth"
        assert officer.evaluate(no_sideways_scroll), "the dashboard scrolls sideways at 360 px"

        # The volunteer, in another browser, passes the plan's last quiz.
        log_in(page, server, volunteer_phone)
        page.goto(f"{server.url}/indicators/{server.plan_numbers[1]}")
        page.get_by_role("button", name=t("Take the quiz")).click()
        expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
        answer_quiz(page, server, right=True)
        expect(
            page.locator("section.result").get_by_role("heading", name=t("Passed"), exact=True)
        ).to_be_visible()

        # The officer's open dashboard catches up by itself.
        expect(ready).to_have_text("1", timeout=15_000)
        expect(officer.locator("#stat-training")).to_have_text("0")
        assert officer.evaluate("window.stillTheSamePage") is True, "the page was reloaded"
        expect(officer.locator("#updated")).to_have_text(re.compile(r"^\d\d:\d\d:\d\d$"))
        expect(officer.locator("#live svg[role=img]")).to_have_count(3)
    finally:
        officer_context.close()
