"""Rankings do not put tiny villages on top: equal shares go to the area with more ready
volunteers, and a province can set a minimum size (RANKING_MIN_NEEDED)."""

from __future__ import annotations

from datetime import timedelta

from app.db import utcnow
from app.officers import rules

from ..conftest import thai
from .conftest import MUEANG, MUEANG_SUB, OTHER_SUB
from .test_rankings import households  # noqa: F401 - fixture


def test_equal_shares_rank_the_bigger_area_first():
    early, late = utcnow() - timedelta(days=9), utcnow()
    tiny = rules.ranking_key(100.0, early, "A", counted=1)
    big = rules.ranking_key(100.0, late, "B", counted=5)
    assert sorted([tiny, big]) == [big, tiny]
    assert rules.ranking_key(100.0, None, "C", counted=1) < rules.ranking_key(90.0, None, "D", 9)


def test_rankable_minimum():
    assert rules.rankable(1, 1) and not rules.rankable(0, 1) and not rules.rankable(2, 3)
    assert rules.rankable(3, 3) and rules.rankable(1, 0)


def test_page_ranks_a_full_big_village_above_a_full_tiny_one_and_applies_the_minimum(
    app,
    plan,
    make_volunteer,
    train,
    village_codes,
    households,  # noqa: F811 - the fixture imported above
    officer_client,
):
    tiny, big = village_codes[MUEANG_SUB][0], village_codes[OTHER_SUB][0]
    households({tiny: 12, big: 120})  # needs 1 and 3
    train(make_volunteer(tiny, "เล็ก หนึ่ง"), when=utcnow() - timedelta(days=9))
    for name in ("ใหญ่ หนึ่ง", "ใหญ่ สอง", "ใหญ่ สาม"):
        train(make_volunteer(big, name))
    client = officer_client(MUEANG)
    html = client.get("/officer/rankings").get_data(as_text=True)
    villages = html.split("<section>")[1]
    assert villages.index(big) < villages.index(tiny)
    assert 'id="ranking-rule"' in html
    app.config["RANKING_MIN_NEEDED"] = 2
    html = client.get("/officer/rankings").get_data(as_text=True)
    villages = html.split("<section>")[1]
    assert big in villages and tiny not in villages
    assert "RANKING_MIN_NEEDED" in html
    thai_page = officer_client(MUEANG)
    thai_page.post("/language", data={"lang": "th"})
    text = thai_page.get("/officer/rankings").get_data(as_text=True)
    expected = thai(
        app,
        "Areas that need fewer than %(n)s volunteers are not ranked (a setting of this "
        "province: RANKING_MIN_NEEDED).",
        n=2,
    )
    assert expected in text
