"""The live dashboard: its figures for a crafted set, scoping, the polled fragment's ETag,
and well-formed SVG charts."""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update

from app.areas.access import Scope
from app.areas.models import District, Subdistrict, Village
from app.db import get_session, utcnow
from app.officers.charts import bar_scale, stacked, step_chart
from app.officers.dashboard import AreaProgress, Progress, ReadyDay, TTLCache, build_dashboard
from app.officers.filters import Filters
from app.quizzes.models import Attempt
from app.readiness.models import TrainingPlan
from app.readiness.progress import confirm_collector

from .conftest import MUEANG, MUEANG_SUB, OTHER_SUB, PUA

# Bangkok is UTC+7: 18:00 UTC on 10 Jan is already 11 Jan in Thailand.
LATE_EVENING = datetime(2026, 1, 10, 18, 0, tzinfo=UTC)
MORNING = datetime(2026, 1, 11, 3, 0, tzinfo=UTC)
LATER = datetime(2026, 1, 13, 10, 0, tzinfo=UTC)
TODAY = date(2026, 1, 20)


@pytest.fixture
def crafted(
    app: Flask,
    plan: int,
    make_volunteer: Callable,
    train: Callable,
    village_codes: dict[str, list[str]],
) -> dict[str, int]:
    """Six volunteers in two districts of Nan, in every state but expired.

    เมือง (5501): ready (+1 failed retry), training (1 of 3), registered, confirmed.
    5507 (อ.เวียงสา): ready, registered. Households: only 5501's villages count (81 + 40 -> 3 + 1).
    """
    mueang_a, mueang_b = village_codes[MUEANG_SUB]
    other = village_codes[OTHER_SUB][1]
    pua = next(v for sub, codes in village_codes.items() if sub.startswith(PUA) for v in codes)
    people = {
        "ready": make_volunteer(mueang_a, "พร้อม หนึ่ง"),
        "training": make_volunteer(mueang_a, "กำลัง เรียน"),
        "registered": make_volunteer(mueang_b, "เพิ่ง สมัคร"),
        "confirmed": make_volunteer(other, "ยืนยัน แล้ว"),
        "pua_ready": make_volunteer(pua, "ปัว พร้อม"),
        "pua_new": make_volunteer(pua, "ปัว ใหม่"),
    }
    train(people["ready"], when=LATE_EVENING)
    train(people["training"], passed=1, when=MORNING)
    train(people["confirmed"], when=MORNING)
    train(people["pua_ready"], when=LATER)
    with app.app_context():
        session = get_session()
        the_plan = session.get(TrainingPlan, plan)
        first = min(the_plan.indicators, key=lambda i: i.number)
        session.add(
            Attempt(
                user_id=people["ready"],
                indicator_id=first.id,
                draw=[],
                pass_mark=80,
                started_at=LATE_EVENING - timedelta(hours=1),
                submitted_at=LATE_EVENING - timedelta(minutes=30),
                score=10,
                passed=False,
            )
        )
        confirm_collector(
            session,
            volunteer_id=people["confirmed"],
            plan=the_plan,
            scope=Scope("admin", None),
            officer_id=people["ready"],
            now=LATER,
        )
        session.execute(update(Village).values(households=None))
        session.execute(update(Village).where(Village.code == mueang_a).values(households=81))
        session.execute(update(Village).where(Village.code == other).values(households=40))
        session.execute(update(District).values(zone="central"))
        session.execute(update(District).where(District.code == PUA).values(zone="north"))
        session.commit()
    return people


def figures(app: Flask, plan: int, scope: Scope, **filters: str):
    """The dashboard's figures as a service caller gets them."""
    with app.app_context():
        session = get_session()
        return build_dashboard(
            session,
            plan=session.get(TrainingPlan, plan),
            scope=scope,
            filters=Filters(**filters),
            today=TODAY,
        )


def by_code(progress) -> dict[str, dict[str, int]]:
    """{area code: {state: count, ..., "needed": n}} for compact assertions."""
    result = {}
    for area in progress.areas:
        counts = {s: area.count(s) for s in ("registered", "training", "ready", "confirmed")}
        result[area.code] = {**counts, "needed": area.needed}
    return result


def test_province_officer_sees_states_and_needs_per_district(app, plan, crafted):
    data = figures(app, plan, Scope("officer", "55"))
    assert data.progress.level == "district"
    areas = by_code(data.progress)
    assert areas[MUEANG] == {
        "registered": 1,
        "training": 1,
        "ready": 1,
        "confirmed": 1,
        "needed": 4,
    }
    assert areas[PUA] == {"registered": 1, "training": 0, "ready": 1, "confirmed": 0, "needed": 0}
    assert len(areas) == 15, "every district shows, with or without volunteers"
    names = {a.code: a.name for a in data.progress.areas}
    assert names[MUEANG] == "อ.เมืองน่าน"
    totals = data.progress.totals
    assert (totals.total, totals.ready, totals.needed) == (6, 3, 4)


