"""On a phone: a volunteer opens the device page from home and, only after ticking the
consent box, lets the page's script check the phone and post its summary (under the CSP)."""

from __future__ import annotations

import random

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.areas.models import Village
from app.auth.models import Role
from app.auth.services import create_user
from app.db import get_session
from app.mentoring.models import Device

from .conftest import PASSWORD, log_in, off_loop

pytestmark = pytest.mark.e2e


@off_loop
def _volunteer(server) -> tuple[str, int]:
    with server.app.app_context():
        session = get_session()
        village = session.scalar(select(Village).order_by(Village.code))
        user = create_user(
            session, full_name="ใจดี มีเครื่อง", phone=f"0899{random.randrange(10**6):06d}",
            password=PASSWORD, role=Role.VOLUNTEER, volunteer_type="osm", village_id=village.id,
        )  # fmt: skip
        session.commit()
        return user.phone, user.id


@off_loop
def _device(server, user_id: int) -> Device | None:
    with server.app.app_context():
        device = get_session().get(Device, user_id)
        if device is not None:
            get_session().expunge(device)
        return device


def test_the_phone_check_runs_only_with_consent(browser, page: Page, live_server):
    server, t = live_server, live_server.t
    phone, user_id = _volunteer(server)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, server, phone)
    page.get_by_role("link", name=t("Tell us which device you use")).click()
    button = page.get_by_role("button", name=t("Check and send"))
    button.click()  # no consent: the server refuses, nothing is checked
    expect(page.get_by_text(t("Tick the box to agree before the check."))).to_be_visible()
    assert _device(server, user_id) is None

    page.get_by_label(
        t("I agree that this page checks this phone and sends the summary above")
    ).check()
    page.get_by_role("button", name=t("Check and send")).click()
    expect(page.get_by_text(t("The check of this phone is recorded."))).to_be_visible()
    device = _device(server, user_id)
    assert device is not None and device.kind == "own"
    assert device.browser.startswith("Chrome ") and "Mozilla" not in device.browser
    assert device.offline_ok is True and device.free_mb is not None
    assert not [e for e in errors if "Content Security Policy" in e]
