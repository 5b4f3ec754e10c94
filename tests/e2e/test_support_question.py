"""On a phone: a volunteer asks from a lesson, an officer of the zone answers, and the
volunteer finds the answer on the home page (marked seen once shown)."""

from __future__ import annotations

import random

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.areas.models import Village
from app.auth.models import Role
from app.auth.services import create_user
from app.db import get_session
from app.support.models import SupportQuestion

from .conftest import PASSWORD, PHONE_VIEWPORT, log_in, off_loop

pytestmark = pytest.mark.e2e


def _phone() -> str:
    return f"0899{random.randrange(10**6):06d}"


@off_loop
def _people(server) -> tuple[str, str]:
    """A volunteer in a village of the north zone (อ.ทุ่งช้าง, 5505) and that district's officer."""
    with server.app.app_context():
        session = get_session()
        village = session.scalar(
            select(Village).where(Village.code.startswith("5505")).order_by(Village.code)
        )
        volunteer = create_user(
            session, full_name="ใจดี ถามเก่ง", phone=_phone(), password=PASSWORD,
            role=Role.VOLUNTEER, volunteer_type="osm", village_id=village.id,
        )  # fmt: skip
        officer = create_user(
            session, full_name="เจ้าหน้าที่ เหนือ", phone=_phone(), password=PASSWORD,
            role=Role.OFFICER, area_code="5505",
        )  # fmt: skip
        session.commit()
        return volunteer.phone, officer.phone


@off_loop
def _seen(server) -> bool:
    with server.app.app_context():
        question = get_session().scalar(select(SupportQuestion))
        return question.seen_by_asker_at is not None


def test_ask_answer_and_read_on_home(browser, page: Page, live_server):
    server, t = live_server, live_server.t
    volunteer_phone, officer_phone = _people(server)
    number = server.plan_numbers[0]
    sent = t("Question sent to your zone's support team. The answer will appear on your home page.")
    log_in(page, server, volunteer_phone)
    page.goto(f"{server.url}/indicators/{number}")
    page.get_by_text(t("Ask a question about this indicator"), exact=True).first.click()
    page.locator("textarea[name=text]").fill("ลูกไปเรียนต่างจังหวัด นับเป็นสมาชิกไหมคะ")
    page.get_by_role("button", name=t("Send the question")).click()
    expect(page.get_by_text(sent)).to_be_visible()

    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="th-TH")
    context.set_default_timeout(10_000)
    staff = context.new_page()
    try:
        log_in(staff, server, officer_phone)
        staff.goto(f"{server.url}/support/team/")
        expect(staff.get_by_text("ลูกไปเรียนต่างจังหวัด นับเป็นสมาชิกไหมคะ")).to_be_visible()
        assert staff.locator("[data-figure=waiting]").inner_text() == "1"
        staff.get_by_role("link", name=t("Answer")).first.click()
        staff.locator("textarea[name=answer]").fill("นับค่ะ ถ้ายังมีชื่อในทะเบียนบ้านและกลับมาอยู่")
        staff.get_by_role("button", name=t("Send the answer")).click()
        expect(staff.get_by_text(t("No open questions."))).to_be_visible()
        width = staff.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_VIEWPORT["width"]
    finally:
        context.close()

    page.goto(server.url + "/")
    expect(page.get_by_role("heading", name=t("New answers to your questions"))).to_be_visible()
    expect(page.get_by_text("นับค่ะ ถ้ายังมีชื่อในทะเบียนบ้านและกลับมาอยู่")).to_be_visible()
    expect(page.get_by_role("button", name=t("I have read these answers"))).to_be_disabled()
    assert _seen(server)
    page.reload()
    expect(page.get_by_text("นับค่ะ ถ้ายังมีชื่อในทะเบียนบ้านและกลับมาอยู่")).to_have_count(0)
