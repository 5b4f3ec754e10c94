"""Field-visit sheets: a page per village of a subdistrict, with mobile numbers."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import PersonalDataEvent as AuditEvent
from app.auth.models import User
from app.db import get_session

from ..conftest import thai
from .conftest import MUEANG, MUEANG_SUB, OTHER_SUB


def _sheets(client, **args):
    return client.get("/officer/volunteers/village-sheets", query_string=args)


def test_one_page_per_village_with_mobiles_in_thai_order(
    app, plan, make_volunteer, village_codes, officer_client
):
    first, second = village_codes[MUEANG_SUB]
    ids = [
        make_volunteer(first, "ไพโรจน์ หนึ่ง"),
        make_volunteer(first, "ขวัญ หนึ่ง"),
        make_volunteer(second, "กนก สอง"),
        make_volunteer(village_codes[OTHER_SUB][0], "คำ บ่อ"),
    ]
    client = officer_client(MUEANG)
    response = _sheets(client, subdistrict=MUEANG_SUB)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert html.count('<section class="village-page">') == 2
    assert html.index("ขวัญ หนึ่ง") < html.index("ไพโรจน์ หนึ่ง") < html.index("กนก สอง")
    assert "คำ บ่อ" not in html  # another subdistrict
    with app.app_context():
        session = get_session()
        phones = [session.get(User, i).phone for i in ids]
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "volunteers.export"))
        assert event is not None and event.detail == {"format": "village-sheet"}
    assert all(phone in html for phone in phones[:3])
    assert "style=" not in html and "<script" not in html


def test_sheets_need_a_subdistrict_and_stay_in_scope(app, areas, officer_client):
    client = officer_client(MUEANG)
    client.post("/language", data={"lang": "th"})
    response = _sheets(client)
    assert response.status_code == 400
    message = thai(app, "Choose a subdistrict first: the sheets have a page per village.")
    assert message in response.get_data(as_text=True)
    assert _sheets(officer_client("5507"), subdistrict=MUEANG_SUB).status_code == 404


def test_list_and_coverage_link_to_the_sheets(plan, officer_client):
    client = officer_client(MUEANG)
    link = f"/officer/volunteers/village-sheets?subdistrict={MUEANG_SUB}"
    list_html = client.get(f"/officer/volunteers?subdistrict={MUEANG_SUB}").get_data(as_text=True)
    cov_html = client.get(f"/officer/coverage?subdistrict={MUEANG_SUB}").get_data(as_text=True)
    assert link in list_html and link in cov_html
