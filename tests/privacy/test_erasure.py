"""An admin erases a volunteer's personal data: name, mobile and ID gone everywhere, the
account closed, the quiz attempts kept for the statistics; all of it or nothing, audited."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from app.areas.access import Scope
from app.auth.models import PersonalDataEvent, PersonalDataSubject, Role
from app.db import get_session
from app.officers.dashboard import pass_rates
from app.officers.filters import Filters
from app.readiness.models import TrainingPlan
from app.volunteers.idcard import id_hash

from ..conftest import thai
from .conftest import MUEANG, user_row

WORD = "ลบข้อมูล"
NAME = "ประภา ลบได้"
ID_NUMBER = "0999012345670"


@pytest.fixture
def person(app, make_user, village_of):
    """A volunteer with a masked ID, its hash and an activation code pending."""
    user_id = make_user(full_name=NAME, village_code=village_of)
    with app.app_context():
        session = get_session()
        user = session.get(type(user_row(app, user_id)), user_id)
        user.national_id_masked = "0-9990-12345-67-0"
        user.national_id_hash = id_hash("test-secret", ID_NUMBER)
        user.activation_hash = "a" * 64
        session.commit()
    return user_id


def erase(client, user_id, word=WORD):
    return client.post(f"/admin/volunteers/{user_id}/erase", data={"confirm": word})


def test_erasure_removes_name_mobile_and_id_from_the_row(app, admin_client, person):
    before = user_row(app, person)
    page = admin_client.get(f"/admin/volunteers/{person}/erase")
    assert page.status_code == 200 and NAME in page.get_data(as_text=True)
    response = erase(admin_client, person)
    assert response.status_code == 303
    after = user_row(app, person)
    row = " ".join(str(v) for v in vars(after).values())
    for secret in (NAME, before.phone, before.national_id_masked, before.national_id_hash):
        assert secret not in row
    assert after.full_name == f"ลบข้อมูลแล้ว #{person}"
    assert after.phone == f"X{person:09d}" and len(after.phone) == 10
    assert after.national_id_masked is None and after.national_id_hash is None
    assert after.activation_hash is None and after.password_hash == ""
    assert not after.active and after.erased_at is not None
    assert after.session_version == before.session_version + 1


def test_the_word_must_be_typed(app, admin_client, person):
    response = erase(admin_client, person, word="ok")
    assert response.status_code == 400
    assert user_row(app, person).full_name == NAME


def test_the_erased_volunteer_cannot_log_in_and_is_logged_out(
    app, client, login, person, admin_client
):
    phone = user_row(app, person).phone
    login(client, person)
    assert client.get("/account/data").status_code == 200
    erase(admin_client, person)
    assert client.get("/account/data").status_code == 302  # the session ended
    response = client.post("/login", data={"phone": phone, "password": "correct-horse-9"})
    assert response.status_code == 200  # the form again, with an error
    assert client.get("/account/data").status_code == 302


def test_officers_no_longer_see_the_erased_volunteer(app, officer_client, admin_client, person):
    phone = user_row(app, person).phone
    officer = officer_client(MUEANG)
    assert NAME in officer.get("/officer/volunteers").get_data(as_text=True)
    erase(admin_client, person)
    listing = officer.get("/officer/volunteers").get_data(as_text=True)
    assert NAME not in listing and f"ลบข้อมูลแล้ว #{person}" not in listing
    assert officer.get(f"/officer/volunteers/{person}").status_code == 404
    export = officer.get("/officer/volunteers/export.csv").get_data(as_text=True)
    cells = {cell for row in csv.reader(io.StringIO(export)) for cell in row}
    assert NAME not in cells and phone not in cells
    assert f"/officer/volunteers/{person}" not in officer.get(
        f"/officer/volunteers?q={phone}"
    ).get_data(as_text=True)
    assert NAME not in officer.get("/officer/volunteers/print").get_data(as_text=True)


def test_attempts_still_count_in_pass_rates(app, admin_client, person, add_attempt, make_plan):
    plan_id = make_plan([1])
    add_attempt(person, 1, score=90, passed=True)

    def rates():
        with app.app_context():
            session = get_session()
            plan = session.get(TrainingPlan, plan_id)
            (rate,) = pass_rates(
                session, plan=plan, scope=Scope("admin", None), filters=Filters(), volunteers=1
            )
            return rate

    before = rates()
    erase(admin_client, person)
    assert rates() == before


def test_erasure_is_audited_with_the_admin_as_actor(app, admin_client, person):
    erase(admin_client, person)
    with app.app_context():
        found = (
            get_session()
            .execute(
                select(
                    PersonalDataEvent.actor_id,
                    PersonalDataSubject.user_id,
                    PersonalDataEvent.detail,
                )
                .join(PersonalDataSubject)
                .where(PersonalDataEvent.action == "volunteer.erase")
            )
            .all()
        )
    assert found == [(admin_client.user_id, person, {})]


def test_erasure_is_all_or_nothing(app, admin_client, person, monkeypatch):
    """When the audit entry cannot be written, nothing of the erasure is kept."""
    from app.privacy import erasure

    def broken(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(erasure, "record", broken)
    with pytest.raises(RuntimeError):
        erase(admin_client, person)
    after = user_row(app, person)
    assert after.full_name == NAME and after.active and after.erased_at is None


def test_erasing_twice_answers_404(app, admin_client, person):
    erase(admin_client, person)
    assert erase(admin_client, person).status_code == 404


@pytest.mark.parametrize("role", [Role.OFFICER, Role.TRAINER, Role.VOLUNTEER])
def test_only_admins_may_erase(app, officer_client, make_user, login, person, role):
    if role is Role.OFFICER:
        client = officer_client(MUEANG)
    else:
        client = app.test_client()
        login(client, make_user(role, area_code=None))
    assert client.get(f"/admin/volunteers/{person}/erase").status_code == 403
    assert erase(client, person).status_code == 403
    assert user_row(app, person).full_name == NAME


def test_an_admin_sees_the_erase_link_on_the_volunteers_page(
    app, admin_client, officer_client, person
):
    url = f"/admin/volunteers/{person}/erase"
    assert url in admin_client.get(f"/officer/volunteers/{person}").get_data(as_text=True)
    officer = officer_client(MUEANG)
    assert url not in officer.get(f"/officer/volunteers/{person}").get_data(as_text=True)


def test_the_erase_page_is_in_thai(app, admin_client, person):
    admin_client.post("/language", data={"lang": "th"})
    page = admin_client.get(f"/admin/volunteers/{person}/erase").get_data(as_text=True)
    assert thai(app, "Erase the personal data") in page
