"""The readiness list: filters, sorts, pages and scope, in the service and through the page."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update

from app.areas.access import Scope
from app.areas.models import District
from app.auth.models import Role, User
from app.db import get_session
from app.officers.filters import BadFilter, Filters
from app.officers.lists import SORTS, iter_readiness, mask_phone, readiness_page
from app.readiness.models import Readiness, TrainingPlan
from app.readiness.services import active_plan

from .conftest import MUEANG, MUEANG_SUB, OTHER_SUB, PUA

PROVINCE = Scope("officer", "55")
TODAY = date(2026, 11, 25)


@pytest.fixture
def people(app, plan, make_volunteer, train, village_codes) -> dict[str, int]:
    """Four volunteers, one per state, in three subdistricts of two districts."""
    pua_sub = next(code for code in village_codes if code.startswith(PUA))
    ids = {
        "ready": make_volunteer(village_codes[MUEANG_SUB][0], "กนก ในเวียง"),
        "training": make_volunteer(village_codes[MUEANG_SUB][1], "ขวัญ ในเวียงสอง"),
        "registered": make_volunteer(village_codes[OTHER_SUB][0], "คำ บ่อ"),
        "confirmed": make_volunteer(village_codes[pua_sub][0], "งาม ปัว"),
    }
    train(ids["ready"], when=datetime(2026, 3, 1, 3, 0, tzinfo=UTC))
    train(ids["training"], passed=1)
    train(ids["confirmed"], when=datetime(2026, 4, 1, 3, 0, tzinfo=UTC))
    with app.app_context():
        session = get_session()
        session.execute(
            update(Readiness)
            .where(Readiness.user_id == ids["confirmed"])
            .values(confirmed_at=datetime(2026, 4, 2, tzinfo=UTC))
        )
        session.execute(
            update(User).where(User.id == ids["registered"]).values(volunteer_type="village_head")
        )
        session.execute(update(District).where(District.code == PUA).values(zone="north"))
        session.execute(update(District).where(District.code == MUEANG).values(zone="south"))
        session.commit()
    return ids


def page_of(app, scope=PROVINCE, filters=None, **kwargs):
    """A page of the list as the service returns it, for the active plan."""
    with app.app_context():
        session = get_session()
        return readiness_page(
            session,
            plan=active_plan(session),
            scope=scope,
            filters=filters or Filters(),
            today=TODAY,
            **kwargs,
        )


def names(app, **kwargs) -> list[str]:
    return [row.full_name for row in page_of(app, **kwargs).rows]


def phone_of(app, user_id: int) -> str:
    with app.app_context():
        return get_session().get(User, user_id).phone


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"district": MUEANG}, ["กนก ในเวียง", "ขวัญ ในเวียงสอง", "คำ บ่อ"]),
        ({"subdistrict": MUEANG_SUB}, ["กนก ในเวียง", "ขวัญ ในเวียงสอง"]),
        ({"zone": "north"}, ["งาม ปัว"]),
        ({"zone": "central"}, []),
        ({"state": "registered"}, ["คำ บ่อ"]),
        ({"state": "training"}, ["ขวัญ ในเวียงสอง"]),
        ({"state": "ready"}, ["กนก ในเวียง"]),
        ({"state": "confirmed"}, ["งาม ปัว"]),
        ({"volunteer_type": "village_head"}, ["คำ บ่อ"]),
        ({"q": "ปัว"}, ["งาม ปัว"]),
        ({"district": MUEANG, "state": "ready"}, ["กนก ในเวียง"]),
    ],
)
def test_each_filter_narrows_the_list(app, people, filters, expected):
    assert names(app, filters=Filters(**filters)) == expected


def test_village_filter_and_mobile_tail_search(app, people, village_codes):
    second_village = village_codes[MUEANG_SUB][1]
    assert names(app, filters=Filters(village=second_village)) == ["ขวัญ ในเวียงสอง"]
    tail = phone_of(app, people["registered"])[-4:]
    assert names(app, filters=Filters(q=tail)) == ["คำ บ่อ"]
    dashed = phone_of(app, people["training"])
    dashed = f"{dashed[:3]}-{dashed[3:6]}-{dashed[6:]}"
    assert names(app, filters=Filters(q=dashed)) == ["ขวัญ ในเวียงสอง"]


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("name", ["กนก ในเวียง", "ขวัญ ในเวียงสอง", "คำ บ่อ", "งาม ปัว"]),
        ("-name", ["งาม ปัว", "คำ บ่อ", "ขวัญ ในเวียงสอง", "กนก ในเวียง"]),
        ("village", ["กนก ในเวียง", "ขวัญ ในเวียงสอง", "คำ บ่อ", "งาม ปัว"]),
        ("state", ["คำ บ่อ", "ขวัญ ในเวียงสอง", "กนก ในเวียง", "งาม ปัว"]),
        ("percent", ["คำ บ่อ", "ขวัญ ในเวียงสอง", "กนก ในเวียง", "งาม ปัว"]),
        ("-percent", ["กนก ในเวียง", "งาม ปัว", "ขวัญ ในเวียงสอง", "คำ บ่อ"]),
        ("ready_at", ["กนก ในเวียง", "งาม ปัว", "ขวัญ ในเวียงสอง", "คำ บ่อ"]),
        ("-ready_at", ["งาม ปัว", "กนก ในเวียง", "ขวัญ ในเวียงสอง", "คำ บ่อ"]),
        ("registered", ["งาม ปัว", "คำ บ่อ", "ขวัญ ในเวียงสอง", "กนก ในเวียง"]),
    ],
)
def test_sort_orders(app, people, sort, order):
    assert names(app, sort=sort) == order


def test_every_sort_is_tested_and_an_unknown_one_is_refused(app, people):
    assert set(SORTS) == {
        "name", "-name", "village", "state", "percent", "-percent", "ready_at", "-ready_at",
        "registered",
    }  # fmt: skip
    with pytest.raises(BadFilter):
        page_of(app, sort="age")


def test_rows_carry_state_progress_and_readiness(app, people):
    rows = {row.full_name: row for row in page_of(app).rows}
    ready, training = rows["กนก ในเวียง"], rows["ขวัญ ในเวียงสอง"]
    assert (ready.state, ready.passed, ready.required, ready.percent) == ("ready", 3, 3, 100)
    assert ready.ready_at == datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
    assert (training.state, training.percent, training.ready_at) == ("training", 33, None)
    assert rows["คำ บ่อ"].required == 3  # no progress row yet: the plan's count
    assert rows["งาม ปัว"].confirmed_at == datetime(2026, 4, 2, tzinfo=UTC)
    assert rows["งาม ปัว"].zone == "north"
    assert ready.district_name == "เมืองน่าน"
    assert ready.phone == phone_of(app, people["ready"])


def test_pages_split_the_list_without_overlap(app, plan, make_volunteer, village_codes):
    village = village_codes[MUEANG_SUB][0]
    for _ in range(5):
        make_volunteer(village, "สมชาย ซ้ำ")  # same name: the id breaks the tie
    pages = [page_of(app, per_page=2, page=n) for n in (1, 2, 3)]
    assert [(p.total, p.pages, p.page, len(p.rows)) for p in pages] == [
        (5, 3, 1, 2),
        (5, 3, 2, 2),
        (5, 3, 3, 1),
    ]
    ids = [row.user_id for p in pages for row in p.rows]
    assert ids == sorted(ids) and len(set(ids)) == 5
    beyond = page_of(app, per_page=2, page=99)
    assert beyond.page == 3 and [r.user_id for r in beyond.rows] == ids[-1:]


def test_iter_readiness_streams_every_row_in_order(app, people):
    with app.app_context():
        session = get_session()
        rows = iter_readiness(
            session, plan=active_plan(session), scope=PROVINCE, filters=Filters(),
            today=TODAY, sort="-name",
        )  # fmt: skip
        assert [r.full_name for r in rows] == ["งาม ปัว", "คำ บ่อ", "ขวัญ ในเวียงสอง", "กนก ในเวียง"]
        with pytest.raises(BadFilter):  # before the first row, not mid-download
            iter_readiness(
                session, plan=None, scope=PROVINCE, filters=Filters(), today=TODAY, sort="x"
            )


def test_without_a_plan_everyone_is_listed_as_registered(app, people):
    with app.app_context():
        session = get_session()
        page = readiness_page(session, plan=None, scope=PROVINCE, filters=Filters(), today=TODAY)
        assert page.total == 4
        assert {r.state for r in page.rows} == {"registered"}
        assert {r.percent for r in page.rows} == {0}


def test_district_scope_never_shows_another_district(app, people):
    assert names(app, scope=Scope("officer", PUA)) == ["งาม ปัว"]
    assert names(app, scope=Scope("officer", MUEANG_SUB)) == ["กนก ในเวียง", "ขวัญ ในเวียงสอง"]
    assert names(app, scope=Scope("volunteer", None)) == []


def test_mask_phone_keeps_the_last_four_digits():
    assert mask_phone("0891234567") == "08x-xxx-4567"
    assert mask_phone("089-123-4567") == "08x-xxx-4567"
    assert mask_phone("") == ""


# Through the page --------------------------------------------------------------------------


def test_page_lists_the_officers_district_only(people, officer_client):
    client = officer_client(MUEANG)
    html = client.get("/officer/volunteers").get_data(as_text=True)
    assert "กนก ในเวียง" in html and "คำ บ่อ" in html
    assert "งาม ปัว" not in html
    assert "3 volunteers" in html
    assert 'class="badge state-ready"' in html and 'class="badge state-training"' in html
    assert "แผนการอบรม 2570" in html


def test_page_refuses_another_districts_code(people, officer_client):
    client = officer_client(MUEANG)
    assert client.get(f"/officer/volunteers?district={PUA}").status_code == 404
    assert client.get(f"/officer/volunteers?subdistrict={PUA}01").status_code == 404
    assert client.get("/officer/volunteers?state=lost").status_code == 400
    assert client.get("/officer/volunteers?sort=age").status_code == 400


def test_page_filters_sorts_and_offers_confirm_for_ready_rows(people, officer_client):
    client = officer_client("55")
    html = client.get("/officer/volunteers?state=ready&sort=-name").get_data(as_text=True)
    assert "กนก ในเวียง" in html and "ขวัญ ในเวียงสอง" not in html
    assert f"/officer/volunteers/{people['ready']}/confirm" in html
    html = client.get("/officer/volunteers?sort=-name").get_data(as_text=True)
    assert html.index("งาม ปัว") < html.index("กนก ในเวียง")
    assert f"/officer/volunteers/{people['training']}/confirm" not in html
    assert f"/officer/volunteers/{people['confirmed']}/confirm" not in html


def test_page_paginates_by_fifty(app, plan, make_volunteer, village_codes, officer_client):
    village = village_codes[MUEANG_SUB][0]
    for n in range(51):
        make_volunteer(village, f"อาสา {n:03d}")
    client = officer_client(MUEANG)
    first = client.get("/officer/volunteers").get_data(as_text=True)
    assert "Page 1 of 2" in first and "อาสา 049" in first and "อาสา 050" not in first
    second = client.get("/officer/volunteers?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and "อาสา 050" in second and "อาสา 049" not in second


def test_page_without_a_plan_says_so(app, people, officer_client):
    with app.app_context():
        session = get_session()
        for row in session.scalars(select(TrainingPlan)):
            row.active = False
        session.commit()
    html = officer_client(MUEANG).get("/officer/volunteers").get_data(as_text=True)
    assert "No active training plan" in html
    assert "กนก ในเวียง" in html and "/confirm" not in html


def test_volunteers_and_trainers_cannot_open_the_list(people, officer_client):
    assert officer_client(None, role=Role.TRAINER).get("/officer/volunteers").status_code == 403
