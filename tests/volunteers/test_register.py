"""An officer registers one volunteer by form: no password, masked ID, village in the area."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.db import get_session
from app.volunteers.idcard import id_hash

from .conftest import MUEANG, MUEANG_SUB, PUA, SECRET, new_id

URL = "/officer/volunteers/new"


def _form(village_id: int, **overrides) -> dict:
    data = {
        "full_name": "บุญมี ลงทะเบียน",
        "phone": "089-955-0001",
        "volunteer_type": "osm",
        "village": str(village_id),
        "national_id": "",
    }
    data.update(overrides)
    return data


def _volunteers(app) -> int:
    with app.app_context():
        return get_session().scalar(
            select(func.count()).select_from(User).where(User.role == "volunteer")
        )


def test_the_form_offers_only_the_villages_of_the_officers_area(officer_client, village_codes):
    page = officer_client(MUEANG).get(URL).get_data(as_text=True)
    assert "<optgroup" in page and "ต.ในเวียง" in page
    assert "อ.ปัว" not in page
    sub_page = officer_client(MUEANG_SUB).get(URL).get_data(as_text=True)
    assert "ต.ในเวียง" in sub_page and "ต.บ่อ" not in sub_page


def test_registering_creates_an_unclaimed_volunteer_with_a_masked_id(
    app, officer_client, village_codes, village_id
):
    officer = officer_client(MUEANG)
    village = village_id(village_codes[MUEANG_SUB][0])
    number = new_id()
    dashed = f"{number[0]}-{number[1:5]}-{number[5:10]}-{number[10:12]}-{number[12]}"
    response = officer.post(URL, data=_form(village, national_id=dashed))
    assert response.status_code == 200  # the activation slip, shown this once
    with app.app_context():
        user = get_session().scalar(select(User).where(User.phone == "0899550001"))
        assert user.full_name == "บุญมี ลงทะเบียน"
        assert user.role == "volunteer" and user.volunteer_type == "osm"
        assert user.village_id == village
        assert user.password_hash == "" and not user.has_password
        assert user.registered_by_id == officer.user_id
        assert user.national_id_masked == f"x-xxxx-xxxxx-{number[10:12]}-{number[12]}"
        assert user.national_id_hash == id_hash(SECRET, number)
    page = response.get_data(as_text=True)
    assert "บุญมี ลงทะเบียน is registered" in page and "data-activation-code" in page
    # Nobody can log in to the account before the volunteer claims it.
    login = app.test_client().post("/login", data={"phone": "0899550001", "password": ""})
    assert login.status_code == 200


def test_the_id_card_number_is_optional(app, officer_client, village_codes, village_id):
    village = village_id(village_codes[MUEANG_SUB][0])
    assert officer_client(MUEANG).post(URL, data=_form(village)).status_code == 200
    with app.app_context():
        user = get_session().scalar(select(User).where(User.phone == "0899550001"))
        assert user.national_id_masked is None and user.national_id_hash is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"national_id": "1234567890122"}, "This is not a valid ID card number"),
        ({"phone": "02-123-4567"}, "Enter a Thai mobile number"),
        ({"full_name": ""}, "This field is required"),
        ({"volunteer_type": "chief"}, "Not a valid choice"),
        ({"village": ""}, "Choose the village."),
    ],
)
def test_bad_input_is_a_form_message_and_saves_nothing(
    app, officer_client, village_codes, village_id, change, message
):
    village = village_id(village_codes[MUEANG_SUB][0])
    response = officer_client(MUEANG).post(URL, data=_form(village, **change))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _volunteers(app) == 0


def test_a_registered_mobile_is_refused(app, officer_client, village_codes, village_id):
    officer = officer_client(MUEANG)
    village = village_id(village_codes[MUEANG_SUB][0])
    officer.post(URL, data=_form(village))
    response = officer.post(URL, data=_form(village, full_name="อีกคน"))
    assert "This mobile number is registered already." in response.get_data(as_text=True)
    assert _volunteers(app) == 1


def test_a_registered_id_card_number_is_refused(app, officer_client, village_codes, village_id):
    officer = officer_client(MUEANG)
    village = village_id(village_codes[MUEANG_SUB][0])
    number = new_id()
    officer.post(URL, data=_form(village, national_id=number))
    again = _form(village, phone="0899550002", national_id=number)
    response = officer.post(URL, data=again)
    assert "This ID card number is registered already." in response.get_data(as_text=True)
    assert _volunteers(app) == 1


def test_a_village_outside_the_area_is_refused(app, officer_client, village_codes, village_id):
    pua_sub = next(code for code in village_codes if code.startswith(PUA))
    outside = village_id(village_codes[pua_sub][0])
    response = officer_client(MUEANG).post(URL, data=_form(outside))
    assert response.status_code == 200
    assert "Choose a village in your area." in response.get_data(as_text=True)
    assert _volunteers(app) == 0


def test_an_admin_may_register_in_any_village(app, officer_client, village_codes, village_id):
    pua_sub = next(code for code in village_codes if code.startswith(PUA))
    admin = officer_client(None, role=Role.ADMIN)
    response = admin.post(URL, data=_form(village_id(village_codes[pua_sub][0])))
    assert response.status_code == 200
    assert _volunteers(app) == 1
