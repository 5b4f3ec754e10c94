"""Bounded work on an import file: limits checked while the file is read, parser failures
answered with a message naming the row (issue 14, defect 5)."""

from __future__ import annotations

import io
import resource
import time
import zipfile
from pathlib import Path

import pytest

from app.volunteers import importfile

from .conftest import MUEANG, MUEANG_SUB
from .test_import import URL, count_volunteers, csv_bytes, token, upload, xlsx_bytes

MANY = 8_000_000


@pytest.fixture
def mueang(village_codes):
    """A village code in Mueang (first of a tuple, as test_import's fixture)."""
    return (village_codes[MUEANG_SUB][0],)


def _patched(data: bytes, part: str, change) -> bytes:
    """The .xlsx with one of its parts changed."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in src.infolist():
            body = src.read(info.filename)
            archive.writestr(info, change(body) if info.filename == part else body)
    return out.getvalue()


def empty_rows_xlsx(village: str) -> bytes:
    """A few KB of .xlsx whose sheet claims 8 million rows, all empty but the last."""
    good = xlsx_bytes([["ก ข", "0899700001", "osm", village, ""]])

    def stretch(sheet: bytes) -> bytes:
        last = f'<row r="{MANY}"><c r="A{MANY}" t="inlineStr"><is><t>x</t></is></c></row>'
        sheet = sheet.replace(b'ref="A1:E2"', f'ref="A1:E{MANY}"'.encode())
        return sheet.replace(b"</sheetData>", last.encode() + b"</sheetData>")

    return _patched(good, "xl/worksheets/sheet1.xml", stretch)


def entity_xlsx(village: str) -> bytes:
    """An .xlsx whose sheet declares nested XML entities (a "billion laughs")."""
    good = xlsx_bytes([["ก ข", "0899700002", "osm", village, ""]])
    entities = "".join(f'<!ENTITY e{i} "{(f"&e{i - 1};" if i else "ha") * 10}">' for i in range(10))

    def poison(sheet: bytes) -> bytes:
        body = sheet.split(b"?>", 1)[1] if sheet.startswith(b"<?xml") else sheet
        body = body.replace(b"<t>osm</t>", b"<t>&e9;</t>")
        return f'<?xml version="1.0"?><!DOCTYPE w [{entities}]>'.encode() + body

    return _patched(good, "xl/worksheets/sheet1.xml", poison)


def _peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def test_a_sheet_of_millions_of_empty_rows_is_refused_quickly(app, officer_client, mueang):
    data = empty_rows_xlsx(mueang[0])
    assert len(data) < 75 * 1024
    officer = officer_client(MUEANG)
    before, started = _peak_kb(), time.monotonic()
    response = upload(officer, data, "list.xlsx")
    assert time.monotonic() - started < 3
    assert _peak_kb() - before < 100 * 1024  # well under 100 MB more than before
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The sheet goes on past row 40,000" in page
    assert count_volunteers(app) == 0


def test_the_confirm_step_stops_early_too(app, officer_client, mueang, import_folder):
    officer = officer_client(MUEANG)
    page = upload(officer, csv_bytes([["ก ข", "0899700003", "osm", mueang[0], ""]]))
    kept = token(page.get_data(as_text=True))
    (path,) = Path(import_folder).glob(f"*-{kept}.upload")
    path.write_bytes(empty_rows_xlsx(mueang[0]))  # whatever the kept file has become
    started = time.monotonic()
    response = officer.post(URL, data={"token": kept})
    assert time.monotonic() - started < 3
    assert response.status_code in (302, 400)
    assert count_volunteers(app) == 0


def test_xml_entities_in_a_workbook_get_a_message_naming_the_row(app, officer_client, mueang):
    response = upload(officer_client(MUEANG), entity_xlsx(mueang[0]), "list.xlsx")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "cannot be read" in page
    assert count_volunteers(app) == 0


def test_an_over_long_csv_field_gets_a_message_naming_the_row(app, officer_client, mueang):
    head = csv_bytes([["ก ข", "0899700004", "osm", mueang[0], ""]])
    data = head + b'"' + b"x" * 200_000 + b'",0899700005,osm,' + mueang[0].encode() + b",\n"
    response = upload(officer_client(MUEANG), data)
    assert response.status_code == 400
    assert "Row 3 cannot be read" in response.get_data(as_text=True)


def test_a_long_cell_is_refused_with_its_row(app, officer_client, mueang):
    rows = [["ก ข", "0899700006", "osm", mueang[0], ""], ["ก" * 600, "0899700007", "osm", "", ""]]
    response = upload(officer_client(MUEANG), csv_bytes(rows))
    assert response.status_code == 400
    assert "Row 3 has a cell longer than 500 characters." in response.get_data(as_text=True)


def test_the_row_limit_counts_blank_rows(monkeypatch):
    monkeypatch.setattr(importfile, "MAX_SHEET_ROWS", 10)
    rows = [importfile.COLUMNS[:4]] + [("", "", "", "")] * 20
    try:
        importfile._rows(rows)
    except importfile.ImportFileError:
        return
    raise AssertionError("20 blank rows passed a limit of 10")
