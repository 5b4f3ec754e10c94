"""The mentor-visit list on generated histories: the stuck rules, urgency order, scope,
recorded visits and the printed sheet."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.areas.access import Scope
from app.areas.models import Village
from app.auth.models import PersonalDataEvent, PersonalDataSubject, User
from app.db import get_session, utcnow
from app.mentoring.models import MentorVisit
from app.mentoring.services import Settings, mentor_findings
from app.officers.filters import Filters
from app.readiness.progress import today_bangkok

from ..conftest import MUEANG_SUB, OTHER_SUB, PUA


def _villages(app, sub):
    with app.app_context():
        stmt = select(Village.code).where(Village.subdistrict_code == sub).order_by(Village.code)
        return list(get_session().scalars(stmt))


def _households(app, values):
    with app.app_context():
        session = get_session()
        session.execute(update(Village).values(households=0))
        for code, n in values.items():
            session.execute(update(Village).where(Village.code == code).values(households=n))
        session.commit()


def _findings(app, settings=None, area=MUEANG_SUB, **filters):
    with app.app_context():
        now = utcnow()
        return mentor_findings(
            get_session(),
            plan=None if "no_plan" in filters else _plan(),
            scope=Scope("officer", area),
            filters=Filters(**{k: v for k, v in filters.items() if k != "no_plan"}),
            now=now,
            today=today_bangkok(now),
            settings=settings or Settings(),
        )


def _plan():
    from app.readiness.services import active_plan

    return active_plan(get_session())


def test_stalled_and_failing_volunteers_are_found_most_urgent_first(
    app, plan, make_volunteer, train
):
    village = _villages(app, MUEANG_SUB)[0]
    _households(app, {})
    quiet = make_volunteer(village, "ก เงียบหาย")
    busy = make_volunteer(village, "ข ขยันดี")
    stuck = make_volunteer(village, "ค ติดอยู่")
    recovered = make_volunteer(village, "ง สอบผ่านแล้ว")
    now = utcnow()
    train(quiet, passed=1, when=now - timedelta(days=5))
    train(busy, passed=1, when=now - timedelta(hours=2))
    for hours in (30, 20, 10):  # three failures in a row on the plan's first indicator
        train(stuck, passed=0, when=now - timedelta(hours=hours))
    for hours in (30, 20):
        train(recovered, passed=0, when=now - timedelta(hours=hours))
    train(recovered, passed=1, when=now - timedelta(hours=1))

    found = _findings(app)
    assert [f.subject_id for f in found] == [stuck, quiet]
    assert found[0].reasons[0].code == "failing"
    assert "ไม่ผ่าน 3 ครั้งติดกัน" in found[0].reasons[0].text_th
    assert found[1].reasons[0].code == "stalled"
    assert "5 วัน" in found[1].reasons[0].text_th
    # The province's settings move the thresholds.
    assert _findings(app, Settings(stall_days=6, fail_limit=4)) == []


def test_a_ready_volunteer_is_never_stalled(app, plan, make_volunteer, train):
    village = _villages(app, MUEANG_SUB)[0]
    _households(app, {})
    ready = make_volunteer(village)
    train(ready, when=utcnow() - timedelta(days=20))  # passed everything long ago
    assert _findings(app) == []


def test_a_short_village_near_the_deadline_comes_first(app, plan, make_volunteer, train):
    first, second = _villages(app, MUEANG_SUB)[:2]
    _households(app, {first: 80, second: 40})
    quiet = make_volunteer(second)
    train(quiet, passed=0, when=utcnow() - timedelta(days=4))
    today = today_bangkok(utcnow())
    far = _findings(app, Settings(deadline=today + timedelta(days=30)))
    assert [f.kind for f in far] == ["volunteer"]  # the deadline is not near: no village
    near = _findings(app, Settings(deadline=today + timedelta(days=2)))
    assert [(f.kind, f.village_code) for f in near] == [
        ("village", first),  # short of 2
        ("village", second),  # short of 1
        ("volunteer", second),
    ]
    assert "เหลือ 2 วันถึงกำหนด" in near[0].reasons[0].text_th
    assert _findings(app, Settings(deadline=None))[0].kind == "volunteer"


def test_the_list_is_scoped_and_filtered_by_subdistrict(
    app, plan, make_volunteer, train, officer_client
):
    _households(app, {})
    when = utcnow() - timedelta(days=6)
    mine = make_volunteer(_villages(app, MUEANG_SUB)[0], "ในเขต หนึ่ง")
    next_door = make_volunteer(_villages(app, OTHER_SUB)[0], "ตำบลข้าง สอง")
    elsewhere = make_volunteer(_villages(app, PUA + "01")[0], "อำเภออื่น สาม")
    for uid in (mine, next_door, elsewhere):
        train(uid, passed=0, when=when)

    district = officer_client(MUEANG_SUB[:4])
    page = district.get("/officer/mentoring").get_data(as_text=True)
    assert "ในเขต หนึ่ง" in page and "ตำบลข้าง สอง" in page
    assert "อำเภออื่น สาม" not in page
    filtered = district.get(f"/officer/mentoring?subdistrict={OTHER_SUB}").get_data(as_text=True)
    assert "ตำบลข้าง สอง" in filtered and "ในเขต หนึ่ง" not in filtered

    narrow = officer_client(MUEANG_SUB)
    assert "ตำบลข้าง สอง" not in narrow.get("/officer/mentoring").get_data(as_text=True)
    assert narrow.get(f"/officer/mentoring/visit?volunteer={next_door}").status_code == 404
    assert narrow.get(f"/officer/mentoring/visit?volunteer={elsewhere}").status_code == 404
    other_village = _villages(app, OTHER_SUB)[0]
    assert narrow.get(f"/officer/mentoring/visit?village={other_village}").status_code == 404
    assert narrow.get(f"/officer/mentoring/buddies?village={other_village}").status_code == 404
    response = narrow.post(
        "/officer/mentoring/visit", data={"volunteer_id": elsewhere, "visited_on": "2026-12-01"}
    )
    assert response.status_code == 404
    with app.app_context():
        assert get_session().scalar(select(MentorVisit)) is None


def test_a_recorded_visit_shows_and_lowers_the_urgency(
    app, plan, make_volunteer, train, officer_client
):
    _households(app, {})
    village = _villages(app, MUEANG_SUB)[0]
    quiet = make_volunteer(village, "ก เงียบหาย")
    train(quiet, passed=0, when=utcnow() - timedelta(days=8))
    before = _findings(app)[0].urgency
    client = officer_client(MUEANG_SUB)
    form = client.get(f"/officer/mentoring/visit?volunteer={quiet}")
    assert form.status_code == 200 and "ก เงียบหาย" in form.get_data(as_text=True)
    today = today_bangkok(utcnow())
    response = client.post(
        "/officer/mentoring/visit",
        data={
            "volunteer_id": quiet,
            "visited_on": today.isoformat(),
            "helped_learn": "y",
            "checked_device": "y",
            "note": "สอนทำแบบทดสอบตัวชี้วัดที่ 1",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        visit = get_session().scalar(select(MentorVisit))
        assert (visit.volunteer_id, visit.helped_learn, visit.checked_device) == (quiet, True, True)
        assert visit.paired_buddy is False and visit.officer_id == client.user_id
    after = _findings(app)[0]
    assert after.visited_on == today and after.urgency == before // 2
    page = client.get("/officer/mentoring").get_data(as_text=True)
    assert f"Visited {today.day}/{today.month}/{today.year + 543}" in page
    assert "สอนทำแบบทดสอบตัวชี้วัดที่ 1" in page


def test_a_visit_without_a_day_is_refused_with_a_message(app, plan, make_volunteer, officer_client):
    village = _villages(app, MUEANG_SUB)[0]
    client = officer_client(MUEANG_SUB)
    response = client.post("/officer/mentoring/visit", data={"village": village})
    assert response.status_code == 200
    assert "Enter the day of the visit." in response.get_data(as_text=True)
    assert client.get("/officer/mentoring/visit").status_code == 400
    tomorrow = today_bangkok(utcnow()) + timedelta(days=1)
    future = client.post(
        "/officer/mentoring/visit", data={"village": village, "visited_on": tomorrow.isoformat()}
    )
    assert "The day of the visit cannot be in the future." in future.get_data(as_text=True)
    with app.app_context():
        assert get_session().scalar(select(MentorVisit)) is None


def test_the_visit_sheet_lists_mobiles_and_reasons_for_one_subdistrict(
    app, plan, make_volunteer, train, officer_client
):
    _households(app, {})
    village = _villages(app, MUEANG_SUB)[0]
    quiet = make_volunteer(village, "ก เงียบหาย")
    train(quiet, passed=0, when=utcnow() - timedelta(days=5))
    other = make_volunteer(_villages(app, OTHER_SUB)[0], "ตำบลข้าง สอง")
    train(other, passed=0, when=utcnow() - timedelta(days=5))
    client = officer_client(MUEANG_SUB[:4])
    assert client.get("/officer/mentoring/sheet").status_code == 400
    response = client.get(f"/officer/mentoring/sheet?subdistrict={MUEANG_SUB}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    with app.app_context():
        phone = get_session().get(User, quiet).phone
    assert "ก เงียบหาย" in page and phone in page and "ไม่มีความคืบหน้ามา 5 วัน" in page
    assert "ตำบลข้าง สอง" not in page
    assert "ช่วยเรียน" in page and "<style" not in page and "style=" not in page
    with app.app_context():
        session = get_session()
        event = session.scalar(
            select(PersonalDataEvent).where(PersonalDataEvent.action == "volunteers.export")
        )
        assert event is not None and event.area_code == MUEANG_SUB
        subjects = session.scalars(
            select(PersonalDataSubject.user_id).where(PersonalDataSubject.event_id == event.id)
        )
        assert list(subjects) == [quiet]
    outside = officer_client(PUA)
    assert outside.get(f"/officer/mentoring/sheet?subdistrict={MUEANG_SUB}").status_code == 404


def test_without_a_plan_everyone_still_learning_can_be_stalled(
    app, areas, make_user, officer_client
):
    from app.auth.models import Role

    village = _villages(app, MUEANG_SUB)[0]
    _households(app, {})
    uid = make_user(Role.VOLUNTEER, full_name="ไร้แผน ทดสอบ", village_code=village)
    with app.app_context():
        session = get_session()
        session.get(User, uid).created_at = utcnow() - timedelta(days=4)
        session.commit()
    found = _findings(app, no_plan=True)
    assert [(f.subject_id, f.reasons[0].code) for f in found] == [(uid, "stalled")]
    page = officer_client(MUEANG_SUB).get("/officer/mentoring")
    assert page.status_code == 200 and "ไร้แผน ทดสอบ" in page.get_data(as_text=True)


@pytest.mark.parametrize("volunteer", ["<script>", "9" * 30, "²", "-1"])
def test_a_volunteer_id_that_is_not_one_is_a_404(app, plan, officer_client, volunteer):
    """Found by the fuzz test (issue 16): on PostgreSQL the text went to the database as the
    id, a DataError and a 500."""
    client = officer_client(MUEANG_SUB)
    response = client.get("/officer/mentoring/visit", query_string={"volunteer": volunteer})
    assert response.status_code == 404
    response = client.post("/officer/mentoring/visit", data={"volunteer_id": volunteer})
    assert response.status_code == 404
