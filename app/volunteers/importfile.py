"""Reading an officer's volunteer file (CSV or XLSX, checked by content) into plain rows,
and keeping it on disk between the dry run and the import."""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
import time
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import DomainError

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# Rows read from the sheet, blank ones included: reading stops here (a small .xlsx can claim
# millions of empty rows, which openpyxl hands out one by one).
MAX_SHEET_ROWS = 2 * MAX_ROWS
MAX_CELL_CHARS = 500  # no cell of a volunteer list is longer
_MAX_UNZIPPED = 100 * 1024 * 1024  # an .xlsx that inflates past this is refused (zip bomb)
_MAX_COLUMNS = 30
# A checked file (it holds full ID card numbers) not imported within an hour is deleted: on
# every save and take, and by `flask volunteers purge-imports` (a timer's job).
KEEP_SECONDS = 3600

COLUMNS = ("full_name", "mobile", "volunteer_type", "village_code", "national_id")
REQUIRED = COLUMNS[:4]
# Header text (lower case, without spaces, dots, dashes or "*") -> column.
_ALIASES = {
    "full_name": ("fullname", "name", "ชื่อสกุล", "ชื่อนามสกุล", "ชื่อ"),
    "mobile": ("mobile", "phone", "เบอร์มือถือ", "เบอร์โทร", "เบอร์โทรศัพท์", "โทรศัพท์มือถือ"),
    "volunteer_type": ("volunteertype", "type", "ประเภท", "ประเภทอาสาสมัคร"),
    "village_code": ("villagecode", "village", "รหัสหมู่บ้าน"),
    "national_id": ("nationalid", "idcard", "เลขบัตรประชาชน", "เลขประจำตัวประชาชน", "เลขบัตร"),
}
HEADERS = {alias: column for column, aliases in _ALIASES.items() for alias in aliases}
# The template's header row: Thai (what Thai offices read); English names work too.
TEMPLATE_HEADER = ["ชื่อ-สกุล", "เบอร์มือถือ", "ประเภท", "รหัสหมู่บ้าน", "เลขบัตรประชาชน"]
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


class ImportFileError(DomainError):
    """The file cannot be read as a volunteer list; the message says why."""


@dataclass(frozen=True)
class RawRow:
    """One data row as text, with its row number in the sheet (the header is row 1)."""

    number: int
    full_name: str
    mobile: str
    volunteer_type: str
    village_code: str
    national_id: str


def size_text(size: int) -> str:
    """A size limit for people: "5 MB", or "64 KB" below a megabyte."""
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    return f"{size // (1024 * 1024)} MB"


def header_key(text: str) -> str:
    """A header cell reduced for matching: "ชื่อ - สกุล *" -> "ชื่อสกุล"."""
    return re.sub(r"[\s._\-*()]", "", text.replace("\ufeff", "")).lower()


