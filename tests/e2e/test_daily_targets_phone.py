"""The dashboard's daily targets on a 360-px phone: the section shows each district's target,
ready volunteers and place on the plan, and fits the screen without sideways scrolling."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select, update

from app.areas.models import Village
from app.auth.models import Role
from app.auth.services import create_user
from app.db import get_session, utcnow
from app.readiness.progress import today_bangkok
from app.readiness.services import active_plan

from .conftest import PASSWORD, PHONE_VIEWPORT, log_in, off_loop

pytestmark = pytest.mark.e2e


@off_loop
def _officer_with_deadline(server) -> str:
    """A province officer of Nan; the plan runs from 5 days ago to 10 days ahead and one
    village has 400 households. Returns the officer's mobile number."""
    with server.app.app_context():
        session = get_session()
        phone = f"0899{random.randrange(10**6):06d}"
        create_user(
            session,
            full_name="เจ้าหน้าที่ เป้าหมาย",
            phone=phone,
            password=PASSWORD,
            role=Role.OFFICER,
            area_code="55",
        )
        today = today_bangkok(utcnow())
        plan = active_plan(session)
        plan.passes_from = today - timedelta(days=5)
        plan.deadline = today + timedelta(days=10)
        first = session.scalar(select(Village.code).order_by(Village.code).limit(1))
        session.execute(update(Village).where(Village.code == first).values(households=400))
        session.commit()
        return phone


def test_daily_targets_fit_a_phone(live_server, page: Page, tmp_path: Path):
    phone = _officer_with_deadline(live_server)
    log_in(page, live_server, phone)
    page.goto(live_server.url + "/officer/dashboard")
    section = page.locator("#daily-targets")
    expect(section.get_by_role("heading", name=live_server.t("Daily targets"))).to_be_visible()
    expect(section).to_contain_text(live_server.t("%(n)s days behind", n=5))
    expect(section).to_contain_text(live_server.t("%(n)s days to go", n=10))
    page.screenshot(path=str(tmp_path / "daily-targets-360.png"), full_page=True)
    widths = page.evaluate(
        """() => {
            const table = document.querySelector('#daily-targets table');
            return [document.documentElement.scrollWidth, table.scrollWidth,
                    table.parentElement.clientWidth];
        }"""
    )
    assert widths[0] <= PHONE_VIEWPORT["width"], "the page scrolls sideways"
    assert widths[1] <= widths[2], "the daily targets table needs sideways scrolling"
