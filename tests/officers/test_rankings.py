"""Rankings: top 5 areas by the share of needed volunteers who are ready, ties by who got
there first."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from app.areas.access import Scope
from app.areas.models import Village
from app.db import get_session, utcnow
from app.officers.rankings import rankings
from app.readiness.models import TrainingPlan

from .conftest import MUEANG, MUEANG_SUB, OTHER_SUB, PUA

TODAY = date(2026, 11, 25)
PUA_SUB = PUA + "01"
ADMIN = Scope("admin", None)


def days_ago(n: int):
    return utcnow() - timedelta(days=n)


@pytest.fixture
def households(app, areas):
    """households({village code: n}) sets those villages and 0 for every other village."""

    def set_(values: dict[str, int]) -> None:
        with app.app_context():
            session = get_session()
            session.execute(update(Village).values(households=0))
            for code, n in values.items():
                session.execute(update(Village).where(Village.code == code).values(households=n))
            session.commit()

    return set_


@pytest.fixture
def race(plan, make_volunteer, train, village_codes, households):
    """Four villages of เมืองน่าน and one of ปัว with known shares and 100% moments."""
    v1, v2 = village_codes[MUEANG_SUB]
    v3, v4 = village_codes[OTHER_SUB]
    v5 = village_codes[PUA_SUB][0]
    households({v1: 40, v2: 40, v3: 80, v4: 40, v5: 40})
    train(make_volunteer(v1, "หนึ่ง"), when=days_ago(1))  # 100% since 1 day ago
    train(make_volunteer(v2, "สอง"), when=days_ago(5))  # 100% since 5 days ago
    train(make_volunteer(v3, "สาม"), when=days_ago(10))  # 1 of 2: 50%
    train(make_volunteer(v4, "สี่ ก"), when=days_ago(3))  # 100% since 3 days ago,
    train(make_volunteer(v4, "สี่ ข"), when=days_ago(2))  # the second is a surplus
    train(make_volunteer(v5, "ห้า"), when=days_ago(7))  # 100% since 7 days ago
    return {"v1": v1, "v2": v2, "v3": v3, "v4": v4, "v5": v5, "plan": plan}


def ranked(session, plan_id, scope=ADMIN, today=TODAY):
    plan = session.get(TrainingPlan, plan_id)
    return rankings(session, plan=plan, scope=scope, today=today)


def test_villages_rank_by_share_then_earliest_full_then_code(session, race):
    villages = ranked(session, race["plan"])["village"]
    assert [v.code for v in villages] == [race[k] for k in ("v5", "v2", "v4", "v1", "v3")]
    assert [v.rank for v in villages] == [1, 2, 3, 4, 5]
    first = villages[0]
    assert (first.share, first.counted, first.needed) == (100, 1, 1)
    assert first.reached_at.date() == days_ago(7).date()
    surplus = villages[2]
    assert (surplus.ready, surplus.counted, surplus.share) == (2, 1, 100)
    assert surplus.reached_at.date() == days_ago(3).date()  # its first ready volunteer
    assert (villages[4].share, villages[4].reached_at) == (50, None)


def test_equal_shares_the_earlier_village_first_even_against_code_order(session, race):
    villages = [v.code for v in ranked(session, race["plan"])["village"]]
    assert race["v1"] < race["v2"]
    assert villages.index(race["v2"]) < villages.index(race["v1"])


def test_subdistricts_and_districts_cap_ready_per_village(session, race):
    result = ranked(session, race["plan"])
    subs = result["subdistrict"]
    # Both at 100%: ในเวียง (2 ready of 2) above ปัว's one village needing 1.
    assert [s.code for s in subs] == [MUEANG_SUB, PUA_SUB, OTHER_SUB]
    # ในเวียง reached 100% when its last village did (1 day ago).
    assert subs[0].reached_at.date() == days_ago(1).date()
    # บ่อ: 1 of 2 and 1 (+1 surplus) of 1 = 2 of 3, not 3 of 3.
    assert (subs[2].counted, subs[2].ready, subs[2].needed) == (2, 3, 3)
    assert subs[2].share == pytest.approx(66.67, abs=0.01)
    districts = result["district"]
    assert [d.code for d in districts] == [PUA, MUEANG]
    assert (districts[1].counted, districts[1].needed, districts[1].share) == (4, 5, 80)


def test_only_the_top_five_are_listed(
    session, plan, make_volunteer, train, village_codes, households
):
    codes = [c for sub in sorted(village_codes) for c in village_codes[sub]][:7]
    households(dict.fromkeys(codes, 40))
    for index, code in enumerate(codes):
        train(make_volunteer(code, f"คนที่ {index}"), when=days_ago(index + 1))
    villages = ranked(session, plan)["village"]
    assert len(villages) == 5
    assert [v.code for v in villages] == list(reversed(codes))[:5]  # the earliest first


def test_areas_without_ready_volunteers_are_not_ranked(session, plan, households, village_codes):
    households({village_codes[MUEANG_SUB][0]: 100})
    assert ranked(session, plan) == {"village": [], "subdistrict": [], "district": []}


def test_expired_plan_ranks_nobody(session, race):
    plan = session.get(TrainingPlan, race["plan"])
    plan.expires_on = TODAY - timedelta(days=1)
    session.commit()
    assert all(not areas for areas in ranked(session, race["plan"]).values())


def test_district_officer_ranks_only_their_areas(session, race):
    result = ranked(session, race["plan"], scope=Scope("officer", MUEANG))
    assert [v.code for v in result["village"]] == [race[k] for k in ("v2", "v4", "v1", "v3")]
    assert [s.code for s in result["subdistrict"]] == [MUEANG_SUB, OTHER_SUB]
    assert [d.code for d in result["district"]] == [MUEANG]


def test_subdistrict_officer_does_not_rank_the_wider_district(session, race):
    result = ranked(session, race["plan"], scope=Scope("officer", OTHER_SUB))
    assert [s.code for s in result["subdistrict"]] == [OTHER_SUB]
    assert result["district"] == []


def test_page_shows_the_order_share_and_certificate_links(officer_client, race):
    client = officer_client(MUEANG)
    response = client.get("/officer/rankings")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.index(race["v2"]) < html.index(race["v4"]) < html.index(race["v1"])
    assert race["v5"] not in html  # ปัว is not this officer's
    assert "66.7%" in html and "2 / 3" in html  # half-up, not 66.6
    assert f"/officer/certificates/village/{race['v2']}" in html
    assert f"/officer/certificates/district/{MUEANG}" in html


def test_page_without_a_plan(officer_client, app, areas):
    client = officer_client(MUEANG)
    response = client.get("/officer/rankings")
    assert response.status_code == 200
    assert "No active training plan" in response.get_data(as_text=True)