def test_pass_rates_count_volunteers_once_and_every_attempt(app, plan, crafted):
    data = figures(app, plan, Scope("officer", "55"))
    rates = [(r.number, r.passed, r.volunteers, r.attempts, r.attempts_passed)
             for r in data.pass_rates]  # fmt: skip
    # Indicator 1: four volunteers passed (one of them failed first); 2: the trainee failed.
    assert rates == [(1, 4, 6, 5, 4), (2, 3, 6, 4, 3), (3, 3, 6, 3, 3)]
    assert round(data.pass_rates[0].share) == 67
    assert data.pass_rates[0].attempt_rate == 80


def test_readiness_over_time_is_cumulative_per_bangkok_day(app, plan, crafted):
    data = figures(app, plan, Scope("officer", "55"))
    assert data.timeline == (
        ReadyDay(date(2026, 1, 11), 2, 2),  # 18:00 UTC on the 10th is the 11th in Bangkok
        ReadyDay(date(2026, 1, 13), 1, 3),
    )
    district = figures(app, plan, Scope("officer", MUEANG))
    assert district.timeline == (ReadyDay(date(2026, 1, 11), 2, 2),)


def test_district_officer_sees_its_subdistricts_only(app, plan, crafted):
    data = figures(app, plan, Scope("officer", MUEANG))
    assert data.progress.level == "subdistrict"
    assert data.progress.areas and all(a.code.startswith(MUEANG) for a in data.progress.areas)
    areas = by_code(data.progress)
    assert areas[MUEANG_SUB] == {"registered": 1, "training": 1, "ready": 1, "confirmed": 0,
                                 "needed": 3}  # fmt: skip
    assert areas[OTHER_SUB]["confirmed"] == 1
    assert data.progress.totals.total == 4
    assert [r.passed for r in data.pass_rates] == [3, 2, 2]


def test_subdistrict_view_lists_villages_and_filters_narrow_it(app, plan, crafted, village_codes):
    data = figures(app, plan, Scope("officer", MUEANG_SUB))
    assert data.progress.level == "village"
    assert [a.code for a in data.progress.areas] == village_codes[MUEANG_SUB]
    assert data.progress.areas[0].name.startswith("หมู่ ")
    narrowed = figures(app, plan, Scope("officer", "55"), district=MUEANG)
    assert narrowed.progress.level == "subdistrict"
    north = figures(app, plan, Scope("officer", "55"), zone="north")
    assert [a.code for a in north.progress.areas] == [PUA]
    assert north.progress.totals.total == 2


def test_admin_opens_on_the_districts_of_the_single_province(app, plan, crafted):
    data = figures(app, plan, Scope("admin", None))
    assert data.progress.level == "district"
    assert data.progress.totals.total == 6


def test_dashboard_page_shows_the_figures_and_charts(app, plan, crafted, officer_client):
    client = officer_client("55")
    response = client.get("/officer/dashboard")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r'id="stat-ready">3<', html)
    assert re.search(r'id="stat-needed">4<', html)
    assert "อ.เมืองน่าน" in html
    assert "67% passed · 80% of attempts" in html
    assert 'data-interval="10"' in html
    assert "/officer/dashboard/live" in html
    assert 'name="state"' not in html and 'name="q"' not in html, "areas and zone only"
    assert len(svgs(html)) == 3


def svgs(html: str) -> list[str]:
    """Every top-level <svg>…</svg> in a page (nested ones stay inside their parent)."""
    found, depth, start = [], 0, 0
    for match in re.finditer(r"<svg\b|</svg>", html):
        if match.group() == "<svg":
            if depth == 0:
                start = match.start()
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                found.append(html[start : match.end()])
    return found


def test_charts_are_well_formed_accessible_svg(app, plan, crafted, officer_client):
    html = officer_client("55").get("/officer/dashboard/live").get_data(as_text=True)
    charts = svgs(html)
    assert len(charts) == 3
    ns = "{http://www.w3.org/2000/svg}"
    for chart in charts:
        root = ET.fromstring(chart)  # raises on malformed XML
        assert root.get("role") == "img"
        assert root.find(f"{ns}title").text
        assert root.find(f"{ns}desc").text
    progress = ET.fromstring(charts[0])
    bars = progress.findall(f".//{ns}rect")
    assert any(r.get("class") == "s-confirmed" for r in bars)
    assert html.count('<div class="vh"><table>') == 3, "each chart has a table for screen readers"
    steps = ET.fromstring(charts[2])
    assert steps.find(f"{ns}svg/{ns}path[@class='line']") is not None


