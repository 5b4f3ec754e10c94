"""Logging in and out, protected pages, CSRF."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.db import get_session

from ..conftest import PASSWORD, thai


def _phone(app, user_id):
    with app.app_context():
        return get_session().get(User, user_id).phone


def test_password_is_stored_hashed(app, areas, make_user):
    user_id = make_user()
    with app.app_context():
        stored = get_session().get(User, user_id).password_hash
    assert PASSWORD not in stored and stored.startswith("pbkdf2:")


def test_login_with_any_common_phone_format(app, client, areas, make_user):
    user_id = make_user()
    phone = _phone(app, user_id)
    typed = f"+66 {phone[1:3]}-{phone[3:6]}-{phone[6:]}"
    response = client.post("/login", data={"phone": typed, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert "สมศรี ทดสอบ" in client.get("/").get_data(as_text=True)


def test_wrong_password_shows_a_message_in_the_form(app, client, areas, make_user):
    phone = _phone(app, make_user())
    response = client.post("/login", data={"phone": phone, "password": "nope-nope"})
    assert response.status_code == 200
    assert thai(app, "Mobile number or password is wrong.") in response.get_data(as_text=True)


def test_malformed_phone_is_a_form_error_not_a_500(client):
    response = client.post("/login", data={"phone": "12ab", "password": "x"})
    assert response.status_code == 200
    assert 'class="error"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/ready"), ("post", "/indicators/26/quiz"), ("get", "/attempts/1"),
     ("post", "/attempts/1"), ("get", "/attempts/1/result"), ("get", "/verify")],
)  # fmt: skip
def test_login_required(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_login_redirects_only_to_local_next(app, client, areas, make_user):
    phone = _phone(app, make_user())
    data = {"phone": phone, "password": PASSWORD, "next": "https://evil.example/x"}
    response = client.post("/login", data=data)
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login", data={**data, "next": "/ready"})
    assert response.headers["Location"] == "/ready"


def test_logout_is_a_post(app, client, areas, make_user, login):
    login(client, make_user())
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/ready").status_code == 302


def test_forms_refuse_a_post_without_csrf_token(app, areas, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    phone = _phone(app, make_user())
    response = client.post("/login", data={"phone": phone, "password": PASSWORD})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    with app.app_context():
        assert get_session().scalar(select(User).where(User.phone == phone)) is not None
    assert client.get("/ready").status_code == 302  # still logged out
