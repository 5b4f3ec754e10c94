"""Coverage at 1:40: the rules, the per-village numbers, roll-ups, scope and exports."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest
from sqlalchemy import literal, select, update

from app.areas.access import Scope
from app.areas.models import District, Village
from app.db import get_session, utcnow
from app.officers import rules
from app.officers.coverage import coverage_rollup, coverage_totals, coverage_villages
from app.officers.filters import Filters
from app.readiness.models import Readiness, TrainingPlan

from .conftest import MUEANG, MUEANG_SUB, OTHER_SUB, PUA

TODAY = date(2026, 11, 25)
ADMIN = Scope("admin", None)


# --- rules, no database ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("households", "expected"),
    [(None, 0), (0, 0), (-3, 0), (1, 1), (40, 1), (41, 2), (80, 2), (81, 3), (120, 3)],
)
def test_needed_is_one_per_40_households_rounded_up(households, expected):
    assert rules.needed(households) == expected


def test_needed_takes_another_ratio():
    assert rules.needed(81, ratio=50) == 2


def test_share_counts_ready_only_up_to_needed():
    assert rules.share_ready(1, 3) == pytest.approx(33.333, abs=0.01)
    assert rules.share_ready(3, 3) == 100
    assert rules.share_ready(7, 3) == 100
    assert rules.share_ready(0, 3) == 0


def test_no_share_where_nothing_is_needed():
    assert rules.share_ready(0, 0) is None
    assert rules.share_ready(4, 0) is None


def test_short_never_goes_below_zero():
    assert rules.short(3, 1) == 2
    assert rules.short(3, 5) == 0


def test_a_surplus_in_one_village_does_not_cover_another():
    assert rules.capped_sum([(5, 2), (0, 2)]) == 2


def test_an_area_reaches_full_when_its_last_village_does():
    early, late = utcnow() - timedelta(days=3), utcnow()
    assert rules.reached_full_at([(2, early), (1, late), (0, None)]) == late
    assert rules.reached_full_at([(2, early), (1, None)]) is None
    assert rules.reached_full_at([(0, None)]) is None


def test_ranking_key_orders_share_then_earliest_full_then_code():
    early, late = utcnow() - timedelta(days=3), utcnow()
    rows = [
        ("C", 100.0, late),
        ("B", 100.0, early),
        ("A", 50.0, None),
        ("D", 100.0, early),
        ("E", None, None),
    ]
    ordered = sorted(rows, key=lambda r: rules.ranking_key(r[1], r[2], r[0]))
    assert [r[0] for r in ordered] == ["B", "D", "C", "A", "E"]


# --- the numbers from the database -----------------------------------------------------


@pytest.fixture
def households(app, areas):
    """households({village code: n}) sets those villages and 0 for every other village."""

    def set_(values: dict[str, int | None]) -> None:
        with app.app_context():
            session = get_session()
            session.execute(update(Village).values(households=0))
            for code, n in values.items():
                session.execute(update(Village).where(Village.code == code).values(households=n))
            session.commit()

    return set_


@pytest.fixture
def crafted(app, plan, make_volunteer, train, village_codes, households):
    """Village A (81 households) has 4 volunteers, 2 ready (one confirmed) and 1 training;
    village B (40) has 1 ready; C (200) in another subdistrict has 1 registered; D (120) in
    ปัว has 3 ready. Every other village has 0 households."""
    a, b = village_codes[MUEANG_SUB]
    c = village_codes[OTHER_SUB][0]
    d = village_codes[PUA + "01"][0]
    households({a: 81, b: 40, c: 200, d: 120})
    ready_a = [make_volunteer(a, f"พร้อม {i}") for i in range(2)]
    learning = make_volunteer(a, "กำลังเรียน")
    make_volunteer(a, "ลงทะเบียน")
    for user_id in ready_a:
        train(user_id)
    train(learning, passed=1)
    train(make_volunteer(b, "พร้อม ข"))
    make_volunteer(c, "ลงทะเบียน ค")
    for i in range(3):
        train(make_volunteer(d, f"พร้อม ง {i}"))
    with app.app_context():
        session = get_session()
        record = session.scalar(select(Readiness).where(Readiness.user_id == ready_a[0]))
        record.confirmed_at = utcnow()
        session.commit()
    return {"a": a, "b": b, "c": c, "d": d, "plan": plan}


def villages_of(session, plan_id, scope=ADMIN, filters=None, today=TODAY):
    plan = session.get(TrainingPlan, plan_id) if plan_id else None
    return coverage_villages(
        session, plan=plan, scope=scope, filters=filters or Filters(), today=today
    )


def test_village_numbers(session, crafted):
    rows = {v.village_code: v for v in villages_of(session, crafted["plan"])}
    a = rows[crafted["a"]]
    assert (a.households, a.needed, a.registered, a.ready, a.short) == (81, 3, 4, 2, 1)
    assert a.percent_ready == pytest.approx(66.67, abs=0.01)
    b = rows[crafted["b"]]
    assert (b.needed, b.registered, b.ready, b.short, b.percent_ready) == (1, 1, 1, 0, 100)
    c = rows[crafted["c"]]
    assert (c.needed, c.registered, c.ready, c.short, c.percent_ready) == (5, 1, 0, 5, 0)
    d = rows[crafted["d"]]
    assert (d.needed, d.ready, d.short) == (3, 3, 0)
    assert a.district_name == "เมืองน่าน" and a.subdistrict_code == MUEANG_SUB


def test_villages_most_short_first_then_by_code(session, crafted):
    codes = [v.village_code for v in villages_of(session, crafted["plan"])]
    assert codes[:2] == [crafted["c"], crafted["a"]]
    rest = codes[2:]
    assert rest == sorted(rest)  # nobody else is short: by code


def test_expired_plan_counts_nobody_ready(app, session, crafted):
    plan = session.get(TrainingPlan, crafted["plan"])
    plan.expires_on = TODAY - timedelta(days=1)
    session.commit()
    rows = {v.village_code: v for v in villages_of(session, crafted["plan"])}
    a = rows[crafted["a"]]
    assert (a.registered, a.ready, a.short) == (4, 0, 3)
    assert sum(v.ready for v in rows.values()) == 0


def test_without_a_plan_volunteers_are_registered_not_ready(session, crafted):
    rows = {v.village_code: v for v in villages_of(session, None)}
    assert (rows[crafted["a"]].registered, rows[crafted["a"]].ready) == (4, 0)


def test_district_officer_counts_only_their_villages(session, crafted):
    rows = villages_of(session, crafted["plan"], scope=Scope("officer", MUEANG))
    assert rows and all(v.village_code.startswith(MUEANG) for v in rows)
    assert crafted["d"] not in {v.village_code for v in rows}


@pytest.mark.parametrize("level", ["subdistrict", "district", "zone", "province"])
def test_rollups_sum_the_villages(session, crafted, level):
    plan = session.get(TrainingPlan, crafted["plan"])
    session.execute(update(District).where(District.code == MUEANG).values(zone="central"))
    session.execute(update(District).where(District.code == PUA).values(zone="north"))
    session.commit()
    villages = villages_of(session, crafted["plan"])
    areas = coverage_rollup(
        session, plan=plan, scope=ADMIN, filters=Filters(), today=TODAY, level=level
    )
    assert sum(a.villages for a in areas) == len(villages)
    for field in ("households", "needed", "registered", "ready", "short"):
        assert sum(getattr(a, field) for a in areas) == sum(
            getattr(v, field) or 0 for v in villages
        )
    assert sum(a.villages_short for a in areas) == sum(1 for v in villages if v.short)


def test_rollup_numbers_per_area(session, crafted):
    plan = session.get(TrainingPlan, crafted["plan"])
    session.execute(update(District).values(zone=None))
    session.execute(update(District).where(District.code == MUEANG).values(zone="central"))
    session.commit()
    args = {"plan": plan, "scope": ADMIN, "filters": Filters(), "today": TODAY}
    subs = {a.code: a for a in coverage_rollup(session, level="subdistrict", **args)}
    sub = subs[MUEANG_SUB]  # A (81, 2 ready) + B (40, 1 ready)
    assert (sub.households, sub.needed, sub.registered, sub.ready) == (121, 4, 5, 3)
    assert (sub.villages, sub.villages_short, sub.short) == (2, 1, 1)
    assert sub.percent_ready == 75
    districts = {a.code: a for a in coverage_rollup(session, level="district", **args)}
    mueang = districts[MUEANG]  # A + B + C: needed 3 + 1 + 5 (not ceil(321 / 40) = 9 by luck)
    assert (mueang.needed, mueang.ready, mueang.short, mueang.villages_short) == (9, 3, 6, 2)
    assert districts[PUA].percent_ready == 100
    zones = {a.code: a for a in coverage_rollup(session, level="zone", **args)}
    assert zones["central"].needed == 9 and zones["central"].name == "โซนกลาง"
    assert zones[""].needed == 3  # ปัว has no zone set
    (province,) = coverage_rollup(session, level="province", **args)
    assert (province.code, province.name, province.needed, province.ready) == ("55", "จ.น่าน", 12, 6)


def test_needed_is_summed_per_village_not_from_total_households(session, app, crafted, households):
    households({crafted["a"]: 41, crafted["b"]: 41})  # 2 + 2, while ceil(82 / 40) = 3
    plan = session.get(TrainingPlan, crafted["plan"])
    filters = Filters(subdistrict=MUEANG_SUB)
    (sub,) = coverage_rollup(
        session, plan=plan, scope=ADMIN, filters=filters, today=TODAY, level="subdistrict"
    )
    assert sub.needed == 4
    total = coverage_totals(villages_of(session, crafted["plan"], filters=filters))
    assert (total.needed, total.villages) == (4, 2)


# --- the page and the exports ----------------------------------------------------------


def test_page_lists_short_villages_first_with_totals(officer_client, crafted):
    client = officer_client(MUEANG)
    response = client.get("/officer/coverage")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Total" in html
    assert html.index(crafted["c"]) < html.index(crafted["a"]) < html.index(crafted["b"])
    assert "5 short" in html and "1 short" in html
    assert crafted["d"] not in html  # ปัว is not this officer's


def test_page_levels(officer_client, crafted):
    client = officer_client("55")
    html = client.get("/officer/coverage?level=district").get_data(as_text=True)
    assert "อ.เมืองน่าน" in html and "อ.ปัว" in html
    assert client.get("/officer/coverage?level=province").status_code == 200
    assert client.get("/officer/coverage?level=zone").status_code == 200
    assert client.get("/officer/coverage?level=country").status_code == 400


def test_page_paginates_villages(officer_client, crafted):
    client = officer_client("55")  # 99 subdistricts x 2 demo villages
    first = client.get("/officer/coverage").get_data(as_text=True)
    assert "Page 1 of 2" in first
    second = client.get("/officer/coverage?page=2").get_data(as_text=True)
    assert crafted["c"] in first and crafted["c"] not in second


def test_other_district_filter_is_not_found(officer_client, crafted):
    client = officer_client(MUEANG)
    assert client.get(f"/officer/coverage?district={PUA}").status_code == 404
    assert client.get(f"/officer/coverage/export.csv?district={PUA}").status_code == 404


def test_subdistrict_filter_narrows_the_page(officer_client, crafted):
    client = officer_client(MUEANG)
    html = client.get(f"/officer/coverage?subdistrict={MUEANG_SUB}").get_data(as_text=True)
    assert crafted["a"] in html and crafted["c"] not in html


def test_csv_export_reads_back(officer_client, crafted):
    client = officer_client(MUEANG)
    response = client.get(f"/officer/coverage/export.csv?subdistrict={MUEANG_SUB}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "รหัสหมู่บ้าน" and "ยังขาด" in rows[0]
    by_code = {r[0]: r for r in rows[1:]}
    a = by_code[crafted["a"]]
    header = rows[0]
    assert a[header.index("จำนวนครัวเรือน")] == "81"
    assert a[header.index("อาสาสมัครที่ต้องมี (1:40)")] == "3"
    assert a[header.index("พร้อมจัดเก็บข้อมูล")] == "2"
    assert a[header.index("ยังขาด")] == "1"
    assert rows[-1][2] == "รวม" and rows[-1][header.index("ยังขาด")] == "1"
    assert len(rows) == 1 + 2 + 1


def test_xlsx_export_reads_back(officer_client, crafted):
    client = officer_client("55")
    response = client.get("/officer/coverage/export.xlsx?level=district")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:2] == ["รหัสพื้นที่", "ชื่อพื้นที่"]
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code[MUEANG][rows[0].index("อาสาสมัครที่ต้องมี (1:40)")] == 9
    assert by_code[PUA][rows[0].index("ร้อยละความพร้อม")] == 100
    assert rows[-1][1] == "รวม"
    assert len(rows) == 1 + 15 + 1


def test_unknown_export_format_is_not_found(officer_client, crafted):
    assert officer_client(MUEANG).get("/officer/coverage/export.pdf").status_code == 404


def test_wide_scopes_count_in_one_pass_with_the_same_numbers(session, crafted, monkeypatch):
    from app.officers import coverage

    by_id = villages_of(session, crafted["plan"])
    monkeypatch.setattr(coverage, "BY_ID_LIMIT", 0)
    assert villages_of(session, crafted["plan"]) == by_id
    assert villages_of(session, None)[0].registered == 1  # C: registered, nobody ready


@pytest.mark.parametrize(
    ("prefix", "inside", "outside"),
    [
        ("", "10000000", None),
        ("55", "55999999", "56000000"),
        ("55", "55000000", "54999999"),
        ("5509", "55099901", "55100101"),
        ("99", "99000001", "98999999"),
    ],
)
def test_code_range_matches_the_prefix(session, prefix, inside, outside):
    from app.areas.access import code_range

    def matches(code):
        return bool(session.scalar(select(code_range(prefix, literal(code)))))

    assert matches(inside)
    if outside:
        assert not matches(outside)
