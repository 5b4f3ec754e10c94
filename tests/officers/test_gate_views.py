"""Confirming data collectors through the pages, and a volunteer's detail and history."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from app.db import get_session, utcnow
from app.readiness.models import Readiness, TrainingPlan
from app.readiness.progress import activate_plan

from .conftest import MUEANG, MUEANG_SUB, PUA


def readiness(app, user_id: int) -> list[Readiness]:
    with app.app_context():
        return list(get_session().scalars(select(Readiness).where(Readiness.user_id == user_id)))


def test_ready_volunteer_is_confirmed(app, plan, make_volunteer, train, village_codes,
                                      officer_client):  # fmt: skip
    ready = make_volunteer(village_codes[MUEANG_SUB][0], "กนก พร้อม")
    train(ready)
    client = officer_client(MUEANG)
    response = client.post(f"/officer/volunteers/{ready}/confirm")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/officer/volunteers/{ready}"
    [record] = readiness(app, ready)
    assert record.confirmed_at is not None and record.confirmed_by_id == client.user_id
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "is confirmed as a data collector" in html
    assert 'class="badge state-confirmed"' in html
    assert "by เจ้าหน้าที่ ทดสอบ" in html


def test_forged_confirm_for_a_training_volunteer_is_refused(
    app, plan, make_volunteer, train, village_codes, officer_client
):
    learning = make_volunteer(village_codes[MUEANG_SUB][0], "ขวัญ ยังเรียน")
    train(learning, passed=2)
    client = officer_client(MUEANG)
    response = client.post(f"/officer/volunteers/{learning}/confirm", follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "was not confirmed: they have not passed every indicator" in html
    assert readiness(app, learning) == []
    assert 'class="badge state-training"' in html


def test_confirm_refused_once_the_plan_expired(
    app, plan, make_volunteer, train, village_codes, officer_client
):
    ready = make_volunteer(village_codes[MUEANG_SUB][0])
    train(ready)
    with app.app_context():
        session = get_session()
        session.get(TrainingPlan, plan).expires_on = date(2020, 1, 1)
        session.commit()
    client = officer_client(MUEANG)
    html = client.post(f"/officer/volunteers/{ready}/confirm", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Readiness under this plan has expired" in html
    assert readiness(app, ready)[0].confirmed_at is None


def test_other_districts_volunteer_is_not_found(
    app, plan, make_volunteer, train, village_codes, officer_client
):
    pua_sub = next(code for code in village_codes if code.startswith(PUA))
    far = make_volunteer(village_codes[pua_sub][0], "งาม ปัว")
    train(far)
    client = officer_client(MUEANG)
    assert client.post(f"/officer/volunteers/{far}/confirm").status_code == 404
    assert readiness(app, far)[0].confirmed_at is None
    assert client.get(f"/officer/volunteers/{far}").status_code == 404
    assert client.post(f"/officer/volunteers/{far}/unconfirm").status_code == 404
    assert client.get("/officer/volunteers/999999").status_code == 404
    # An officer's own account is no volunteer, even in the officer's own area.
    assert client.get(f"/officer/volunteers/{client.user_id}").status_code == 404


def test_redirect_follows_only_a_local_next(
    app, plan, make_volunteer, train, village_codes, officer_client
):
    ready = make_volunteer(village_codes[MUEANG_SUB][0])
    train(ready)
    client = officer_client(MUEANG)
    url = f"/officer/volunteers/{ready}/confirm"
    assert (
        client.post(url, data={"next": "https://evil.example/x"}).headers["Location"]
        == f"/officer/volunteers/{ready}"
    )
    assert (
        client.post(url, data={"next": "//evil.example/x"}).headers["Location"]
        == f"/officer/volunteers/{ready}"
    )
    local = "/officer/volunteers?state=ready"
    assert client.post(url, data={"next": local}).headers["Location"] == local


def test_unconfirm_withdraws_and_keeps_ready(
    app, plan, make_volunteer, train, village_codes, officer_client
):
    ready = make_volunteer(village_codes[MUEANG_SUB][0])
    train(ready)
    client = officer_client(MUEANG)
    client.post(f"/officer/volunteers/{ready}/confirm")
    assert readiness(app, ready)[0].confirmed_at is not None
    client.post(f"/officer/volunteers/{ready}/unconfirm")
    [record] = readiness(app, ready)
    assert record.confirmed_at is None and record.confirmed_by_id is None
    html = client.get(f"/officer/volunteers/{ready}").get_data(as_text=True)
    assert 'class="badge state-ready"' in html


def test_detail_shows_history_across_two_plans(
    app, plan, make_volunteer, train, village_codes, officer_client
):
    person = make_volunteer(village_codes[MUEANG_SUB][0], "สมศรี สองแผน")
    train(person, when=datetime(2026, 3, 1, 3, 0, tzinfo=UTC))
    client = officer_client(MUEANG)
    client.post(f"/officer/volunteers/{person}/confirm")
    with app.app_context():
        session = get_session()
        first = session.get(TrainingPlan, plan)
        second = TrainingPlan(
            slug="second",
            name_th="แผนการอบรม 2571",
            name_en="Training plan 2571",
            campaign_year=2571,
            indicators=list(first.indicators),
            passes_from=date(2027, 1, 1),  # a new campaign: earlier passes do not count
        )
        session.add(second)
        session.flush()
        activate_plan(session, second, secret="test", now=utcnow())
        session.commit()
        old_code = session.scalar(select(Readiness.code).where(Readiness.user_id == person))
    html = client.get(f"/officer/volunteers/{person}").get_data(as_text=True)
    assert "สมศรี สองแผน" in html
    assert "แผนการอบรม 2571" in html and "แผนการอบรม 2570" in html
    assert html.index("แผนการอบรม 2571") < html.index("แผนการอบรม 2570")  # active plan first
    assert old_code in html
    assert "by เจ้าหน้าที่ ทดสอบ" in html  # who confirmed under the old plan
    assert 'class="badge state-registered"' in html  # nothing counts yet under the new plan
    assert f"/officer/volunteers/{person}/confirm" not in html