def test_other_district_filter_is_not_found_on_page_and_live(app, plan, crafted, officer_client):
    client = officer_client(MUEANG)
    assert client.get(f"/officer/dashboard?district={PUA}").status_code == 404
    assert client.get(f"/officer/dashboard/live?district={PUA}").status_code == 404
    live = client.get("/officer/dashboard/live").get_data(as_text=True)
    with app.app_context():
        stmt = select(Subdistrict.name_th).where(Subdistrict.district_code == PUA)
        elsewhere = get_session().scalars(stmt).first()
    assert "ต.ในเวียง" in live and f"ต.{elsewhere}" not in live
    assert re.search(r'id="stat-registered">4<', live)


def test_live_answers_304_until_a_volunteer_passes(
    app, plan, crafted, officer_client, make_volunteer, train, village_codes
):
    app.config["DASHBOARD_CACHE_SECONDS"] = 0
    client = officer_client("55")
    first = client.get("/officer/dashboard/live")
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-cache"
    etag = first.headers["ETag"]
    again = client.get("/officer/dashboard/live", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""

    newcomer = make_volunteer(village_codes[MUEANG_SUB][0], "ใหม่ ผ่าน")
    train(newcomer)
    changed = client.get("/officer/dashboard/live", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert re.search(r'id="stat-ready">4<', changed.get_data(as_text=True))


def test_page_embeds_the_etag_the_live_part_answers_304_to(app, plan, crafted, officer_client):
    client = officer_client(MUEANG)
    page = client.get(f"/officer/dashboard?subdistrict={MUEANG_SUB}").get_data(as_text=True)
    etag = re.search(r"data-etag='([^']+)'", page).group(1)
    live = client.get(
        f"/officer/dashboard/live?subdistrict={MUEANG_SUB}", headers={"If-None-Match": etag}
    )
    assert live.status_code == 304


def test_figures_are_reused_for_a_few_seconds_only(app, plan, crafted, officer_client, train):
    app.config["DASHBOARD_CACHE_SECONDS"] = 5
    client = officer_client("55")
    etag = client.get("/officer/dashboard/live").headers["ETag"]
    train(crafted["training"], when=utcnow())  # the trainee passes everything now
    cached = client.get("/officer/dashboard/live", headers={"If-None-Match": etag})
    assert cached.status_code == 304, "polls within the cache's seconds share one result"
    app.config["DASHBOARD_CACHE_SECONDS"] = 0
    fresh = client.get("/officer/dashboard/live", headers={"If-None-Match": etag})
    assert fresh.status_code == 200


def test_ttl_cache_expires():
    now = [100.0]
    cache = TTLCache(3, clock=lambda: now[0])
    calls = []
    assert cache.get("k", lambda: calls.append(1) or "a") == "a"
    now[0] += 2.9
    assert cache.get("k", lambda: calls.append(1) or "b") == "a"
    now[0] += 0.2
    assert cache.get("k", lambda: calls.append(1) or "c") == "c"
    assert len(calls) == 2


def test_without_an_active_plan_the_dashboard_says_so(app, areas, officer_client):
    client = officer_client("55")
    html = client.get("/officer/dashboard").get_data(as_text=True)
    assert "No active training plan." in html
    assert client.get("/officer/dashboard/live").status_code == 200


def test_volunteers_and_trainers_may_not_open_it(app, plan, make_user, login):
    from app.auth.models import Role

    client = app.test_client()
    login(client, make_user(Role.VOLUNTEER))
    assert client.get("/officer/dashboard").status_code == 403
    assert client.get("/officer/dashboard/live").status_code == 403


def test_page_is_light_on_a_phone(app, plan, crafted, officer_client):
    html = officer_client("55").get("/officer/dashboard").get_data()
    assert len(gzip.compress(html)) < 12_000


def test_chart_geometry():
    area = AreaProgress("5501", "อ.เมืองน่าน", (1, 2, 3, 0, 0), 10)
    assert bar_scale(Progress("district", (area,), area)) == 10
    segments = stacked(area, 12)
    assert [(s.state, s.x, s.width) for s in segments] == [
        ("registered", 0, 8.33),
        ("training", 8.33, 16.67),
        ("ready", 25.0, 25.0),
    ]
    days = [ReadyDay(date(2026, 1, 2), 2, 2), ReadyDay(date(2026, 1, 4), 1, 3)]
    chart = step_chart(days, date(2026, 1, 5))
    assert (chart.start, chart.width, chart.height) == (date(2026, 1, 1), 4, 3)
    assert chart.line == "M0,3H1V1H3V0H4"
    assert step_chart([], date(2026, 1, 5)) is None
