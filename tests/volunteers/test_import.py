"""Importing volunteers from CSV or Excel: a dry run listing every bad row with every reason,
then an all-or-nothing import that checks everything again."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.auth.services import create_user
from app.db import get_session
from app.volunteers.idcard import id_hash

from .conftest import MUEANG, MUEANG_SUB, OTHER_SUB, PUA, SECRET, new_id

URL = "/officer/volunteers/import"
HEADER = ["full_name", "mobile", "volunteer_type", "village_code", "national_id"]


def csv_bytes(rows: list[list[str]], header=HEADER, bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def xlsx_bytes(rows: list[list[object]], header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data: bytes, name: str = "volunteers.csv"):
    return client.post(
        URL, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def problems(page: str) -> dict[int, set[str]]:
    """Row number -> the problem codes the dry run lists for it."""
    found = {}
    for number, cells in re.findall(r'<tr data-row="(\d+)">(.*?)</tr>', page, re.S):
        found[int(number)] = set(re.findall(r'data-problem="(\w+)"', cells))
    return found


def token(page: str) -> str:
    match = re.search(r'name="token" type="hidden" value="([^"]+)"', page) or re.search(
        r'type="hidden" name="token" value="([^"]+)"', page
    )
    assert match, "no confirm form on the page"
    return match.group(1)


def count_volunteers(app) -> int:
    with app.app_context():
        return get_session().scalar(
            select(func.count()).select_from(User).where(User.role == "volunteer")
        )


def add_volunteer(app, phone: str, national_id: str | None = None) -> None:
    with app.app_context():
        session = get_session()
        user = create_user(
            session, full_name="มีอยู่ แล้ว", phone=phone, password=None, role=Role.VOLUNTEER
        )
        if national_id:
            user.national_id_hash = id_hash(SECRET, national_id)
        session.commit()


@pytest.fixture
def mueang(village_codes):
    """Two village codes in Mueang, one in Pua."""
    pua_sub = next(code for code in village_codes if code.startswith(PUA))
    return village_codes[MUEANG_SUB][0], village_codes[OTHER_SUB][0], village_codes[pua_sub][0]


def test_the_dry_run_lists_every_bad_row_with_every_reason(app, officer_client, mueang):
    here, there, pua = mueang
    add_volunteer(app, "0899570007", national_id=(registered_id := new_id()))
    shared_id = new_id()
    rows = [
        ["ดี มาก", "0899570001", "osm", here, new_id()],  # 2: good
        ["", "12345", "chief", here, ""],  # 3: three problems
        ["สาม สี่", "0899570003", "osm", "5501", "1234567890122"],  # 4: code, ID
        ["ห้า", "0899570005", "osm", here, ""],  # 5: same mobile as 6
        ["หก", "089-957-0005", "kpsm", there, ""],  # 6
        ["เจ็ด", "0899570007", "osm", here, ""],  # 7: mobile registered
        ["แปด", "0899570008", "osm", "55019999", ""],  # 8: no such village
        ["เก้า", "0899570009", "osm", pua, ""],  # 9: village outside the area
        ["สิบ", "0899570010", "osm", here, shared_id],  # 10: same ID as 11
        ["สิบเอ็ด", "0899570011", "osm", here, shared_id],  # 11
        ["สิบสอง", "0899570012", "osm", here, registered_id],  # 12: ID registered
    ]
    response = upload(officer_client(MUEANG), csv_bytes(rows))
    page = response.get_data(as_text=True)
    assert problems(page) == {
        3: {"missing_name", "bad_mobile", "unknown_type"},
        4: {"bad_village", "bad_id"},
        5: {"mobile_in_file"},
        6: {"mobile_in_file"},
        7: {"mobile_registered"},
        8: {"unknown_village"},
        9: {"unknown_village"},
        10: {"id_in_file"},
        11: {"id_in_file"},
        12: {"id_registered"},
    }
    assert "The same mobile number is on row 6." in page
    assert "The same mobile number is on row 5." in page
    assert "The same ID card number is on row 11." in page
    assert "10 of 11 rows have problems (good rows: 1)" in page
    assert 'name="token"' not in page  # nothing to confirm
    assert pua not in page  # the Pua village is reported as unknown, nothing more
    assert count_volunteers(app) == 1


def test_thai_headers_bom_and_thai_type_names_import(app, officer_client, mueang):
    here, there, _ = mueang
    header = ["ชื่อ-สกุล", "เบอร์มือถือ", "ประเภท", "รหัสหมู่บ้าน", "เลขบัตรประชาชน"]
    types = ["อสม.", "ผู้ใหญ่บ้าน", "ผู้นำ อช.", "กพสม.", "อื่นๆ"]
    rows = [[f"คนที่ {i}", f"08995800{i:02d}", t, here, ""] for i, t in enumerate(types)]
    rows.append(["มีบัตร", "0899580099", "osm", there, new_id()])
    officer = officer_client(MUEANG)
    page = upload(officer, csv_bytes(rows, header=header, bom=True)).get_data(as_text=True)
    assert "Every row can be imported: 6 volunteers." in page
    response = officer.post(URL, data={"token": token(page)})
    assert response.status_code == 200  # one activation slip per imported volunteer
    slips = response.get_data(as_text=True)
    assert slips.count("data-activation-code") == 6 and "6 volunteers imported." in slips
    with app.app_context():
        users = get_session().scalars(select(User).where(User.role == "volunteer")).all()
        assert sorted(u.volunteer_type for u in users) == sorted(
            ["osm", "osm", "village_head", "och_leader", "kpsm", "other"]
        )
        assert all(u.password_hash == "" and u.registered_by_id == officer.user_id for u in users)
        with_id = next(u for u in users if u.phone == "0899580099")
        assert with_id.national_id_masked.startswith("x-xxxx-xxxxx-")


def test_an_excel_file_is_checked_and_imported(app, officer_client, mueang):
    here, _, _ = mueang
    number = new_id(prefix="99990")  # as a number, a leading 0 would be lost
    # Excel drops a mobile's leading 0 and stores codes as numbers: both are understood.
    good = [["เอ็กเซล หนึ่ง", 899590001, "อสม.", int(here), int(number)]]
    bad = [*good, ["เอ็กเซล สอง", "0899590001", "ประธาน", int(here), None]]
    officer = officer_client(MUEANG)
    page = upload(officer, xlsx_bytes(bad), "list.xlsx").get_data(as_text=True)
    assert problems(page) == {2: {"mobile_in_file"}, 3: {"mobile_in_file", "unknown_type"}}
    page = upload(officer, xlsx_bytes(good), "list.xlsx").get_data(as_text=True)
    assert "Every row can be imported: 1 volunteers." in page
    officer.post(URL, data={"token": token(page)})
    with app.app_context():
        user = get_session().scalar(select(User).where(User.phone == "0899590001"))
        assert user.national_id_hash == id_hash(SECRET, number)


def test_one_bad_row_imports_nothing(app, officer_client, mueang):
    here, _, _ = mueang
    rows = [[f"คน {i}", f"0899600{i:03d}", "osm", here, ""] for i in range(60)]
    rows.append(["ผิด", "0899600999", "osm", "55019999", ""])
    officer = officer_client(MUEANG)
    page = upload(officer, csv_bytes(rows)).get_data(as_text=True)
    assert problems(page) == {62: {"unknown_village"}}
    assert "Nothing was imported." in page and "(good rows: 60)" in page
    # Not even a forged confirmation imports anything.
    officer.post(URL, data={"token": "x" * 32})
    assert count_volunteers(app) == 0


def test_the_import_checks_again_and_is_all_or_nothing(app, officer_client, mueang):
    here, _, _ = mueang
    rows = [[f"คน {i}", f"0899610{i:03d}", "osm", here, ""] for i in range(5)]
    officer = officer_client(MUEANG)
    page = upload(officer, csv_bytes(rows)).get_data(as_text=True)
    add_volunteer(app, "0899610003")  # registered between the dry run and the import
    response = officer.post(URL, data={"token": token(page)})
    assert response.status_code == 409
    assert problems(response.get_data(as_text=True)) == {5: {"mobile_registered"}}
    assert count_volunteers(app) == 1


def test_a_kept_file_belongs_to_its_officer(app, officer_client, mueang):
    here, _, _ = mueang
    page = upload(officer_client(MUEANG), csv_bytes([["ก ข", "0899620001", "osm", here, ""]]))
    other = officer_client(MUEANG)
    response = other.post(URL, data={"token": token(page.get_data(as_text=True))})
    assert response.status_code == 302
    assert "This import has expired" in other.get(URL).get_data(as_text=True)
    assert count_volunteers(app) == 0


def test_a_large_file_is_imported_in_bulk(app, officer_client, mueang):
    here, there, _ = mueang
    rows = [
        [f"คน {i}", f"08996{i:05d}", "osm", here if i % 2 else there, new_id()] for i in range(2500)
    ]
    officer = officer_client(MUEANG)
    page = upload(officer, csv_bytes(rows)).get_data(as_text=True)
    assert "Every row can be imported: 2500 volunteers." in page
    officer.post(URL, data={"token": token(page)})
    assert count_volunteers(app) == 2500


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "list.csv", "This is not a CSV text file."),
        ("ชื่อ,เบอร์".encode("cp874"), "list.csv", "The CSV file is not UTF-8 text."),
        (_zip_without_workbook(), "list.xlsx", "The Excel file cannot be read."),
        (b"just text", "list.xlsx", "The Excel file cannot be read."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "list.xls", "Old Excel files (.xls)"),
        (b"", "list.csv", "The file is empty."),
        (b"name,phone\nA,0899630001\n", "list.csv", "Columns missing from the first row"),
    ],
)
def test_unreadable_files_get_a_clear_message(app, officer_client, areas, data, name, message):
    response = upload(officer_client(MUEANG), data, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_too_many_rows_are_refused(app, officer_client, mueang, monkeypatch):
    monkeypatch.setattr("app.volunteers.importfile.MAX_ROWS", 3)
    rows = [[f"คน {i}", f"0899640{i:03d}", "osm", mueang[0], ""] for i in range(4)]
    response = upload(officer_client(MUEANG), csv_bytes(rows))
    assert "The file has more than 3 rows: split it." in response.get_data(as_text=True)
    assert count_volunteers(app) == 0


def test_a_file_over_the_size_limit_is_refused(app, officer_client, mueang, monkeypatch):
    monkeypatch.setattr("app.volunteers.importfile.MAX_BYTES", 64 * 1024)
    rows = [[f"คน {i}", f"08996{i:05d}", "osm", mueang[0], ""] for i in range(2000)]
    response = upload(officer_client(MUEANG), csv_bytes(rows))
    assert response.status_code == 400
    assert "The file is larger than 64 KB." in response.get_data(as_text=True)
    assert count_volunteers(app) == 0


def test_the_template_downloads_and_reads_back(app, officer_client, areas):
    officer = officer_client(MUEANG)
    response = officer.get("/officer/volunteers/import/template.csv")
    assert response.mimetype == "text/csv"
    assert response.data.startswith("\ufeffชื่อ-สกุล,เบอร์มือถือ".encode())
    filled = response.data + "ตาม แม่แบบ,0899650001,อสม.,55010101,\r\n".encode()
    page = upload(officer, filled).get_data(as_text=True)
    assert "Every row can be imported: 1 volunteers." in page
    page = upload(officer, response.data).get_data(as_text=True)
    assert "The file has no rows under its header." in page
