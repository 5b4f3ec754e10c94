"""Admins keep officer accounts: create one for a province, district or subdistrict, move
it to another area, reset its password, deactivate and reactivate it."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.db import get_session

from .conftest import MUEANG, MUEANG_SUB, PUA

NEW_PASSWORD = "officer-pass-1"


@pytest.fixture
def admin(officer_client: Callable[..., FlaskClient]) -> FlaskClient:
    """A logged-in admin, English UI."""
    return officer_client(None, role=Role.ADMIN)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def new_account(phone: str = "0899555001", **change: str) -> dict[str, str]:
    """The create form for a district officer of อ.เมืองน่าน, with changes."""
    data = {
        "full_name": "สมชาย พัฒนาการ",
        "phone": phone,
        "password": NEW_PASSWORD,
        "level": "district",
        "province": "",
        "district": MUEANG,
        "subdistrict": "",
    }
    return {**data, **change}


def officer_by_phone(app: Flask, phone: str) -> User | None:
    with app.app_context():
        return get_session().scalar(select(User).where(User.phone == phone))


def officer_count(app: Flask) -> int:
    with app.app_context():
        stmt = select(func.count()).select_from(User).where(User.role == Role.OFFICER.value)
        return get_session().scalar(stmt)


def can_log_in(app: Flask, phone: str, password: str = NEW_PASSWORD) -> FlaskClient | None:
    """A client logged in with these credentials, or None when the login is refused."""
    client = app.test_client()
    response = client.post("/login", data={"phone": phone, "password": password})
    return client if response.status_code == 302 else None


@pytest.mark.parametrize(
    ("level", "code", "label"),
    [
        ("province", "55", "จ.น่าน"),
        ("district", MUEANG, "อ.เมืองน่าน"),
        ("subdistrict", MUEANG_SUB, "ต.ในเวียง อ.เมืองน่าน"),
    ],
)
def test_admin_creates_an_officer_at_each_scope_level(app, admin, level, code, label):
    data = new_account(**{"level": level, "district": "", level: code})
    response = admin.post("/officer/accounts", data=data)
    assert response.status_code == 302, text(response)
    officer = officer_by_phone(app, "0899555001")
    assert officer.role == "officer" and officer.area_code == code and officer.active
    page = text(admin.get("/officer/accounts"))
    assert "สมชาย พัฒนาการ" in page and "0899555001" in page and label in page
    client = can_log_in(app, "0899555001")
    assert client is not None
    assert f"<strong>{label}</strong>" in text(client.get("/officer/"))


@pytest.mark.parametrize(
    ("change", "field_message"),
    [
        ({"district": "5599"}, "There is no such area."),
        ({"level": "subdistrict", "subdistrict": "559999"}, "There is no such area."),
        ({"level": "province", "province": "99"}, "There is no such area."),
        ({"level": "subdistrict", "subdistrict": ""}, "Choose the area."),
        ({"level": "village", "district": ""}, "Not a valid choice"),
        ({"password": "short"}, "At least 8 characters."),
        ({"phone": "12345"}, "Enter a Thai mobile number"),
        ({"full_name": ""}, "This field is required."),
    ],
)
def test_invalid_accounts_are_refused_with_a_message(app, admin, change, field_message):
    response = admin.post("/officer/accounts", data=new_account(**change))
    assert response.status_code == 200
    assert field_message in text(response)
    assert officer_count(app) == 0
    assert officer_by_phone(app, "0899555001") is None


def test_a_mobile_number_with_an_account_is_refused(app, admin):
    assert admin.post("/officer/accounts", data=new_account()).status_code == 302
    response = admin.post("/officer/accounts", data=new_account(full_name="คนอื่น"))
    assert "This mobile number already has an account." in text(response)
    assert officer_count(app) == 1


def _create(app: Flask, admin: FlaskClient, **change: str) -> int:
    assert admin.post("/officer/accounts", data=new_account(**change)).status_code == 302
    return officer_by_phone(app, change.get("phone", "0899555001")).id


def test_an_officer_moved_to_another_area_sees_the_new_scope(app, admin):
    officer_id = _create(app, admin)
    officer = can_log_in(app, "0899555001")
    assert "<strong>อ.เมืองน่าน</strong>" in text(officer.get("/officer/"))
    response = admin.post(
        f"/officer/accounts/{officer_id}",
        data={"action": "area", "level": "district", "district": PUA},
        follow_redirects=True,
    )
    assert "Area changed to อ.เวียงสา." in text(response)
    page = text(officer.get("/officer/"))
    assert "<strong>อ.เวียงสา</strong>" in page and "อ.เมืองน่าน" not in page
    response = admin.post(
        f"/officer/accounts/{officer_id}",
        data={"action": "area", "level": "district", "district": "5598"},
    )
    assert response.status_code == 200 and "There is no such area." in text(response)
    assert officer_by_phone(app, "0899555001").area_code == PUA


def test_the_edit_page_shows_the_current_area_selected(app, admin):
    officer_id = _create(app, admin, level="subdistrict", district="", subdistrict=MUEANG_SUB)
    page = text(admin.get(f"/officer/accounts/{officer_id}"))
    assert "ต.ในเวียง อ.เมืองน่าน" in page
    assert re.search(r'<input checked [^>]*value="subdistrict">', page)
    assert f'<option selected value="{MUEANG_SUB}">' in page


def test_a_deactivated_officer_cannot_log_in_until_reactivated(app, admin):
    officer_id = _create(app, admin)
    officer = can_log_in(app, "0899555001")
    response = admin.post(
        f"/officer/accounts/{officer_id}", data={"action": "deactivate"}, follow_redirects=True
    )
    assert "Account deactivated" in text(response)
    assert can_log_in(app, "0899555001") is None
    open_session = officer.get("/officer/")  # an open session ends too
    assert open_session.status_code == 302 and "/login" in open_session.headers["Location"]
    assert "Deactivated" in text(admin.get("/officer/accounts"))
    admin.post(f"/officer/accounts/{officer_id}", data={"action": "reactivate"})
    assert can_log_in(app, "0899555001") is not None


def test_admin_resets_an_officers_password(app, admin):
    officer_id = _create(app, admin)
    url = f"/officer/accounts/{officer_id}"
    response = admin.post(url, data={"action": "password", "new_password": "short"})
    assert response.status_code == 200 and "At least 8 characters." in text(response)
    assert can_log_in(app, "0899555001") is not None
    response = admin.post(url, data={"action": "password", "new_password": "brand-new-pass"})
    assert response.status_code == 302
    assert can_log_in(app, "0899555001") is None
    assert can_log_in(app, "0899555001", "brand-new-pass") is not None


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.TRAINER, Role.ADMIN])
def test_only_officer_accounts_can_be_edited_here(app, admin, make_user, role):
    other = make_user(role, full_name="ไม่ใช่ เจ้าหน้าที่")
    assert admin.get(f"/officer/accounts/{other}").status_code == 404
    response = admin.post(f"/officer/accounts/{other}", data={"action": "deactivate"})
    assert response.status_code == 404
    with app.app_context():
        assert get_session().get(User, other).active


def _account_urls(officer_id: int) -> list[tuple[str, str, dict]]:
    url = f"/officer/accounts/{officer_id}"
    return [
        ("GET", "/officer/accounts", {}),
        ("POST", "/officer/accounts", new_account(phone="0899555002")),
        ("GET", url, {}),
        ("POST", url, {"action": "deactivate"}),
        ("POST", url, {"action": "area", "level": "province", "province": "55"}),
        ("POST", url, {"action": "password", "new_password": "taken-over-1"}),
    ]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.TRAINER, Role.VOLUNTEER])
def test_other_roles_are_refused_every_account_page(app, admin, make_user, login, role):
    officer_id = _create(app, admin)
    client = app.test_client()
    login(client, make_user(role, area_code="55" if role is Role.OFFICER else None))
    for method, url, data in _account_urls(officer_id):
        response = client.open(url, method=method, data=data)
        assert response.status_code == 403, f"{method} {url}: {response.status_code}"
    officer = officer_by_phone(app, "0899555001")
    assert officer.active and officer.area_code == MUEANG
    assert officer_by_phone(app, "0899555002") is None
    assert can_log_in(app, "0899555001") is not None


def test_anonymous_visitors_are_sent_to_log_in(app, admin):
    officer_id = _create(app, admin)
    client = app.test_client()
    for method, url, data in _account_urls(officer_id):
        response = client.open(url, method=method, data=data)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    assert officer_by_phone(app, "0899555001").active
    assert officer_by_phone(app, "0899555002") is None
