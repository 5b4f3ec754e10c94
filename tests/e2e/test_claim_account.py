"""Claiming an account an officer registered, on a phone: the village poster and the
mobile number are not enough (defect 1); the slip's code, through its QR link, is."""

from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.areas.models import Village
from app.auth.models import Role, User
from app.auth.services import create_user
from app.db import get_session

from .conftest import PHONE_VIEWPORT, off_loop

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-9"
INVITE = "CXMVTE23"


def fresh_phone() -> str:
    """A generated number in the 0899 test range (no real person)."""
    return f"0899{random.randrange(10**6):06d}"


@off_loop
def _officer_and_village(server) -> tuple[str, int]:
    """A province officer of Nan, and the first village (given the invitation code INVITE)."""
    with server.app.app_context():
        session = get_session()
        village = session.scalar(select(Village).order_by(Village.code).limit(1))
        village.invite_code = INVITE
        officer = create_user(
            session,
            full_name="เจ้าหน้าที่ ลงทะเบียน",
            phone=fresh_phone(),
            password=PASSWORD,
            role=Role.OFFICER,
            area_code="55",
        )
        session.commit()
        return officer.phone, village.id


@off_loop
def _has_password(server, phone: str) -> bool:
    with server.app.app_context():
        return get_session().scalar(select(User).where(User.phone == phone)).has_password


def test_the_poster_is_not_enough_the_slip_is(browser, page: Page, live_server):
    server, t = live_server, live_server.t
    officer_phone, village_id = _officer_and_village(server)
    volunteer_phone = fresh_phone()

    # The officer registers the volunteer and gets the slip, shown once.
    page.goto(server.url + "/login")
    page.get_by_label(t("Mobile number"), exact=True).fill(officer_phone)
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=t("Log in")).click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(server.url + "/officer/volunteers/new")
    page.locator("input[name=full_name]").fill("บัวผัน ลงทะเบียน")
    page.get_by_label(t("Mobile number"), exact=True).fill(volunteer_phone)
    page.locator("input[name=volunteer_type][value=osm]").check()
    page.locator("select[name=village]").select_option(str(village_id))
    page.locator("main form").get_by_role("button", name=t("Register")).click()
    expect(page.get_by_role("heading", name=t("Activation slips"))).to_be_visible()
    code = page.locator("[data-activation-code]").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{5}-[2-9A-Z]{5}", code)
    qr = page.locator("svg.slip-qr")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box and box["width"] >= 100 and box["x"] + box["width"] <= PHONE_VIEWPORT["width"]
    assert page.locator(f"text={volunteer_phone}").count() == 0  # the slip masks the number

    # Someone with the village poster and the mobile number: refused, whatever they type.
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="th-TH")
    context.set_default_timeout(10_000)
    other = context.new_page()
    try:
        other.goto(f"{server.url}/join/{INVITE}")
        other.locator("input[name=full_name]").fill("คน แอบอ้าง")
        other.get_by_label(t("Mobile number"), exact=True).fill(volunteer_phone)
        other.get_by_label(t("Password"), exact=True).fill("attacker-pw-9")
        other.get_by_label(t("Password again"), exact=True).fill("attacker-pw-9")
        other.locator("input[name=volunteer_type][value=osm]").check()
        other.locator("main form").get_by_role("button", name=t("Sign up")).click()
        exists = t(
            "This mobile number cannot sign up again. If it is yours, log in. If an officer "
            "registered you, enter the activation code from the slip they gave you."
        )
        expect(other.get_by_text(exists)).to_be_visible()
        other.get_by_label(t("Password"), exact=True).fill("attacker-pw-9")
        other.get_by_label(t("Password again"), exact=True).fill("attacker-pw-9")
        other.get_by_label(t("Activation code"), exact=True).fill("ABCDE-23456")
        other.locator("main form").get_by_role("button", name=t("Sign up")).click()
        wrong = t(
            "The mobile number or activation code is wrong, or the code has expired. "
            "Ask your officer for a new slip."
        )
        expect(other.get_by_text(wrong)).to_be_visible()
        assert not _has_password(server, volunteer_phone)

        # The volunteer scans the slip's QR: /claim#CODE fills the code in, and sets a password.
        other.context.clear_cookies()
        other.goto(f"{server.url}/claim#{code}")
        field = other.get_by_label(t("Activation code"), exact=True)
        expect(field).to_have_value(code)
        assert "#" not in other.url  # the code leaves the address bar
        other.get_by_label(t("Mobile number"), exact=True).fill(volunteer_phone)
        other.get_by_label(t("Password"), exact=True).fill("my-own-pass-5")
        other.get_by_label(t("Password again"), exact=True).fill("my-own-pass-5")
        other.get_by_role("button", name=t("Set my password")).click()
        expect(other.get_by_text("บัวผัน ลงทะเบียน").first).to_be_visible()
        assert "/claim" not in other.url
        assert _has_password(server, volunteer_phone)
    finally:
        context.close()
