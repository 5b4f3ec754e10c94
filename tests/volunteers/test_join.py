"""Signing up through a village's invitation code, and claiming an officer's registration."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.areas.models import Village
from app.auth.models import User
from app.db import get_session

from .conftest import MUEANG, MUEANG_SUB, OTHER_SUB

CODE = "JNVTE234"


@pytest.fixture
def invited(app, village_codes) -> str:
    """The first village of ต.ในเวียง, with the invitation code CODE; returns its code."""
    village = village_codes[MUEANG_SUB][0]
    with app.app_context():
        session = get_session()
        session.scalar(select(Village).where(Village.code == village)).invite_code = CODE
        session.commit()
    return village


@pytest.fixture
def visitor(app):
    client = app.test_client()
    client.post("/language", data={"lang": "en"})
    return client


def _form(**overrides) -> dict:
    data = {
        "full_name": "ชวน มาเรียน",
        "phone": "0899700001",
        "password": "s3cret-pass",
        "confirm": "s3cret-pass",
        "volunteer_type": "osm",
    }
    data.update(overrides)
    return data


def _user(app, phone: str) -> User | None:
    with app.app_context():
        user = get_session().scalar(select(User).where(User.phone == phone))
        if user is not None:
            get_session().expunge(user)
        return user


def _register(officer, app, village_code: str, phone: str = "0899700001") -> int:
    with app.app_context():
        village_id = get_session().scalar(select(Village.id).where(Village.code == village_code))
    response = officer.post(
        "/officer/volunteers/new",
        data={"full_name": "ชื่อ จากเจ้าหน้าที่", "phone": phone, "volunteer_type": "kpsm",
              "village": village_id},
    )  # fmt: skip
    assert response.status_code == 302
    return _user(app, phone).id


def test_the_join_page_shows_its_village_and_offers_no_choice(visitor, invited):
    page = visitor.get(f"/join/{CODE}").get_data(as_text=True)
    assert "ต.ในเวียง" in page and "จ.น่าน" in page
    assert 'name="village"' not in page and 'name="district"' not in page


def test_joining_signs_up_into_the_village_and_logs_in(app, visitor, invited):
    response = visitor.post(f"/join/{CODE.lower()}", data=_form())
    assert response.status_code == 302
    user = _user(app, "0899700001")
    with app.app_context():
        assert get_session().get(Village, user.village_id).code == invited
    assert user.role == "volunteer" and user.has_password and user.registered_by_id is None
    assert "ชวน มาเรียน" in visitor.get("/").get_data(as_text=True)


def test_joining_claims_the_account_an_officer_registered(
    app, visitor, invited, officer_client, login
):
    registered = _register(officer_client(MUEANG), app, invited)
    response = visitor.post(f"/join/{CODE}", data=_form(full_name="ชื่อ ที่พิมพ์เอง"))
    assert response.status_code == 302
    user = _user(app, "0899700001")
    assert user.id == registered and user.has_password
    assert user.full_name == "ชื่อ จากเจ้าหน้าที่" and user.volunteer_type == "kpsm"
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(User).where(
            User.phone == "0899700001")) == 1  # fmt: skip
    login(app.test_client(), registered, password="s3cret-pass")


def test_a_claimed_account_is_told_to_log_in(app, visitor, invited):
    visitor.post(f"/join/{CODE}", data=_form())
    visitor.post("/logout")
    other = app.test_client()
    other.post("/language", data={"lang": "en"})
    response = other.post(
        f"/join/{CODE}", data=_form(password="other-pass-1", confirm="other-pass-1")
    )
    assert response.status_code == 200
    assert "This mobile number already has an account. Log in." in response.get_data(as_text=True)
    login = app.test_client().post(
        "/login", data={"phone": "0899700001", "password": "other-pass-1"}
    )
    assert login.status_code == 200  # the password was not changed


def test_an_account_registered_in_another_village_is_not_claimed(
    app, visitor, invited, officer_client, village_codes
):
    _register(officer_client(MUEANG), app, village_codes[OTHER_SUB][0])
    response = visitor.post(f"/join/{CODE}", data=_form())
    assert response.status_code == 200
    assert "registered this mobile number in another village" in response.get_data(as_text=True)
    assert not _user(app, "0899700001").has_password


def test_open_signup_does_not_claim_but_points_to_the_invitation(
    app, visitor, invited, officer_client
):
    _register(officer_client(MUEANG), app, invited)
    with app.app_context():
        village_id = get_session().scalar(select(Village.id).where(Village.code == invited))
    response = visitor.post("/signup", data={**_form(), "village": str(village_id)})
    assert response.status_code == 200
    assert "invitation QR code (ask your officer" in response.get_data(as_text=True)
    assert not _user(app, "0899700001").has_password


@pytest.mark.parametrize("code", ["ZZZZ2345", "short", "ABCD-EFG0"])
def test_an_unknown_code_is_not_found_with_a_friendly_message(visitor, invited, code):
    response = visitor.get(f"/join/{code}")
    assert response.status_code == 404
    assert "current poster" in response.get_data(as_text=True)
    assert visitor.post(f"/join/{code}", data=_form()).status_code == 404
