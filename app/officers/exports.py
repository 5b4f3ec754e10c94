"""CSV and Excel downloads of officers' lists, streamed so memory stays flat for any size.

Cells that a spreadsheet would run as a formula (= + - @, tab, CR) are prefixed with ' so a
name typed as "=HYPERLINK(...)" stays text. Datetimes are written as given: pass local time.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import quote

from flask import Response, send_file, stream_with_context
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

__all__ = [
    "SheetSpec",
    "content_disposition",
    "csv_response",
    "date_be",
    "formatted_xlsx_response",
    "guard_cell",
    "percent_cell",
    "xlsx_response",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CSV_FLUSH_ROWS = 200
_XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def guard_cell(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula, prefixed with ' (other values as is)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII fallback name and the UTF-8 name (RFC 5987/6266)."""
    stem, dot, extension = filename.rpartition(".") if "." in filename else (filename, "", "")

    def ascii_part(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._-")

    ascii_name = (ascii_part(stem) or "export") + dot + ascii_part(extension)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _csv_text(value: Any) -> Any:
    """A cell as CSV text: datetimes to the minute, dates as ISO, None as empty."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return guard_cell(value)


def csv_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    session: Session | None = None,
) -> Response:
    """A streamed UTF-8 CSV download (with a BOM, so Excel reads Thai correctly).

    Pass the `session` that `rows` reads from: the view's app context (and its session
    teardown) ends before the body streams, so the session is closed here once the last row
    is sent or the client goes away, returning its connection to the pool."""

    def generate() -> Iterator[str]:
        try:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            buffer.write("\ufeff")
            writer.writerow([guard_cell(h) for h in header])
            for count, row in enumerate(rows, start=1):
                writer.writerow([_csv_text(v) for v in row])
                if count % _CSV_FLUSH_ROWS == 0:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
            yield buffer.getvalue()
        finally:
            if session is not None:
                session.close()

    response = Response(stream_with_context(generate()), mimetype="text/csv")
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = "no-store"  # personal data
    return response


def _xlsx_value(value: Any) -> Any:
    """A cell for openpyxl: guarded text without control characters, naive datetimes."""
    if isinstance(value, str):
        return guard_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones: callers pass local time
    return value


def _sheet_title(title: str) -> str:
    """A valid worksheet name: no []:*?/\\ and at most 31 characters."""
    return (re.sub(r"[\[\]:*?/\\]", " ", title).strip() or "Sheet")[:31]


def xlsx_response(
    filename: str, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Response:
    """An Excel download: rows written as they stream into a write-only workbook on disk,
    then sent from the temporary file, which is removed once sent."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(sheet_title))
    sheet.append([_xlsx_value(h) for h in header])
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # deleted when closed
    try:
        workbook.save(handle)
        handle.seek(0)
        response = send_file(handle, mimetype=_XLSX_MIME, max_age=0)
    except BaseException:
        handle.close()
        raise
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = "no-store"
    return response


def percent_cell(value: float | None) -> float | str:
    """A percentage for an export cell: one decimal, rounded half up; blank when none."""
    if value is None:
        return ""
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def date_be(day: date) -> str:
    """A day as Thai offices write it: day/month/Buddhist-era year (7/12/2569)."""
    return f"{day.day}/{day.month}/{day.year + 543}"


@dataclass(frozen=True)
class SheetSpec:
    """One worksheet of a formatted workbook: its title, header, rows and column widths;
    columns listed in `percent_columns` (0-based) show one decimal."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    widths: Sequence[int]
    percent_columns: frozenset[int] = frozenset()


def formatted_xlsx_response(filename: str, sheets: Sequence[SheetSpec]) -> Response:
    """A small Excel download for meetings: per sheet a bold frozen header with an
    autofilter and set column widths (built in memory: for summaries, not long lists)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(_sheet_title(spec.title))
        sheet.append([_xlsx_value(h) for h in spec.header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in spec.rows:
            sheet.append([_xlsx_value(v) for v in row])
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        for column in spec.percent_columns:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
                cell.number_format = "0.0"
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    response = send_file(buffer, mimetype=_XLSX_MIME, max_age=0)
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = "no-store"
    return response
