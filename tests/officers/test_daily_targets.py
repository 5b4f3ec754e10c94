"""Daily targets to the deadline on the officers' dashboard: per area figures against the
curve, scoping, Thai time at the day boundary, the daily snapshots (idempotent, safe with
concurrent writers), the export read back, and the plan form's profile checks."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from app.areas.access import Scope
from app.areas.models import Village
from app.auth.models import Role
from app.db import get_session
from app.jobs import run_pending
from app.officers.daily import daily_targets, take_snapshots
from app.officers.filters import Filters
from app.officers.models import AreaDailySnapshot
from app.readiness.models import TrainingPlan
from app.readiness.targets import plan_curve

from ..conftest import thai
from .conftest import MUEANG, MUEANG_SUB, PUA

TODAY = date(2026, 12, 10)  # day 9 of a 20-day campaign
START, DEADLINE = date(2026, 12, 1), date(2026, 12, 21)
# 17:00 UTC is midnight in Bangkok: 9 Dec 16:59 UTC is still 9 Dec there, 17:00 is 10 Dec.
BEFORE_MIDNIGHT = datetime(2026, 12, 9, 16, 59, tzinfo=UTC)
MIDNIGHT = datetime(2026, 12, 9, 17, 0, tzinfo=UTC)


@pytest.fixture
def campaign(
    app: Flask, plan: int, make_volunteer: Callable, train: Callable, village_codes: dict
) -> dict[str, str]:
    """Two villages with households: เมือง's needs 10 (400 households) and has 3 ready;
    เวียงสา's needs 3 (120) and has 2 ready. The plan runs 1-21 Dec 2569 (20 days)."""
    mueang = village_codes[MUEANG_SUB][0]
    pua = next(v for sub, codes in village_codes.items() if sub.startswith(PUA) for v in codes)
    for village, ready in ((mueang, 3), (pua, 2)):
        for n in range(ready):
            train(make_volunteer(village, f"พร้อม {n}"))
    make_volunteer(mueang, "ยังไม่เริ่ม")
    with app.app_context():
        session = get_session()
        session.execute(update(Village).values(households=None))
        session.execute(update(Village).where(Village.code == mueang).values(households=400))
        session.execute(update(Village).where(Village.code == pua).values(households=120))
        the_plan = session.get(TrainingPlan, plan)
        the_plan.passes_from, the_plan.deadline = START, DEADLINE
        session.commit()
    return {"mueang": mueang, "pua": pua}


def targets(app: Flask, plan: int, scope: Scope, today: date = TODAY, **filters: str):
    with app.app_context():
        session = get_session()
        return daily_targets(
            session,
            plan=session.get(TrainingPlan, plan),
            scope=scope,
            filters=Filters(**filters),
            today=today,
        )


def test_each_district_gets_todays_target_and_its_place_on_the_curve(app, plan, campaign):
    data = targets(app, plan, Scope("officer", "55"))
    assert data.level == "district" and len(data.areas) == 15
    areas = {a.code: a for a in data.areas}
    mueang, pua = areas[MUEANG], areas[PUA]
    # Day 9 of 20: 45% of 10 is 4.5, rounded up to 5; 45% of 3 is 1.35 -> 2.
    assert (mueang.need, mueang.counted, mueang.target, mueang.ahead) == (10, 3, 5, -3)
    assert (pua.need, pua.counted, pua.target, pua.ahead) == (3, 2, 2, 4)
    assert data.totals.target == 7 and data.totals.counted == 5
    assert data.days_left == 11
    assert data.days[0] == TODAY and data.days[-1] == DEADLINE
    assert mueang.series[0] == 5 and mueang.series[-1] == 10


def test_after_the_deadline_the_target_is_the_whole_need(app, plan, campaign):
    data = targets(app, plan, Scope("officer", "55"), today=date(2026, 12, 25))
    mueang = next(a for a in data.areas if a.code == MUEANG)
    assert (mueang.target, mueang.ahead, data.days_left, data.days) == (10, -18, -4, ())


