"""The admins' audit log: filters, newest first, pages, Thai labels, CSV and Excel exports
that read back (Thai headers, Buddhist-era dates) and are themselves audited."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.auth.audit import record
from app.auth.models import PersonalDataEvent, Role
from app.db import get_session
from app.privacy.auditlog import PER_PAGE

from ..conftest import thai
from .conftest import MUEANG, PUA, user_row

URL = "/admin/audit"


@pytest.fixture
def trail(app, make_user, village_of):
    """Three entries by two officers about two volunteers, on known days."""
    vol_a = make_user(full_name="อาสา หนึ่ง", village_code=village_of)
    vol_b = make_user(full_name="อาสา สอง", village_code=village_of)
    off_a = make_user(Role.OFFICER, full_name="เจ้าหน้าที่ เมือง", area_code=MUEANG)
    off_b = make_user(Role.OFFICER, full_name="เจ้าหน้าที่ ปัว", area_code=PUA)
    with app.app_context():
        session = get_session()
        for actor, action, subjects, area, day in (
            (off_a, "volunteer.view", [vol_a], MUEANG, datetime(2026, 1, 10, 3, tzinfo=UTC)),
            (
                off_a,
                "volunteers.export",
                [vol_a, vol_b],
                MUEANG,
                datetime(2026, 2, 1, 3, tzinfo=UTC),
            ),
            (off_b, "volunteer.edit", [vol_b], PUA, datetime(2026, 3, 5, 3, tzinfo=UTC)),
        ):
            event = record(
                session, actor_id=actor, action=action, subjects=subjects, area_code=area
            )
            event.at = day
        session.commit()
    return {"vol_a": vol_a, "vol_b": vol_b, "off_a": off_a, "off_b": off_b}


def actions(page: str) -> list[str]:
    return re.findall(r'data-action="([\w.]+)"', page)


def test_newest_first_with_thai_labels(app, admin_client, trail):
    admin_client.post("/language", data={"lang": "th"})
    response = admin_client.get(URL)
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    page = response.get_data(as_text=True)
    assert actions(page) == ["volunteer.edit", "volunteers.export", "volunteer.view"]
    assert thai(app, "Changed the volunteer's details") in page
    assert "2569" in page  # Buddhist era


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "volunteer.view"}, ["volunteer.view"]),
        ({"actor": "off_b"}, ["volunteer.edit"]),
        ({"subject": "vol_a"}, ["volunteers.export", "volunteer.view"]),
        ({"subject": "vol_b:mobile"}, ["volunteer.edit", "volunteers.export"]),
        ({"area": PUA}, ["volunteer.edit"]),
        ({"area": "55"}, ["volunteer.edit", "volunteers.export", "volunteer.view"]),
        ({"since": "2026-01-15", "until": "2026-02-01"}, ["volunteers.export"]),
    ],
)
def test_filters(app, admin_client, trail, query, expected):
    args = {}
    for key, value in query.items():
        if value.endswith(":mobile"):
            value = user_row(app, trail[value.split(":")[0]]).phone
        args[key] = str(trail.get(value, value))
    page = admin_client.get(URL, query_string=args).get_data(as_text=True)
    assert actions(page) == expected


@pytest.mark.parametrize(
    "query",
    [{"action": "drop.table"}, {"area": "5x"}, {"since": "tomorrow"}, {"subject": "0812345678"}],
)
def test_bad_filters_get_a_clear_thai_message(app, admin_client, trail, query):
    admin_client.post("/language", data={"lang": "th"})
    response = admin_client.get(URL, query_string=query)
    assert response.status_code == 400
    assert 'role="alert"' in response.get_data(as_text=True)
    assert admin_client.get("/admin/audit/export.csv", query_string=query).status_code == 400


def test_pages_of_fifty(app, admin_client, make_user):
    officer = make_user(Role.OFFICER, area_code=MUEANG)
    with app.app_context():
        session = get_session()
        for _ in range(PER_PAGE + 5):
            record(session, actor_id=officer, action="volunteers.list", area_code=MUEANG)
        session.commit()
    page = admin_client.get(URL).get_data(as_text=True)
    assert len(actions(page)) == PER_PAGE
    before = re.search(r"before=(\d+)", page).group(1)
    older = admin_client.get(URL, query_string={"before": before}).get_data(as_text=True)
    assert len(actions(older)) == 5
    assert "before=" not in older.split("Older entries")[0][-200:]


def test_csv_export_reads_back_in_thai_and_is_audited(app, admin_client, trail):
    response = admin_client.get("/admin/audit/export.csv", query_string={"subject": trail["vol_a"]})
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["เลขที่รายการ", "วันเวลา (เวลาประเทศไทย)", "การดำเนินการ"]
    assert len(rows) == 3
    assert rows[1][2] == "ส่งออกหรือพิมพ์รายชื่ออาสาสมัคร"
    assert "2569" in rows[1][1] and "กุมภาพันธ์" in rows[1][1]
    assert rows[1][3] == "เจ้าหน้าที่ เมือง" and rows[1][4] == "เจ้าหน้าที่"
    assert rows[1][8].split() == sorted(str(i) for i in (trail["vol_a"], trail["vol_b"]))
    body = response.get_data(as_text=True)
    assert "อาสา หนึ่ง" not in body  # subjects by account number only
    with app.app_context():
        exported = (
            get_session()
            .scalars(select(PersonalDataEvent).where(PersonalDataEvent.action == "audit.export"))
            .all()
        )
    assert [(e.actor_id, e.detail["rows"], e.detail["format"]) for e in exported] == [
        (admin_client.user_id, 2, "csv")
    ]


def test_xlsx_export_reads_back(app, admin_client, trail):
    response = admin_client.get(
        "/admin/audit/export.xlsx", query_string={"action": "volunteer.edit"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][2] == "การดำเนินการ"
    assert len(rows) == 2 and rows[1][2] == "แก้ไขข้อมูลอาสาสมัคร" and "2569" in rows[1][1]


@pytest.mark.parametrize("url", [URL, "/admin/audit/export.csv", "/admin/audit/export.xlsx"])
def test_officers_are_refused(officer_client, trail, url):
    assert officer_client(MUEANG).get(url).status_code == 403


def test_the_officers_start_page_links_the_log_for_admins_only(admin_client, officer_client):
    assert URL in admin_client.get("/officer/").get_data(as_text=True)
    assert URL not in officer_client(MUEANG).get("/officer/").get_data(as_text=True)


def test_every_audited_action_has_a_thai_label(app):
    from app.auth.audit import ACTIONS
    from app.privacy.labels import ACTION_LABELS

    assert set(ACTION_LABELS) == set(ACTIONS)
    for label in ACTION_LABELS.values():
        thai(app, label._args[0])
