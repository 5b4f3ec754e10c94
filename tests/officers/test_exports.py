"""CSV and Excel exports of the readiness list, and its A4 print-out."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from app.db import db
from app.officers import list_views
from app.officers.exports import content_disposition, guard_cell
from app.officers.list_views import EXPORT_HEADER

from ..conftest import thai
from .conftest import MUEANG, MUEANG_SUB, PUA

FORMULA_NAME = '=HYPERLINK("http://evil.example","คลิก")'


@pytest.fixture
def listed(app, plan, make_volunteer, train, village_codes) -> dict[str, int]:
    """A ready volunteer, a would-be formula as a name, and one in another district."""
    pua_sub = next(code for code in village_codes if code.startswith(PUA))
    ids = {
        "ready": make_volunteer(village_codes[MUEANG_SUB][0], "กนก พร้อม"),
        "formula": make_volunteer(village_codes[MUEANG_SUB][1], FORMULA_NAME),
        "far": make_volunteer(village_codes[pua_sub][0], "งาม ปัว"),
    }
    train(ids["ready"], when=datetime(2026, 3, 1, 3, 0, tzinfo=UTC))  # 10:00 in Bangkok
    train(ids["formula"], passed=1)
    return ids


def read_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_has_thai_headers_rows_and_guarded_formulas(listed, officer_client):
    response = officer_client(MUEANG).get("/officer/volunteers/export.csv?sort=name")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.is_streamed
    rows = read_csv(response)
    assert rows[0] == EXPORT_HEADER
    assert rows[0][0] == "ชื่อ-สกุล"
    body = {row[0]: row for row in rows[1:]}
    assert len(rows) == 3  # header + the district's two volunteers, not Pua's
    assert "'" + FORMULA_NAME in body
    ready = body["กนก พร้อม"]
    assert ready[2] == "อสม." and ready[6] == "เมืองน่าน"
    assert ready[8] == "พร้อมจัดเก็บข้อมูล"  # the list's own wording
    assert (ready[9], ready[10]) == ("3/3", "100")
    assert ready[11] == "1 มี.ค. 2569 10:00"  # Bangkok time, Buddhist era
    assert ready[12] == ""
    assert body["'" + FORMULA_NAME][8] == "กำลังอบรม"
    # in scope: the full number, after a tab so Excel and LibreOffice keep it as text
    assert ready[1].startswith("\t0899") and len(ready[1]) == 11


def test_csv_applies_the_filters(listed, officer_client):
    client = officer_client("55")
    rows = read_csv(client.get("/officer/volunteers/export.csv?state=ready"))
    assert [row[0] for row in rows[1:]] == ["กนก พร้อม"]
    rows = read_csv(client.get(f"/officer/volunteers/export.csv?district={PUA}"))
    assert [row[0] for row in rows[1:]] == ["งาม ปัว"]
    assert client.get("/officer/volunteers/export.csv?sort=age").status_code == 400
    other = officer_client(MUEANG)
    assert other.get(f"/officer/volunteers/export.csv?district={PUA}").status_code == 404


def test_download_names_are_utf8_with_an_ascii_fallback(listed, officer_client):
    response = officer_client(MUEANG).get("/officer/volunteers/export.csv")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert "filename*=UTF-8''%E0%B8" in disposition  # Thai, percent-encoded
    fallback = disposition.split('filename="')[1].split('"')[0]
    assert fallback.isascii() and fallback.endswith(".csv") and MUEANG in fallback


def test_xlsx_reads_back_with_openpyxl(listed, officer_client):
    response = officer_client(MUEANG).get("/officer/volunteers/export.xlsx?sort=-name")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == EXPORT_HEADER
    assert [row[0] for row in rows[1:]] == ["กนก พร้อม", "'" + FORMULA_NAME]
    ready = rows[1]
    assert ready[4] == int(ready[4]) and ready[8] == "พร้อมจัดเก็บข้อมูล"
    assert ready[10] == 100
    assert ready[11] == "1 มี.ค. 2569 10:00"  # Bangkok time, Buddhist era
    assert isinstance(ready[1], str) and ready[1].startswith("0899")  # text, leading 0 kept
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:M3"
    widths = {col: sheet.column_dimensions[col].width for col in "ABCDEFGHIJKLM"}
    assert widths["A"] >= len(FORMULA_NAME) and widths["L"] >= len("1 มี.ค. 2569 10:00")


def test_every_readiness_label_is_the_lists_wording(app, listed, officer_client):
    client = officer_client(MUEANG)
    states = {row[8] for row in read_csv(client.get("/officer/volunteers/export.csv"))[1:]}
    labels = {thai(app, msgid) for msgid in ("Ready to collect", "Training")}
    assert states == labels
    assert "พร้อมปฏิบัติงาน" not in client.get("/officer/volunteers/print").get_data(as_text=True)


def test_unknown_export_format_is_not_found(listed, officer_client):
    assert officer_client(MUEANG).get("/officer/volunteers/export.pdf").status_code == 404


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+66", "'+66"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("สมศรี", "สมศรี"),
        ("0891234567", "0891234567"),
        (-2, -2),
        (None, None),
    ],
)
def test_guard_cell(value, expected):
    assert guard_cell(value) == expected


def test_content_disposition_falls_back_to_ascii():
    header = content_disposition("รายชื่อ.csv")
    assert header == (
        'attachment; filename="export.csv"; '
        "filename*=UTF-8''%E0%B8%A3%E0%B8%B2%E0%B8%A2%E0%B8%8A%E0%B8%B7%E0%B9%88%E0%B8%AD.csv"
    )
    assert content_disposition('a "b".csv').startswith('attachment; filename="a_b.csv";')


def test_print_view_is_an_a4_sheet_of_the_rows(listed, officer_client):
    officer = officer_client(MUEANG)
    html = officer.get("/officer/volunteers/print").get_data(as_text=True)
    assert "officers.css" in html  # its @page rule makes the sheet A4
    css = officer.get("/static/css/officers.css").get_data(as_text=True)
    assert "@page { size: A4; margin: 12mm }" in css
    assert "กนก พร้อม" in html and FORMULA_NAME.replace('"', "&#34;") in html
    assert "งาม ปัว" not in html
    assert "ลายมือชื่อ" in html and "อ.เมืองน่าน" in html
    assert "แผนการอบรม 2570" in html
    assert " 2569 " in html or " 2570 " in html or " 2571 " in html  # Buddhist-era date
    assert "<nav" not in html


def test_print_view_asks_to_narrow_a_long_list(listed, officer_client, monkeypatch):
    monkeypatch.setattr(list_views, "PRINT_LIMIT", 1)
    html = officer_client(MUEANG).get("/officer/volunteers/print").get_data(as_text=True)
    assert "แสดง 1 รายชื่อแรกจาก 2 คน" in html
    assert html.count('<td class="sign">') == 1


def test_streamed_csv_returns_its_database_connection(app, listed, officer_client):
    client = officer_client(MUEANG)
    with app.app_context():
        pool = db.engine.pool
    before = pool.checkedout()
    client.get("/officer/volunteers/export.csv").get_data()
    assert pool.checkedout() == before


def test_column_widths_count_thai_marks_above_and_below_as_nothing():
    from app.officers.exports import column_widths

    # สุ้ม: ส + ุ (below) + ้ (above) + ม = 2 columns wide on screen, 4 code points.
    assert column_widths(["ab"], [["สุ้ม"]]) == [2 + 3]
    wide = column_widths(["ชื่อ-สกุล"], [["ประภาพรรณ เจริญวงศ์ศักดิ์สกุล"]])[0]
    assert 25 <= wide <= 30
    assert column_widths(["x"], [["y" * 500]]) == [60]  # capped


def test_buddhist_era_dates():
    from datetime import date

    from app.officers.exports import date_be_th

    assert date_be_th(datetime(2026, 3, 1, 10, 0)) == "1 มี.ค. 2569 10:00"
    assert date_be_th(date(2026, 12, 31)) == "31 ธ.ค. 2569"
    assert date_be_th(None) == ""