def test_district_officer_sees_only_their_subdistricts(app, plan, campaign):
    data = targets(app, plan, Scope("officer", MUEANG))
    assert data.level == "subdistrict"
    assert data.areas and all(a.code.startswith(MUEANG) for a in data.areas)
    assert data.totals.need == 10


def test_a_plan_without_deadline_has_no_targets_and_the_page_says_so(
    app, plan, campaign, officer_client
):
    with app.app_context():
        session = get_session()
        session.get(TrainingPlan, plan).deadline = None
        session.commit()
    assert plan_curve_missing(app, plan) == "deadline"
    officer = officer_client("55").get("/officer/dashboard").get_data(as_text=True)
    assert "No deadline is set for this plan" in officer and "Ask an administrator" in officer
    admin = officer_client(None, Role.ADMIN).get("/officer/dashboard").get_data(as_text=True)
    assert f'href="/admin/plans/{plan}"' in admin


def plan_curve_missing(app: Flask, plan: int) -> str:
    with app.app_context():
        return plan_curve(get_session().get(TrainingPlan, plan)).missing


def _freeze(monkeypatch: pytest.MonkeyPatch, now: datetime) -> None:
    monkeypatch.setattr("app.officers.dashboard_views.utcnow", lambda: now)


def test_page_shows_ahead_and_behind_in_thai(app, plan, campaign, make_user, login, monkeypatch):
    _freeze(monkeypatch, datetime(2026, 12, 10, 3, 0, tzinfo=UTC))
    client = app.test_client()
    login(client, make_user(Role.OFFICER, full_name="เจ้าหน้าที่", area_code="55"))
    page = client.get("/officer/dashboard").get_data(as_text=True)
    assert thai(app, "Daily targets") in page
    assert thai(app, "%(n)s days behind", n=3) in page  # เมือง
    assert thai(app, "%(n)s days ahead", n=4) in page  # เวียงสา
    assert "21 ธันวาคม 2569" in page


@pytest.mark.parametrize(("now", "day"), [(BEFORE_MIDNIGHT, 9), (MIDNIGHT, 10)])
def test_today_is_thai_time(app, plan, campaign, officer_client, monkeypatch, now, day):
    _freeze(monkeypatch, now)
    page = officer_client("55").get("/officer/dashboard").get_data(as_text=True)
    assert "11 days to go" in page if day == 10 else "12 days to go" in page
    assert count_rows(app) == 0, "a GET never writes: the snapshot is queued"
    assert run_pending(app.extensions["huey"]) == 1
    with app.app_context():
        days = set(get_session().scalars(select(AreaDailySnapshot.day)))
    assert days == {date(2026, 12, day)}, "the first view of the day records that day"


def count_rows(app: Flask) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count(AreaDailySnapshot.id)))


def snap(app: Flask, plan: int, scope: Scope, *, refresh: bool, day: date = TODAY) -> int:
    with app.app_context():
        session = get_session()
        now = datetime(2026, 12, 10, 16, 0, tzinfo=UTC)
        count = take_snapshots(
            session, plan=session.get(TrainingPlan, plan), scope=scope, day=day, now=now,
            refresh=refresh,
        )  # fmt: skip
        session.commit()
        return count


def test_snapshots_are_one_row_per_area_and_day(app, plan, campaign, make_volunteer, train):
    written = snap(app, plan, Scope("admin", None), refresh=True)
    # Nan, its 15 districts, 99 subdistricts and their villages.
    with app.app_context():
        villages = get_session().scalar(select(func.count(Village.id)))
    assert written == 1 + 15 + 99 + villages == count_rows(app)
    train(make_volunteer(campaign["mueang"], "พร้อม ใหม่"))
    snap(app, plan, Scope("admin", None), refresh=False)  # the dashboard's: keeps the row
    assert count_rows(app) == written
    assert mueang_ready(app) == 3
    snap(app, plan, Scope("admin", None), refresh=True)  # the timer's: refreshes it
    assert count_rows(app) == written and mueang_ready(app) == 4


