"""Registering volunteers leaves its audit trail: one event per registration, per confirmed
import (the created accounts as subjects, the row count as detail) and per new slip; never a
name, mobile or ID card number in the detail."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.auth.models import PersonalDataEvent, PersonalDataSubject, User
from app.db import get_session

from .conftest import MUEANG, MUEANG_SUB, new_id
from .test_import import csv_bytes, token, upload


def _events(app) -> list[tuple[str, int | None, list[int], dict]]:
    with app.app_context():
        session = get_session()
        found = []
        for e in session.scalars(select(PersonalDataEvent).order_by(PersonalDataEvent.id)):
            subjects = session.scalars(
                select(PersonalDataSubject.user_id)
                .where(PersonalDataSubject.event_id == e.id)
                .order_by(PersonalDataSubject.user_id)
            ).all()
            found.append((e.action, e.actor_id, list(subjects), e.detail))
        return found


def _ids(app, phones: list[str]) -> list[int]:
    with app.app_context():
        return sorted(get_session().scalars(select(User.id).where(User.phone.in_(phones))))


def test_registering_by_form_and_a_new_slip_are_recorded(
    app, officer_client, village_codes, village_id
):
    officer = officer_client(MUEANG)
    number = new_id()
    form = {
        "full_name": "บันทึก ลงทะเบียน",
        "phone": "0899560001",
        "volunteer_type": "osm",
        "village": str(village_id(village_codes[MUEANG_SUB][0])),
        "national_id": number,
    }
    assert officer.post("/officer/volunteers/new", data=form).status_code == 200
    [user_id] = _ids(app, ["0899560001"])
    assert officer.post(f"/officer/volunteers/{user_id}/activation").status_code == 200
    events = _events(app)
    assert events == [
        ("volunteer.register", officer.user_id, [user_id], {}),
        ("volunteer.slip", officer.user_id, [user_id], {}),
    ]
    text = json.dumps(events, ensure_ascii=False)
    assert "0899560001" not in text and number not in text and "บันทึก" not in text


def test_a_refused_registration_records_nothing(app, officer_client, village_codes, village_id):
    officer = officer_client(MUEANG)
    form = {
        "full_name": "ไม่ ผ่าน",
        "phone": "12",
        "volunteer_type": "osm",
        "village": str(village_id(village_codes[MUEANG_SUB][0])),
    }
    officer.post("/officer/volunteers/new", data=form)
    assert _events(app) == []


def test_a_confirmed_import_is_one_event_naming_the_created_accounts(
    app, officer_client, village_codes
):
    here = village_codes[MUEANG_SUB][0]
    rows = [[f"นำเข้า {i}", f"08995610{i:02d}", "osm", here, ""] for i in range(4)]
    officer = officer_client(MUEANG)
    page = upload(officer, csv_bytes(rows)).get_data(as_text=True)
    assert _events(app) == []  # the dry run discloses nothing new
    assert (
        officer.post("/officer/volunteers/import", data={"token": token(page)}).status_code == 200
    )
    created = _ids(app, [row[1] for row in rows])
    assert len(created) == 4
    assert _events(app) == [("volunteers.import", officer.user_id, created, {"rows": 4})]
