"""A volunteer signs up with a village and a volunteer type."""

from __future__ import annotations

from sqlalchemy import func, select

from app.areas.models import Village
from app.auth.models import User
from app.db import get_session

from ..conftest import thai


def _village_id(app):
    with app.app_context():
        return get_session().scalar(select(Village.id).order_by(Village.code).limit(1))


def _form(app, **overrides):
    data = {
        "full_name": "มาลี ใจดี",
        "phone": "089-900-1122",
        "password": "s3cret-pass",
        "confirm": "s3cret-pass",
        "volunteer_type": "osm",
        "village": str(_village_id(app)),
    }
    data.update(overrides)
    return data


def test_signup_page_offers_nan_districts_subdistricts_and_villages(client, areas):
    page = client.get("/signup").get_data(as_text=True)
    assert "เมืองน่าน" in page and "ในเวียง" in page and "บ่อสวก" in page
    assert 'data-subdistrict="550101"' in page


def test_signup_creates_a_logged_in_volunteer_with_a_normalised_phone(app, client, areas):
    response = client.post("/signup", data=_form(app))
    assert response.status_code == 302
    with app.app_context():
        user = get_session().scalar(select(User).where(User.full_name == "มาลี ใจดี"))
        assert user.phone == "0899001122"
        assert user.role == "volunteer" and user.volunteer_type == "osm"
        assert user.village.subdistrict.district.name_th == "เมืองน่าน"
        assert "s3cret-pass" not in user.password_hash
    assert "มาลี ใจดี" in client.get("/").get_data(as_text=True)


def test_a_registered_phone_cannot_sign_up_twice(app, client, areas):
    client.post("/signup", data=_form(app))
    client.post("/logout")
    response = client.post("/signup", data=_form(app, full_name="คนอื่น"))
    assert response.status_code == 200
    message = thai(
        app,
        "This mobile number cannot sign up again. If it is yours, log in. If an officer "
        "registered you, enter the activation code from the slip they gave you.",
    )
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(User)) == 1


def test_bad_input_gets_messages_in_the_form_and_saves_nothing(app, client, areas):
    bad = _form(app, phone="02-123-4567", confirm="different", village="abc", volunteer_type="x")
    response = client.post("/signup", data=bad)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count('class="error"') >= 3
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(User)) == 0


def test_unknown_village_is_a_form_error(app, client, areas):
    response = client.post("/signup", data=_form(app, village="999999"))
    assert response.status_code == 200
    assert 'class="error"' in response.get_data(as_text=True)