def mueang_ready(app: Flask) -> int:
    with app.app_context():
        stmt = select(AreaDailySnapshot.counted).where(
            AreaDailySnapshot.level == "district", AreaDailySnapshot.code == MUEANG
        )
        return get_session().scalar(stmt)


def test_a_district_officers_snapshot_leaves_the_province_out(app, plan, campaign):
    snap(app, plan, Scope("officer", MUEANG), refresh=False)
    with app.app_context():
        codes = set(get_session().scalars(select(AreaDailySnapshot.code)))
    assert codes and all(code.startswith(MUEANG) for code in codes)


def test_concurrent_snapshot_writers_leave_one_row_per_area(app, plan, campaign):
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def write(refresh: bool) -> None:
        try:
            with app.app_context():
                session = get_session()
                barrier.wait(timeout=30)
                take_snapshots(
                    session, plan=session.get(TrainingPlan, plan), scope=Scope("admin", None),
                    day=TODAY, now=datetime(2026, 12, 10, 1, 0, tzinfo=UTC), refresh=refresh,
                )  # fmt: skip
                session.commit()
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=write, args=(i % 2 == 0,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    with app.app_context():
        session = get_session()
        rows = session.execute(
            select(AreaDailySnapshot.level, AreaDailySnapshot.code, func.count())
            .group_by(AreaDailySnapshot.level, AreaDailySnapshot.code)
            .having(func.count() > 1)
        ).all()
    assert rows == [] and count_rows(app) > 100


def test_snapshot_command_records_today_once(app, plan, campaign, runner):
    first = runner.invoke(args=["officers", "snapshot"])
    assert first.exit_code == 0, first.output
    rows = count_rows(app)
    second = runner.invoke(args=["officers", "snapshot"])
    assert second.exit_code == 0 and count_rows(app) == rows > 0


def _workbook(response):
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return load_workbook(io.BytesIO(response.data))


def test_export_reads_back_with_thai_headers_be_dates_and_rounded_shares(
    app, plan, campaign, officer_client, monkeypatch
):
    _freeze(monkeypatch, datetime(2026, 12, 10, 3, 0, tzinfo=UTC))
    snap(app, plan, Scope("admin", None), refresh=True, day=date(2026, 12, 9))
    book = _workbook(officer_client("55").get("/officer/dashboard/targets.xlsx"))
    assert book.sheetnames == ["เป้าหมายรายวัน", "เป้าหมายถึงวันเริ่มเก็บ", "ประวัติรายวัน"]
    summary = book["เป้าหมายรายวัน"]
    header = [c.value for c in summary[1]]
    assert header[:3] == ["รหัสพื้นที่", "ชื่อพื้นที่", "อาสาสมัครที่ต้องมี (1:40)"]
    assert summary.freeze_panes == "A2" and summary.auto_filter.ref.startswith("A1:")
    assert summary.column_dimensions["B"].width == 30
    rows = {r[0]: r for r in summary.iter_rows(min_row=2, values_only=True)}
    pua = rows[PUA]
    assert pua[5] == 66.7, "2 of 3 is 66.666…: rounded, not cut to 66.6"
    assert (pua[6], pua[8], pua[9], pua[10], pua[11]) == (2, 4, "เร็วกว่าแผน 4 วัน", "21/12/2569", 11)
    assert rows[MUEANG][9] == "ช้ากว่าแผน 3 วัน"
    series = list(book["เป้าหมายถึงวันเริ่มเก็บ"].iter_rows(min_row=2, values_only=True))
    assert series[0][2] == "10/12/2569" and {r[2] for r in series} >= {"21/12/2569"}
    history = list(book["ประวัติรายวัน"].iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in history} == {"9/12/2569"}
    assert all(r[1].startswith("55") for r in history)


def test_district_officers_export_holds_only_their_areas(
    app, plan, campaign, officer_client, monkeypatch
):
    _freeze(monkeypatch, datetime(2026, 12, 10, 3, 0, tzinfo=UTC))
    snap(app, plan, Scope("admin", None), refresh=True, day=date(2026, 12, 9))
    client = officer_client(MUEANG)
    book = _workbook(client.get("/officer/dashboard/targets.xlsx"))
    for sheet in book.worksheets:
        codes = [r[0 if sheet.title != "ประวัติรายวัน" else 1]
                 for r in sheet.iter_rows(min_row=2, values_only=True)]  # fmt: skip
        assert codes and all(code is None or code.startswith(MUEANG) for code in codes)
    csv = client.get("/officer/dashboard/targets.csv").get_data(as_text=True)
    assert "รหัสพื้นที่" in csv and PUA not in csv
    assert client.get(f"/officer/dashboard/targets.xlsx?district={PUA}").status_code == 404


def _plan_form(plan: TrainingPlan, **changes: str) -> dict:
    data = {
        "name_th": plan.name_th,
        "name_en": plan.name_en,
        "campaign_year": str(plan.campaign_year),
        "indicators": [str(i.number) for i in plan.indicators],
        "passes_from": "2026-12-01",
        "deadline": "2026-12-06",
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ("10, 20, 100", "Give one percentage for each of the 5 days"),
        ("10, 30, 20, 60, 100", "Day 3: the percentages add up and never go down."),
        ("10, 20, 30, 40, 90", "The last day (the deadline) must be 100."),
        ("10, 20, x, 40, 100", "Day 3: “x” is not a number."),
    ],
)
def test_plan_form_refuses_a_bad_profile(app, plan, officer_client, profile, message):
    client = officer_client(None, Role.ADMIN)
    with app.app_context():
        data = _plan_form(get_session().get(TrainingPlan, plan), target_profile=profile)
    page = client.post(f"/admin/plans/{plan}", data=data).get_data(as_text=True)
    assert message in page.replace("&#34;", '"')
    with app.app_context():
        assert get_session().get(TrainingPlan, plan).target_profile is None


