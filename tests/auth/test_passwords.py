"""The minimum password policy: length, the commonest passwords, the user's own mobile."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.areas.models import Village
from app.auth.models import User
from app.auth.passwords import password_problem
from app.db import get_session

from ..conftest import thai

PHONE = "0899710001"
COMMON = "This password is too common and easy to guess. Choose another."
OWN_MOBILE = "Do not use your mobile number as your password."


@pytest.mark.parametrize(
    "password",
    ["12345678", "PASSWORD1", "qwertyuiop", "iloveyou", "aaaaaaaaaa", "abababab", "1q2w3e4r"],
)
def test_the_commonest_passwords_are_refused(app, password):
    with app.test_request_context():
        assert password_problem(password, PHONE) == thai(app, COMMON)


@pytest.mark.parametrize("password", [PHONE, "089-971-0001", "+66899710001", "my0899710001"])
def test_the_users_own_mobile_is_refused(app, password):
    with app.test_request_context():
        assert password_problem(password, PHONE) == thai(app, OWN_MOBILE)


def test_short_passwords_are_refused_and_good_ones_pass(app):
    with app.test_request_context():
        assert password_problem("ab1!", PHONE) == thai(app, "Use at least 8 characters.")
        assert password_problem("ฝนตกที่น่าน2569", PHONE) is None
        assert password_problem("river-boat-77", PHONE) is None


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("12345678", "This password is too common and easy to guess. Choose another."),
        (PHONE, "Do not use your mobile number as your password."),
    ],
)
def test_signup_refuses_them_in_thai(app, client, areas, password, message):
    with app.app_context():
        village_id = get_session().scalar(select(Village.id).limit(1))
    response = client.post(
        "/signup",
        data={"full_name": "คน ใหม่", "phone": PHONE, "password": password, "confirm": password,
              "volunteer_type": "osm", "village": str(village_id)},
    )  # fmt: skip
    assert response.status_code == 200
    assert thai(app, message) in response.get_data(as_text=True)
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(User)) == 0


def test_the_claim_page_applies_the_policy_too(app, client, areas):
    response = client.post(
        "/claim",
        data={"phone": PHONE, "activation_code": "ABCDE-23456", "password": "password",
              "confirm": "password"},
    )  # fmt: skip
    assert thai(app, "This password is too common and easy to guess. Choose another.") in (
        response.get_data(as_text=True)
    )
