"""CSV and Excel downloads of officers' lists, streamed so memory stays flat for any size.

Cells that a spreadsheet would run as a formula (= + - @, tab, CR) are prefixed with ' so a
name typed as "=HYPERLINK(...)" stays text. Datetimes are written as given: pass local time
(the officers' views pass Buddhist-era text from `date_be_th`, as the UI shows them).

Mobile numbers are wrapped in `Text`: in Excel they are text cells; in a CSV they start with
a tab. Excel and LibreOffice both read a field that starts with a tab as text, so 0812345678
keeps its leading 0 and is not shown as 8.1E+08, and the tab is invisible. The alternatives
fail one of them: ="0812345678" is a formula (what the guard above exists to keep out, and
LibreOffice only evaluates it when "Evaluate formulas" is ticked on import), and Excel shows
a leading ' in a CSV as a character.
"""

from __future__ import annotations

import csv
import io
import itertools
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
    "column_widths",
    "content_disposition",
    "csv_response",
    "date_be",
    "date_be_th",
    "formatted_xlsx_response",
    "guard_cell",
    "percent_cell",
    "SheetSpec",
    "Text",
    "xlsx_response",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CSV_FLUSH_ROWS = 200
_XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_WIDTH_SAMPLE = 500  # rows read ahead to size the Excel columns
_MAX_WIDTH = 60
_THAI_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")  # fmt: skip


class Text(str):
    """A value our own code produced (a mobile number) that must stay text in a spreadsheet:
    never guarded, never read as a number."""


def date_be_th(value: date | datetime | None) -> str:
    """A local date (and time) in Thai with the Buddhist-era year: "1 มี.ค. 2569 10:00"."""
    if value is None:
        return ""
    text = f"{value.day} {_THAI_MONTHS[value.month - 1]} {value.year + 543}"
    if isinstance(value, datetime):
        text += value.strftime(" %H:%M")
    return text


def _display_width(value: Any) -> int:
    """Columns a value takes: Thai vowel and tone marks above or below a letter (Unicode
    category Mn) take none."""
    text = value if isinstance(value, str) else "" if value is None else str(value)
    return sum(1 for ch in text if unicodedata.category(ch) != "Mn")


def column_widths(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[float]:
    """Excel column widths that fit the header and the longest value of each column."""
    widths = [_display_width(h) for h in header]
    for row in rows:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _display_width(value))
    return [min(width + 3, _MAX_WIDTH) for width in widths]


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
    if isinstance(value, Text):
        return "\t" + value if value else ""
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
    if isinstance(value, Text):
        return str(value)
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
    then sent from the temporary file, which is removed once sent. Columns are as wide as
    the header and the first rows need, the header row stays frozen and has filters."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(sheet_title))
    rows = iter(rows)
    first = [[_xlsx_value(v) for v in row] for row in itertools.islice(rows, _WIDTH_SAMPLE)]
    for index, width in enumerate(column_widths(header, first), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_xlsx_value(h) for h in header])
    count = 1
    for row in itertools.chain(first, ([_xlsx_value(v) for v in row] for row in rows)):
        sheet.append(row)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(header), 1))}{count}"
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