def test_plan_form_saves_a_profile_the_curve_then_follows(app, plan, officer_client):
    client = officer_client(None, Role.ADMIN)
    with app.app_context():
        data = _plan_form(
            get_session().get(TrainingPlan, plan), target_profile="0, 10, 40, 80, 100"
        )
    assert client.post(f"/admin/plans/{plan}", data=data).status_code == 302
    with app.app_context():
        saved = get_session().get(TrainingPlan, plan)
        assert saved.deadline == date(2026, 12, 6) and saved.target_profile == [0, 10, 40, 80, 100]
        curve = plan_curve(saved).curve
    assert [curve.target(date(2026, 12, d), 10) for d in (1, 2, 3, 4, 5, 6)] == [0, 0, 1, 4, 8, 10]


def test_plan_form_thai_error_for_a_profile(app, plan, make_user, login):
    client = app.test_client()
    login(client, make_user(Role.ADMIN, full_name="ผู้ดูแล"))
    with app.app_context():
        data = _plan_form(
            get_session().get(TrainingPlan, plan), target_profile="10, 20, 30, 40, 90"
        )
    page = client.post(f"/admin/plans/{plan}", data=data).get_data(as_text=True)
    assert thai(app, "The last day (the deadline) must be 100.") in page


def test_page_shows_yesterdays_figures_and_the_trend(
    app, plan, campaign, officer_client, monkeypatch, make_volunteer, train
):
    snap(app, plan, Scope("admin", None), refresh=True, day=date(2026, 12, 9))
    train(make_volunteer(campaign["mueang"], "พร้อม วันนี้"))
    _freeze(monkeypatch, datetime(2026, 12, 10, 3, 0, tzinfo=UTC))
    page = officer_client("55").get("/officer/dashboard").get_data(as_text=True)
    assert "yesterday 3" in page  # เมือง: 3 ready yesterday, 4 today
    assert "Day by day" in page and "9 December 2026" in page
