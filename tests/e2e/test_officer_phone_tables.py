"""The readiness list and the coverage table fit a 360-px phone with realistic data: no
sideways scroll of the page and no column hidden in a scrolled box (the "short" column
used to be off-screen)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select, update

from app.areas.models import Village
from app.auth.models import Role
from app.auth.services import create_user
from app.db import get_session

from .conftest import PASSWORD, PHONE_VIEWPORT, log_in, off_loop, record_passes

pytestmark = pytest.mark.e2e
BANGKOK = ZoneInfo("Asia/Bangkok")

# Long real-looking Thai names (invented people) and households per village.
NAMES = [
    "ประภาพรรณ เจริญวงศ์ศักดิ์สกุล",
    "เฉลิมพระเกียรติ ศรีสุวรรณภูมิ",
    "ไพโรจน์ วงศ์สวัสดิ์พาณิชย์",
    "แสงเดือน ธนากรรุ่งเรืองกิจ",
    "กนกวรรณ พงษ์ประเสริฐวิทยา",
    "สมศักดิ์ อุดมทรัพย์สมบูรณ์",
    "โสภิตา ชัยมงคลสวัสดิ์",
    "ณัฐพงษ์ เกียรติศักดิ์ไพบูลย์",
]
FITS = """() => {
  const page = document.scrollingElement.scrollWidth;
  const boxes = [...document.querySelectorAll('.scroll')].map(b => b.scrollWidth - b.clientWidth);
  return {page, hidden: Math.max(0, ...boxes)};
}"""


@off_loop
def _officer_with_volunteers(server) -> str:
    """A province officer of Nan, and volunteers with long names in several villages (some
    ready), with household counts so coverage has short villages. Returns the mobile."""
    with server.app.app_context():
        session = get_session()
        session.execute(update(Village).values(households=173))
        villages = list(session.scalars(select(Village).order_by(Village.code)))
        officer = create_user(
            session,
            full_name="เจ้าหน้าที่ จังหวัดน่าน",
            phone=f"0899{random.randrange(10**6):06d}",
            password=PASSWORD,
            role=Role.OFFICER,
            area_code="55",
        )
        for index, name in enumerate(NAMES * 2):
            person = create_user(
                session,
                full_name=name,
                phone=f"0898{random.randrange(10**6):06d}",
                password=None,
                volunteer_type="osm",
                village_id=villages[index % len(villages)].id,
            )
            session.flush()
            if index % 3 == 0:
                record_passes(server, session, person.id, server.plan_numbers)
        session.commit()
        return officer.phone


@pytest.mark.parametrize(
    ("path", "must_see"),
    [
        ("/officer/volunteers", "ประภาพรรณ เจริญวงศ์ศักดิ์สกุล"),
        ("/officer/coverage", None),
    ],
)
def test_officer_tables_fit_a_360_px_phone(page: Page, live_server, path, must_see):
    server = live_server
    log_in(page, server, _officer_with_volunteers(server))
    page.goto(server.url + path)
    if must_see:
        expect(page.get_by_text(must_see).first).to_be_visible()
    else:  # every row's shortfall is on screen
        badges = page.locator("table.cov .badge.short")
        assert badges.count() >= 2
        for badge in badges.all()[:6]:
            box = badge.bounding_box()
            assert box and box["x"] + box["width"] <= PHONE_VIEWPORT["width"], box
    widths = page.evaluate(FITS)
    page.screenshot(path=f"/tmp/e2e-phone{path.replace('/', '-')}.png", full_page=True)
    assert widths["page"] <= 360, widths
    assert widths["hidden"] <= 1, widths


def test_dashboard_updated_at_is_thai_time_on_a_phone_set_to_another_zone(browser, live_server):
    server = live_server
    server.app.config["DASHBOARD_POLL_SECONDS"] = 1
    phone = _officer_with_volunteers(server)
    context = browser.new_context(
        viewport=PHONE_VIEWPORT, locale="th-TH", timezone_id="America/New_York"
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        log_in(page, server, phone)
        with page.expect_response(lambda r: "/officer/dashboard/live" in r.url) as polled:
            pass
        assert polled.value.headers.get("x-updated")
        page.wait_for_timeout(300)  # the script writes the stamp after the response
        shown = page.locator("#updated").inner_text()
        bangkok_hours = {
            (datetime.now(BANGKOK) + timedelta(minutes=m)).strftime("%H") for m in (-1, 0, 1)
        }
        assert shown[:2] in bangkok_hours, shown
    finally:
        context.close()
