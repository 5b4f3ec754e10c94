"""Devices (ต3): the volunteer records their device and, with consent, the phone's check;
officers see per village who lacks a usable device."""

from __future__ import annotations

from sqlalchemy import select

from app.areas.models import Village
from app.db import get_session
from app.mentoring.models import Device

from ..conftest import MUEANG_SUB, PUA, thai


def _village(app, sub=MUEANG_SUB):
    with app.app_context():
        stmt = select(Village.code).where(Village.subdistrict_code == sub).order_by(Village.code)
        return get_session().scalar(stmt)


def _device(app, user_id):
    with app.app_context():
        device = get_session().get(Device, user_id)
        if device is not None:
            get_session().expunge(device)
        return device


def test_home_links_to_the_device_page_and_the_volunteer_records_theirs(
    app, areas, make_volunteer, login, client
):
    uid = make_volunteer(_village(app))
    login(client, uid)
    home = client.get("/").get_data(as_text=True)
    assert thai(app, "Tell us which device you use") in home
    page = client.get("/device")
    assert page.status_code == 200
    assert thai(app, "Check this phone") in page.get_data(as_text=True)
    assert "<script>" not in page.get_data(as_text=True)  # the check is in static/js
    assert client.post("/device", data={"kind": "tablet"}).status_code == 400
    assert _device(app, uid) is None
    assert client.post("/device", data={"kind": "shared"}).status_code == 302
    assert _device(app, uid).kind == "shared"
    assert thai(app, "My device") in client.get("/").get_data(as_text=True)


def test_the_phone_check_is_recorded_only_with_consent(app, areas, make_volunteer, login, client):
    uid = make_volunteer(_village(app))
    login(client, uid)
    summary = {"browser": "Chrome 120 / Android", "free_mb": "2048", "offline_ok": "yes"}
    refused = client.post("/device/check", data=summary)
    assert refused.status_code == 400
    assert thai(app, "Tick the box to agree before the check.") in refused.get_data(as_text=True)
    assert _device(app, uid) is None

    assert client.post("/device/check", data={**summary, "consent": "y"}).status_code == 302
    device = _device(app, uid)
    assert (device.kind, device.browser, device.free_mb, device.check_ok) == (
        "own", "Chrome 120 / Android", 2048, True,
    )  # fmt: skip

    # A phone nearly full fails the check; a full user agent is cut to a summary.
    client.post(
        "/device/check",
        data={"browser": "Mozilla/5.0 <script>" + "x" * 80, "free_mb": "50", "offline_ok": "yes",
              "consent": "y"},
    )  # fmt: skip
    device = _device(app, uid)
    assert device.check_ok is False and len(device.browser) <= 40 and "<" not in device.browser

    # Without script the hidden fields stay empty: nothing is recorded as checked.
    empty = client.post("/device/check", data={"consent": "y"})
    assert empty.status_code == 400
    assert thai(app, "The check did not run: turn on JavaScript and try again.") in (
        empty.get_data(as_text=True)
    )


def test_officers_see_who_lacks_a_usable_device_in_their_area(
    app, areas, make_volunteer, login, officer_client
):
    village = _village(app)
    people = {kind: make_volunteer(village, f"{kind} ทดสอบ") for kind in ("own", "shared", "none")}
    silent = make_volunteer(village, "ยังไม่แจ้ง ทดสอบ")
    elsewhere = make_volunteer(_village(app, PUA + "01"), "อำเภออื่น ทดสอบ")
    for kind, uid in [*people.items(), ("none", elsewhere)]:
        client = app.test_client()
        login(client, uid)
        client.post("/device", data={"kind": kind})
    page = officer_client(MUEANG_SUB).get("/officer/mentoring/devices").get_data(as_text=True)
    assert "shared ทดสอบ · ใช้เครื่องร่วมกับผู้อื่น" in page
    assert "none ทดสอบ · ไม่มีอุปกรณ์" in page
    assert "ยังไม่แจ้ง ทดสอบ" in page
    assert "own ทดสอบ" not in page and "อำเภออื่น ทดสอบ" not in page
    assert silent
    # Device gaps show on the mentor-visit list too.
    visits = officer_client(MUEANG_SUB).get("/officer/mentoring").get_data(as_text=True)
    assert "ไม่มีอุปกรณ์สำหรับเรียน/เก็บข้อมูล" in visits
