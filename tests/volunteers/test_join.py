"""Signing up through a village's invitation code, and claiming an officer's registration."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.areas.models import Village
from app.auth.models import User
from app.db import get_session

from .conftest import MUEANG, MUEANG_SUB, OTHER_SUB, PUA

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


EXISTS = (
    "This mobile number cannot sign up again. If it is yours, log in. If an officer "
    "registered you, enter the activation code from the slip they gave you."
)
WRONG_CODE = "The mobile number or activation code is wrong, or the code has expired."


def _register(officer, app, village_code: str, phone: str = "0899700001") -> tuple[int, str]:
    """An officer registers the mobile; returns the account's id and its slip's code."""
    with app.app_context():
        village_id = get_session().scalar(select(Village.id).where(Village.code == village_code))
    response = officer.post(
        "/officer/volunteers/new",
        data={"full_name": "ชื่อ จากเจ้าหน้าที่", "phone": phone, "volunteer_type": "kpsm",
              "village": village_id},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    code = re.search(r"data-activation-code>([^<]+)<", response.get_data(as_text=True)).group(1)
    return _user(app, phone).id, code


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


def test_the_poster_and_a_mobile_number_do_not_claim_an_officers_registration(
    app, visitor, invited, officer_client
):
    """Defect 1: the poster's code and a volunteer's mobile used to take the account over."""
    _register(officer_client(MUEANG), app, invited)
    response = visitor.post(f"/join/{CODE}", data=_form(password="attacker-pw-9",
                                                        confirm="attacker-pw-9"))  # fmt: skip
    assert response.status_code == 200
    assert EXISTS in response.get_data(as_text=True)
    assert not _user(app, "0899700001").has_password
    refused = app.test_client().post(
        "/login", data={"phone": "0899700001", "password": "attacker-pw-9"}
    )
    assert refused.status_code == 200  # no way in


def test_joining_with_the_slips_code_claims_the_account_an_officer_registered(
    app, visitor, invited, officer_client, login
):
    registered, code = _register(officer_client(MUEANG), app, invited)
    response = visitor.post(
        f"/join/{CODE}", data=_form(full_name="ชื่อ ที่พิมพ์เอง", activation_code=code.lower())
    )
    assert response.status_code == 302
    user = _user(app, "0899700001")
    assert user.id == registered and user.has_password and user.activation_hash is None
    assert user.full_name == "ชื่อ จากเจ้าหน้าที่" and user.volunteer_type == "kpsm"
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(User).where(
            User.phone == "0899700001")) == 1  # fmt: skip
    login(app.test_client(), registered, password="s3cret-pass")


def test_an_activation_code_works_once(app, visitor, invited, officer_client):
    _, code = _register(officer_client(MUEANG), app, invited)
    assert visitor.post(f"/join/{CODE}", data=_form(activation_code=code)).status_code == 302
    other = app.test_client()
    other.post("/language", data={"lang": "en"})
    again = other.post(
        "/claim", data={"phone": "0899700001", "activation_code": code,
                        "password": "other-pass-12", "confirm": "other-pass-12"},
    )  # fmt: skip
    assert again.status_code == 200 and WRONG_CODE in again.get_data(as_text=True)


def test_a_wrong_or_expired_code_claims_nothing(app, visitor, invited, officer_client):
    _, code = _register(officer_client(MUEANG), app, invited)
    wrong = visitor.post(f"/join/{CODE}", data=_form(activation_code="ABCDE-23456"))
    assert wrong.status_code == 200 and WRONG_CODE in wrong.get_data(as_text=True)
    with app.app_context():
        user = get_session().scalar(select(User).where(User.phone == "0899700001"))
        user.activation_expires_at = datetime.now(UTC) - timedelta(minutes=1)
        get_session().commit()
    expired = visitor.post(f"/join/{CODE}", data=_form(activation_code=code))
    assert expired.status_code == 200 and WRONG_CODE in expired.get_data(as_text=True)
    assert not _user(app, "0899700001").has_password


def test_a_claimed_account_gets_the_same_answer_as_an_unclaimed_one(app, visitor, invited):
    visitor.post(f"/join/{CODE}", data=_form())
    visitor.post("/logout")
    other = app.test_client()
    other.post("/language", data={"lang": "en"})
    response = other.post(
        f"/join/{CODE}", data=_form(password="other-pass-1", confirm="other-pass-1")
    )
    assert response.status_code == 200
    assert EXISTS in response.get_data(as_text=True)
    login = app.test_client().post(
        "/login", data={"phone": "0899700001", "password": "other-pass-1"}
    )
    assert login.status_code == 200  # the password was not changed


def test_an_account_registered_in_another_village_is_not_claimed_without_its_code(
    app, visitor, invited, officer_client, village_codes
):
    _register(officer_client(MUEANG), app, village_codes[OTHER_SUB][0])
    response = visitor.post(f"/join/{CODE}", data=_form())
    assert response.status_code == 200
    assert EXISTS in response.get_data(as_text=True)
    assert not _user(app, "0899700001").has_password


def test_open_signup_does_not_claim_and_says_the_same(app, visitor, invited, officer_client):
    _register(officer_client(MUEANG), app, invited)
    with app.app_context():
        village_id = get_session().scalar(select(Village.id).where(Village.code == invited))
    response = visitor.post("/signup", data={**_form(), "village": str(village_id)})
    assert response.status_code == 200
    assert EXISTS in response.get_data(as_text=True)
    assert not _user(app, "0899700001").has_password


def test_the_claim_page_answers_alike_for_unknown_claimed_and_wrong(
    app, visitor, invited, officer_client
):
    _, code = _register(officer_client(MUEANG), app, invited)
    visitor.post(f"/join/{CODE}", data=_form(phone="0899700002"))  # a claimed account
    visitor.post("/logout")

    def claim(phone: str, activation: str):
        data = {"phone": phone, "activation_code": activation,
                "password": "my-own-pass-7", "confirm": "my-own-pass-7"}  # fmt: skip
        return visitor.post("/claim", data=data)

    for phone, activation in (("0899700009", code), ("0899700002", code), ("0899700001", "X")):
        answer = claim(phone, activation)
        assert answer.status_code == 200 and WRONG_CODE in answer.get_data(as_text=True)
    assert claim("0899700001", code).status_code == 302
    assert _user(app, "0899700001").has_password


def test_a_new_slip_replaces_the_old_code(app, visitor, invited, officer_client):
    officer = officer_client(MUEANG)
    user_id, old = _register(officer, app, invited)
    person = officer.get(f"/officer/volunteers/{user_id}").get_data(as_text=True)
    assert f'action="/officer/volunteers/{user_id}/activation"' in person
    response = officer.post(f"/officer/volunteers/{user_id}/activation")
    assert response.status_code == 200
    new = re.search(r"data-activation-code>([^<]+)<", response.get_data(as_text=True)).group(1)
    assert new != old
    refused = visitor.post(f"/join/{CODE}", data=_form(activation_code=old))
    assert WRONG_CODE in refused.get_data(as_text=True)
    assert visitor.post(f"/join/{CODE}", data=_form(activation_code=new)).status_code == 302
    # once claimed, no more slips; and another area's officer cannot make one
    person = officer.get(f"/officer/volunteers/{user_id}").get_data(as_text=True)
    assert "/activation" not in person
    assert officer.post(f"/officer/volunteers/{user_id}/activation").status_code == 409
    assert officer_client(PUA).post(f"/officer/volunteers/{user_id}/activation").status_code == 404


@pytest.mark.parametrize("code", ["ZZZZ2345", "short", "ABCD-EFG0"])
def test_an_unknown_code_is_not_found_with_a_friendly_message(visitor, invited, code):
    response = visitor.get(f"/join/{code}")
    assert response.status_code == 404
    assert "current poster" in response.get_data(as_text=True)
    assert visitor.post(f"/join/{code}", data=_form()).status_code == 404
