"""Becoming ready: passing every indicator of the active plan, recorded once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.auth.models import Role
from app.db import get_session
from app.readiness.models import Readiness

from ..conftest import correct_answers, thai, wrong_answers


def _pass(app, client, number, right=True) -> None:
    location = client.post(f"/indicators/{number}/quiz").headers["Location"]
    attempt_id = int(re.search(r"/attempts/(\d+)", location).group(1))
    answers = (correct_answers if right else wrong_answers)(app, attempt_id)
    client.post(f"/attempts/{attempt_id}", data=answers)


@pytest.fixture
def plan_numbers(areas, make_indicator, make_quiz, make_plan) -> list[int]:
    """Two indicators with a lesson and a quiz, the active plan's."""
    numbers = [make_indicator(), make_indicator()]
    for number in numbers:
        make_quiz(number)
    make_plan(numbers)
    return numbers


@pytest.fixture
def volunteer(client, make_user, login) -> int:
    user_id = make_user(full_name="บุญมี ขยันเรียน")
    login(client, user_id)
    return user_id


def _readiness(app, user_id):
    with app.app_context():
        return get_session().scalars(select(Readiness).where(Readiness.user_id == user_id)).all()


def test_home_shows_the_plan_with_badges_progress_and_continue(
    app, client, plan_numbers, volunteer
):
    page = client.get("/").get_data(as_text=True)
    assert thai(app, "%(passed)d of %(total)d lessons passed", passed=0, total=2) in page
    assert page.count(thai(app, "Not started")) == 2
    first, second = plan_numbers
    assert f'href="/indicators/{first}">' in page  # continue goes to the first one
    _pass(app, client, first, right=False)
    page = client.get("/").get_data(as_text=True)
    assert thai(app, "In progress") in page
    _pass(app, client, first)
    page = client.get("/").get_data(as_text=True)
    assert thai(app, "%(passed)d of %(total)d lessons passed", passed=1, total=2) in page
    unit = thai(app, "Indicator %(number)d", number=second)
    assert thai(app, "Continue: %(unit)s", unit=unit) in page


def test_passing_every_plan_indicator_makes_the_volunteer_ready_once(
    app, client, plan_numbers, volunteer
):
    first, second = plan_numbers
    _pass(app, client, first)
    assert _readiness(app, volunteer) == []
    _pass(app, client, second)
    records = _readiness(app, volunteer)
    assert len(records) == 1
    ready_at, code = records[0].ready_at, records[0].code
    _pass(app, client, second)  # practising again changes nothing
    records = _readiness(app, volunteer)
    assert len(records) == 1 and records[0].ready_at == ready_at and records[0].code == code
    assert thai(app, "You are ready to collect data") in client.get("/").get_data(as_text=True)


def test_the_readiness_card_shows_name_village_plan_buddhist_date_and_code(
    app, client, plan_numbers, volunteer
):
    for number in plan_numbers:
        _pass(app, client, number)
    record = _readiness(app, volunteer)[0]
    page = client.get("/ready").get_data(as_text=True)
    assert "บุญมี ขยันเรียน" in page and "แผนทดสอบ" in page and record.code in page
    assert "หมู่ 1" in page and "อ.เมืองน่าน" in page
    local_year = record.ready_at.year  # Bangkok is UTC+7: the same year except at New Year
    assert str(local_year + 543) in page or str(local_year + 544) in page
    assert str(local_year) not in page.split(record.code)[0].split("<dl")[1]


def test_a_failed_quiz_does_not_count_towards_readiness(app, client, plan_numbers, volunteer):
    for number in plan_numbers:
        _pass(app, client, number, right=False)
    assert _readiness(app, volunteer) == []
    page = client.get("/ready").get_data(as_text=True)
    assert (
        thai(
            app,
            "You are not ready yet: %(left)d lessons of the plan still need a passed quiz.",
            left=2,
        )
        in page
    )


def test_an_officer_checks_a_code_within_their_area(
    app, client, plan_numbers, volunteer, make_user, login
):
    for number in plan_numbers:
        _pass(app, client, number)
    code = _readiness(app, volunteer)[0].code
    officer = app.test_client()
    login(officer, make_user(Role.OFFICER, area_code="55"))
    page = officer.get(f"/verify?code={code.lower().replace('-', '')}").get_data(as_text=True)
    assert "บุญมี ขยันเรียน" in page
    elsewhere = app.test_client()
    login(elsewhere, make_user(Role.OFFICER, area_code="5602"))
    page = elsewhere.get(f"/verify?code={code}").get_data(as_text=True)
    assert "บุญมี ขยันเรียน" not in page
    assert thai(app, "No readiness card has this code.") in page


def test_volunteers_cannot_open_the_officers_check(client, volunteer):
    assert client.get("/verify?code=ABCD-EFGH").status_code == 403


def test_only_one_readiness_row_per_user_and_plan(app, client, plan_numbers, volunteer):
    for number in plan_numbers:
        _pass(app, client, number)
    with app.app_context():
        count = get_session().scalar(select(func.count()).select_from(Readiness))
    assert count == 1