def _cell(value: object) -> str:
    """A spreadsheet cell as text; whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _columns(header: list[str]) -> dict[str, int]:
    """Column -> index, from the header row (raises ImportFileError naming what is missing)."""
    found: dict[str, int] = {}
    for index, text in enumerate(header):
        column = HEADERS.get(header_key(text))
        if column is None:
            continue
        if column in found:
            raise ImportFileError(_l("The column %(name)s appears twice.", name=text))
        found[column] = index
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise ImportFileError(
            _l("Columns missing from the first row: %(names)s.", names=", ".join(missing))
        )
    return found


def _unreadable_row(number: int) -> ImportFileError:
    return ImportFileError(
        _l(
            "Row %(row)s cannot be read: a cell is too long, a quote is not closed or the "
            "file is damaged. Correct it or save the file again.",
            row=number,
        )
    )


class _Counted:
    """The records of a file, numbered as it is read (the header is row 1), so a parser
    failure can name the row it stopped at."""

    def __init__(self, records: Iterable[Sequence[object]]) -> None:
        self._records = iter(records)
        self.number = 0

    def __iter__(self) -> _Counted:
        return self

    def __next__(self) -> Sequence[object]:
        self.number += 1
        return next(self._records)


def _rows(records: Iterable[Sequence[object]]) -> list[RawRow]:
    """Header plus data records -> RawRows (blank rows skipped), with the row and cell limits
    checked as the records are read: reading stops at the first one exceeded."""
    iterator = iter(records)
    header = next(iterator, None)
    if header is None:
        raise ImportFileError(_l("The file is empty."))
    columns = _columns([_cell(v) for v in header])
    rows: list[RawRow] = []
    for number, record in enumerate(iterator, start=2):
        if number > MAX_SHEET_ROWS:
            raise ImportFileError(
                _l(
                    "The sheet goes on past row %(count)s (empty rows count too): delete the "
                    "empty rows below the list or split it.",
                    count=f"{MAX_SHEET_ROWS:,}",
                )
            )
        cells = [_cell(v) for v in record]
        if not any(cells):
            continue
        if any(len(cell) > MAX_CELL_CHARS for cell in cells):
            raise ImportFileError(
                _l(
                    "Row %(row)s has a cell longer than %(count)s characters.",
                    row=number,
                    count=MAX_CELL_CHARS,
                )
            )
        if len(rows) == MAX_ROWS:
            raise ImportFileError(
                _l("The file has more than %(count)s rows: split it.", count=f"{MAX_ROWS:,}")
            )
        values = {
            name: cells[index] if index < len(cells) else "" for name, index in columns.items()
        }
        rows.append(RawRow(number=number, **{name: values.get(name, "") for name in COLUMNS}))
    return rows


def _read_csv(data: bytes) -> list[RawRow]:
    """Rows of a UTF-8 CSV (comma, semicolon or tab separated); binary data is refused."""
    if b"\x00" in data:
        raise ImportFileError(_l("This is not a CSV text file. Upload a CSV or an .xlsx file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _l('The CSV file is not UTF-8 text. In Excel, save it as "CSV UTF-8".')
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    records = _Counted(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    try:
        return _rows(records)
    except csv.Error:  # a field over the csv module's limit, a broken quote
        raise _unreadable_row(records.number) from None


# What openpyxl and the XML parser under it raise on a damaged or hostile workbook (an
# entity declaration is refused by the parser with a ParseError or a ValueError).
_PARSER_FAILURES = (
    InvalidFileException,
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    SyntaxError,  # xml.etree's ParseError
    OverflowError,
    zlib.error,
    EOFError,
)


def _read_xlsx(data: bytes) -> list[RawRow]:
    """Rows of the first sheet of an .xlsx, after checking it is one (and not a zip bomb)."""
    unreadable = ImportFileError(_l("The Excel file cannot be read. Save it again as .xlsx."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise unreadable from None
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names or inflated > _MAX_UNZIPPED:
        raise unreadable
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not read
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
            except IndexError:
                book.close()
                raise unreadable from None
            # The size the sheet declares is not trusted (it may be wrong either way): rows are
            # read as they come, and _rows stops at the limit.
            sheet.reset_dimensions()
            records = _Counted(sheet.iter_rows(max_col=_MAX_COLUMNS, values_only=True))
            try:
                return _rows(records)
            except ImportFileError:
                raise
            except _PARSER_FAILURES:  # XML entities, a broken cell, a damaged sheet
                raise _unreadable_row(records.number) from None
            finally:
                book.close()
    except ImportFileError:
        raise
    except _PARSER_FAILURES:
        raise unreadable from None


def read_table(data: bytes, filename: str = "") -> list[RawRow]:
    """The rows of a CSV (UTF-8, with or without BOM) or XLSX file, told apart by content."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(_l("The file is larger than %(size)s.", size=size_text(MAX_BYTES)))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(_l("Old Excel files (.xls) cannot be read. Save it as .xlsx."))
    if filename.lower().endswith(".xlsx"):
        raise ImportFileError(_l("The Excel file cannot be read. Save it again as .xlsx."))
    return _read_csv(data)


def template_csv() -> bytes:
    """The import template: the header row, UTF-8 with a BOM so Excel shows the Thai.

    No example row: an example left in by mistake would register someone's number."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(TEMPLATE_HEADER)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def upload_folder(app: Flask) -> Path:
    """Where checked files wait for their import (VOLUNTEER_IMPORT_DIR, else the instance)."""
    folder = app.config.get("VOLUNTEER_IMPORT_DIR")
    return Path(folder) if folder else Path(app.instance_path) / "volunteer-imports"


def clock() -> float:
    """Seconds since the epoch: the age of kept files (the tests move this clock only)."""
    return time.time()


def purge_uploads(folder: Path, now: float | None = None) -> int:
    """Delete every kept file older than KEEP_SECONDS; returns how many were deleted."""
    if not folder.is_dir():
        return 0
    cutoff = (clock() if now is None else now) - KEEP_SECONDS
    deleted = 0
    for old in folder.glob("*.*"):  # kept (.upload) and half-taken (.taken-*) files
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
                deleted += 1
        except FileNotFoundError:  # taken or swept by another worker meanwhile
            continue
    return deleted


def save_upload(folder: Path, owner_id: int, data: bytes) -> str:
    """Keep a checked file for its import, readable by the app's user only (created 0600,
    never wider for a moment); returns the token that finds it again."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    purge_uploads(folder)
    token = secrets.token_urlsafe(24)
    path = folder / f"{owner_id}-{token}.upload"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return token


def _upload_path(folder: Path, owner_id: int, token: str) -> Path | None:
    """The kept file's path, or None for a malformed token."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    return folder / f"{owner_id}-{token}.upload"


def take_upload(folder: Path, owner_id: int, token: str) -> bytes | None:
    """The kept file of this owner and token, deleted as it is read (the import goes on from
    memory, whatever its outcome), or None: expired (over an hour old, swept), already taken,
    someone else's or a malformed token."""
    purge_uploads(folder)
    path = _upload_path(folder, owner_id, token)
    if path is None:
        return None
    # Renamed first, so of two confirmations sent at once only one gets the file.
    taken = path.with_suffix(f".taken-{secrets.token_hex(8)}")
    try:
        path.rename(taken)
    except FileNotFoundError:
        return None
    try:
        return taken.read_bytes()
    finally:
        taken.unlink(missing_ok=True)


def discard_upload(folder: Path, owner_id: int, token: str) -> None:
    """Delete a kept file (a no-op once taken)."""
    path = _upload_path(folder, owner_id, token)
    if path is not None:
        path.unlink(missing_ok=True)
