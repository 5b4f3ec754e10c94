"""An officer prints a ready volunteer's certificate; its QR code, as the browser draws it,
scans, and the link it holds opens the public check for anyone, logged in or not."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from app.areas.models import Village
from app.auth.models import Role
from app.auth.services import create_user
from app.db import get_session
from app.readiness.models import Readiness

from .conftest import PASSWORD, log_in, off_loop, record_passes
from .test_officer_dashboard import fresh_phone

pytestmark = pytest.mark.e2e


@off_loop
def _officer_and_ready_volunteer(server) -> tuple[str, int, str]:
    """A province officer of Nan and a volunteer who passed every quiz of the plan.
    Returns the officer's mobile, the volunteer's id and their certificate code."""
    with server.app.app_context():
        session = get_session()
        village = session.scalar(select(Village).order_by(Village.code).limit(1))
        officer = create_user(
            session,
            full_name="เจ้าหน้าที่ เกียรติบัตร",
            phone=fresh_phone(),
            password=PASSWORD,
            role=Role.OFFICER,
            area_code="55",
        )
        volunteer = create_user(
            session,
            full_name="สมศรี สแกนได้",
            phone=fresh_phone(),
            password=PASSWORD,
            volunteer_type="osm",
            village_id=village.id,
        )
        session.flush()
        record_passes(server, session, volunteer.id, server.plan_numbers)
        session.commit()
        code = session.scalar(select(Readiness.code).where(Readiness.user_id == volunteer.id))
        return officer.phone, volunteer.id, code


def quiet_zones(found, width: int, height: int) -> list[float]:
    """The blank margins around the decoded symbol, in modules (left, top, right, bottom)."""
    modules = 17 + 4 * int(found.extra["Version"])
    pos = found.position
    left, top = pos.top_left.x, pos.top_left.y
    right, bottom = pos.bottom_right.x, pos.bottom_right.y
    module = (right - left) / modules
    return [m / module for m in (left, top, width - right, height - bottom)]


def test_the_printed_qr_scans_and_opens_the_public_check(browser, live_server):
    server, t = live_server, live_server.t
    officer_phone, volunteer_id, code = _officer_and_ready_volunteer(server)

    officer = browser.new_context(locale="th-TH", device_scale_factor=4)
    stranger = browser.new_context(locale="th-TH")
    try:
        page = officer.new_page()
        log_in(page, server, officer_phone)
        page.goto(f"{server.url}/officer/certificates/volunteer/{volunteer_id}")
        page.emulate_media(media="print")
        qr = page.locator(".cert-qr svg")
        expect(qr).to_be_visible()
        shot = Image.open(io.BytesIO(qr.screenshot(scale="device"))).convert("L")
        found = zxingcpp.read_barcodes(shot)
        assert found, "the certificate's QR code, as drawn, does not scan"
        # Drawn whole: the 4-module quiet zone a scanner needs is inside the box, not cut off.
        margins = quiet_zones(found[0], *shot.size)
        assert min(margins) >= 3.5, margins
        url = urlsplit(found[0].text)
        assert url.path == f"/check/{code}"

        other = stranger.new_page()  # anyone, not logged in
        other.goto(server.url + url.path)
        check = other.locator("#certificate-check")
        expect(check).to_contain_text(t("This certificate is valid."))
        expect(check).to_contain_text("สม*** ส***")
        expect(other.locator("main")).not_to_contain_text("สแกนได้")
    finally:
        officer.close()
        stranger.close()
