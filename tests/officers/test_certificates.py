"""Printable certificates: ready volunteers in scope, and areas in the current top 5."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.areas.models import Village
from app.db import get_session, utcnow
from app.readiness.models import Readiness, TrainingPlan

from .conftest import MUEANG, MUEANG_SUB, OTHER_SUB, PUA


@pytest.fixture
def people(app, plan, make_volunteer, train, village_codes):
    """A ready volunteer and a training one in ในเวียง, a ready one in ปัว; village
    households set so that only ในเวียง's first village (40) and ปัว's (40) are ranked."""
    here, second = village_codes[MUEANG_SUB]
    pua = village_codes[PUA + "01"][0]
    with app.app_context():
        session = get_session()
        session.execute(update(Village).values(households=0))
        for code in (here, pua, second):
            session.execute(update(Village).where(Village.code == code).values(households=40))
        session.commit()
    ready = make_volunteer(here, "สมศรี พร้อมแล้ว")
    train(ready, when=utcnow() - timedelta(days=2))
    learning = make_volunteer(here, "สมชาย กำลังเรียน")
    train(learning, passed=1)
    elsewhere = make_volunteer(pua, "สมหญิง ปัว")
    train(elsewhere)
    with app.app_context():
        code = get_session().scalar(select(Readiness.code).where(Readiness.user_id == ready))
    return {
        "ready": ready,
        "learning": learning,
        "elsewhere": elsewhere,
        "code": code,
        "village": here,
        "unranked": second,
        "plan": plan,
    }


def test_ready_volunteer_certificate_shows_name_code_and_thai_date(officer_client, people):
    client = officer_client(MUEANG)
    response = client.get(f"/officer/certificates/volunteer/{people['ready']}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "สมศรี พร้อมแล้ว" in html
    assert people["code"] in html
    assert "เกียรติบัตร" in html and "แผนการอบรม 2570" in html
    ready_day = utcnow() - timedelta(days=2)
    assert str(ready_day.year + 543) in html  # Buddhist era, even with the English UI
    assert "อ.เมืองน่าน" in html  # the issuing area
    assert "certificate.css" in html and "data-print" in html  # app.js prints on tap
    assert "<svg" in html  # the QR code to check the card


def test_confirmed_volunteer_certificate_says_so(officer_client, people, app):
    with app.app_context():
        session = get_session()
        record = session.scalar(select(Readiness).where(Readiness.user_id == people["ready"]))
        record.confirmed_at = utcnow()
        session.commit()
    html = officer_client(MUEANG).get(f"/officer/certificates/volunteer/{people['ready']}")
    assert "ยืนยันเป็นผู้จัดเก็บข้อมูล" in html.get_data(as_text=True)


def test_volunteer_still_training_gets_no_certificate(officer_client, people):
    response = officer_client(MUEANG).get(f"/officer/certificates/volunteer/{people['learning']}")
    assert response.status_code == 409
    assert "not passed" in response.get_data(as_text=True)


def test_expired_readiness_gets_no_certificate(officer_client, people, app):
    with app.app_context():
        session = get_session()
        plan = session.get(TrainingPlan, people["plan"])
        plan.expires_on = (utcnow() - timedelta(days=3)).date()
        session.commit()
    response = officer_client(MUEANG).get(f"/officer/certificates/volunteer/{people['ready']}")
    assert response.status_code == 409


@pytest.mark.parametrize("who", ["elsewhere", "missing", "officer"])
def test_volunteer_outside_the_scope_is_not_found(officer_client, people, who):
    client = officer_client(MUEANG)
    user_id = {"elsewhere": people["elsewhere"], "missing": 999999, "officer": client.user_id}[who]
    assert client.get(f"/officer/certificates/volunteer/{user_id}").status_code == 404


def test_admin_may_print_any_ready_volunteer(officer_client, people):
    from app.auth.models import Role

    client = officer_client(None, role=Role.ADMIN)
    response = client.get(f"/officer/certificates/volunteer/{people['elsewhere']}")
    assert response.status_code == 200
    assert "จ.น่าน" in response.get_data(as_text=True)  # issued for the province


def test_volunteer_cannot_open_certificates(client, login, make_volunteer, people):
    login(client, people["ready"])
    assert client.get(f"/officer/certificates/volunteer/{people['ready']}").status_code == 403


@pytest.mark.parametrize(
    ("level", "code_of", "name"),
    [
        ("village", lambda p: p["village"], "หมู่ 1"),
        ("subdistrict", lambda p: MUEANG_SUB, "ต.ในเวียง"),
        ("district", lambda p: MUEANG, "อ.เมืองน่าน"),
    ],
)
def test_top_five_area_certificate(officer_client, people, level, code_of, name):
    response = officer_client(MUEANG).get(f"/officer/certificates/{level}/{code_of(people)}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert name in html and "อันดับที่ 1" in html
    assert "ร้อยละ 100" in html if level == "village" else "ร้อยละ 50" in html


@pytest.mark.parametrize(
    ("level", "code_of"),
    [
        ("village", lambda p: p["unranked"]),  # needs 1, has none ready
        ("subdistrict", lambda p: OTHER_SUB),  # needs none
        ("village", lambda p: "55019999"),  # no such village
        ("province", lambda p: "55"),  # not a ranked level
    ],
)
def test_area_not_in_the_top_five_has_no_certificate(officer_client, people, level, code_of):
    response = officer_client(MUEANG).get(f"/officer/certificates/{level}/{code_of(people)}")
    assert response.status_code == 404


def test_area_outside_the_scope_has_no_certificate(officer_client, people):
    client = officer_client(MUEANG)
    assert client.get(f"/officer/certificates/district/{PUA}").status_code == 404
    assert officer_client("55").get(f"/officer/certificates/district/{PUA}").status_code == 200


def test_sixth_area_has_no_certificate(
    officer_client, plan, make_volunteer, train, village_codes, app
):
    codes = [c for sub in sorted(village_codes) for c in village_codes[sub]][:6]
    with app.app_context():
        session = get_session()
        session.execute(update(Village).values(households=0))
        session.execute(update(Village).where(Village.code.in_(codes)).values(households=40))
        session.commit()
    for index, code in enumerate(codes):
        train(make_volunteer(code, f"คนที่ {index}"), when=utcnow() - timedelta(days=10 - index))
    client = officer_client("55")
    assert client.get(f"/officer/certificates/village/{codes[4]}").status_code == 200
    assert client.get(f"/officer/certificates/village/{codes[5]}").status_code == 404
