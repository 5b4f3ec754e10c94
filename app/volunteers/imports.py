"""Importing volunteers from an officer's file: a dry run that lists every bad row with all
its reasons, then an all-or-nothing bulk insert that checks everything again."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..areas.access import Scope, volunteers_in_scope
from ..areas.models import Village
from ..auth.models import Role, User
from ..auth.phone import normalise_phone
from ..auth.signals import send_volunteers_changed
from ..db import utcnow
from ..errors import DomainError
from .idcard import BadNationalId, clean_id, id_hash, mask_id
from .importfile import RawRow
from .types import type_from_text

_CHUNK = 1000  # values per IN (...) query
_NAME_MAX = 120


@dataclass(frozen=True)
class Problem:
    """One reason a row cannot be imported: a code for tests, a message for people."""

    code: str
    message: object  # a lazy string, rendered in the viewer's language


@dataclass(frozen=True)
class GoodRow:
    """A row ready to insert."""

    number: int
    full_name: str
    phone: str
    volunteer_type: str
    village_id: int
    national_id_masked: str | None
    national_id_hash: str | None


@dataclass
class DryRun:
    """What an import would do: the good rows and, per bad row, every reason."""

    total: int = 0
    good: list[GoodRow] = field(default_factory=list)
    problems: dict[int, list[Problem]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    # Rows left out because the person is registered in that village already (only when the
    # officer asked to skip them): row numbers, in file order.
    skipped: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row can be imported (or is skipped as registered already)."""
        return self.total > 0 and not self.problems

    @property
    def bad_rows(self) -> list[tuple[int, str, list[Problem]]]:
        """(row number, name as written, reasons), in file order."""
        return [(n, self.names.get(n, ""), self.problems[n]) for n in sorted(self.problems)]


class ImportRejected(DomainError):
    """At import time some row was bad: nothing was imported."""

    def __init__(self, dry_run: DryRun) -> None:
        super().__init__(f"{len(dry_run.problems)} bad rows")
        self.dry_run = dry_run


def _chunks(values: list[str]) -> Iterable[list[str]]:
    """The values in slices small enough for one IN (...) query."""
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _existing(session: Session, column, values: set[str]) -> set[str]:
    """Which of the values the column holds already."""
    found: set[str] = set()
    for chunk in _chunks(sorted(values)):
        found.update(session.scalars(select(column).where(column.in_(chunk))))
    return found


def _villages(session: Session, scope: Scope, codes: set[str]) -> dict[str, int]:
    """Village code -> id for the codes that exist inside the scope (others stay unknown)."""
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(codes)):
        stmt = scope.villages(select(Village.code, Village.id).where(Village.code.in_(chunk)))
        found.update({code: id_ for code, id_ in session.execute(stmt)})
    return found


def _mobile(text: str) -> str | None:
    """The normalised mobile; a 9-digit number is one whose leading 0 a spreadsheet dropped."""
    if len(text) == 9 and text.isdigit() and text[0] in "689":
        text = "0" + text
    return normalise_phone(text)


def _others(rows: list[int], number: int) -> str:
    """The other row numbers of a duplicate group, for the message."""
    return ", ".join(str(n) for n in rows if n != number)


def _registered_in_village(
    session: Session, scope: Scope, column, values: set[str]
) -> set[tuple[str, int]]:
    """(value, village id) of the volunteers in scope whose `column` (mobile or ID hash) is
    one of the values: who is registered already, and where."""
    found: set[tuple[str, int]] = set()
    for chunk in _chunks(sorted(values)):
        stmt = volunteers_in_scope(select(column, User.village_id).select_from(User), scope)
        found.update((value, village) for value, village in session.execute(
            stmt.where(column.in_(chunk))
        ))  # fmt: skip
    return found


def _already_here(
    session: Session,
    scope: Scope,
    rows: list[RawRow],
    villages: dict[str, int],
    phones: dict[int, str],
    hashes: dict[int, str],
) -> list[int]:
    """Rows whose person is registered in the row's own village (same mobile or same ID
    card number), in file order: a re-uploaded list with a few new names."""
    by_phone = _registered_in_village(session, scope, User.phone, set(phones.values()))
    by_id = _registered_in_village(session, scope, User.national_id_hash, set(hashes.values()))
    found = []
    for row in rows:
        village = villages.get(row.village_code)
        if village is None:
            continue
        if (phones.get(row.number), village) in by_phone or (
            hashes.get(row.number),
            village,
        ) in by_id:
            found.append(row.number)
    return found


def check_rows(
    session: Session,
    rows: list[RawRow],
    *,
    scope: Scope,
    secret: str,
    skip_registered: bool = False,
) -> DryRun:
    """Check every row against the rules, each other and the database (nothing is written).
    With `skip_registered`, a row whose person is registered in that same village already
    is skipped (counted in `skipped`) instead of refused."""
    result = DryRun(total=len(rows))
    problems: dict[int, list[Problem]] = defaultdict(list)
    phones: dict[int, str] = {}
    ids: dict[int, tuple[str, str]] = {}
    types: dict[int, str] = {}
    for row in rows:
        result.names[row.number] = row.full_name[:_NAME_MAX]
        add = problems[row.number].append
        if not row.full_name:
            add(Problem("missing_name", _l("The name is missing.")))
        elif len(row.full_name) > _NAME_MAX:
            add(Problem("long_name", _l("The name is longer than 120 characters.")))
        phone = _mobile(row.mobile)
        if not row.mobile:
            add(Problem("missing_mobile", _l("The mobile number is missing.")))
        elif phone is None:
            add(Problem("bad_mobile", _l("The mobile number is not a Thai mobile number.")))
        else:
            phones[row.number] = phone
        kind = type_from_text(row.volunteer_type)
        if kind is None:
            add(Problem("unknown_type", _l("Unknown volunteer type.")))
        else:
            types[row.number] = kind
        if not (len(row.village_code) == 8 and row.village_code.isdigit()):
            add(Problem("bad_village", _l("The village code must have 8 digits.")))
        if row.national_id:
            try:
                digits = clean_id(row.national_id)
            except BadNationalId:
                add(Problem("bad_id", _l("The ID card number is not valid.")))
            else:
                ids[row.number] = (mask_id(digits), id_hash(secret, digits))
    villages = _villages(session, scope, {r.village_code for r in rows if r.village_code})
    for row in rows:
        if len(row.village_code) == 8 and row.village_code not in villages:
            # Outside the officer's area reads the same as unknown: nothing leaks.
            problems[row.number].append(Problem("unknown_village", _l("Unknown village code.")))
    hashes = {n: h for n, (_, h) in ids.items()}
    if skip_registered:
        result.skipped = _already_here(session, scope, rows, villages, phones, hashes)
        for number in result.skipped:
            phones.pop(number, None)
            hashes.pop(number, None)
            problems.pop(number, None)
    _duplicates(problems, phones, "mobile", _existing(session, User.phone, set(phones.values())))
    _duplicates(
        problems, hashes, "id", _existing(session, User.national_id_hash, set(hashes.values()))
    )
    result.problems = {n: p for n, p in problems.items() if p}
    skipped = set(result.skipped)
    for row in rows:
        if row.number in result.problems or row.number in skipped:
            continue
        masked, hashed = ids.get(row.number, (None, None))
        result.good.append(
            GoodRow(
                number=row.number,
                full_name=row.full_name,
                phone=phones[row.number],
                volunteer_type=types[row.number],
                village_id=villages[row.village_code],
                national_id_masked=masked,
                national_id_hash=hashed,
            )
        )
    return result


def _duplicates(
    problems: dict[int, list[Problem]], values: dict[int, str], what: str, in_db: set[str]
) -> None:
    """Flag rows sharing a value with other rows (naming them) or with a registered user."""
    rows_by_value: dict[str, list[int]] = defaultdict(list)
    for number, value in values.items():
        rows_by_value[value].append(number)
    for value, numbers in rows_by_value.items():
        for number in numbers:
            if len(numbers) > 1:
                others = _others(numbers, number)
                message = (
                    _l("The same mobile number is on row %(rows)s.", rows=others)
                    if what == "mobile"
                    else _l("The same ID card number is on row %(rows)s.", rows=others)
                )
                problems[number].append(Problem(f"{what}_in_file", message))
            if value in in_db:
                message = (
                    _l("This mobile number is registered already.")
                    if what == "mobile"
                    else _l("This ID card number is registered already.")
                )
                problems[number].append(Problem(f"{what}_registered", message))


def insert_rows(session: Session, rows: list[GoodRow], *, officer_id: int, now: datetime) -> int:
    """Bulk-insert checked rows as unclaimed volunteer accounts (no password to hash)."""
    if rows:
        session.execute(
            insert(User),
            [
                {
                    "full_name": row.full_name,
                    "phone": row.phone,
                    "password_hash": "",
                    "role": Role.VOLUNTEER.value,
                    "volunteer_type": row.volunteer_type,
                    "village_id": row.village_id,
                    "national_id_masked": row.national_id_masked,
                    "national_id_hash": row.national_id_hash,
                    "registered_by_id": officer_id,
                    "active": True,
                    "save_data": False,
                    "created_at": now,
                }
                for row in rows
            ],
        )
        send_volunteers_changed(session, {row.village_id for row in rows})
    return len(rows)


def run_import(
    session: Session,
    rows: list[RawRow],
    *,
    scope: Scope,
    officer_id: int,
    secret: str,
    now: datetime | None = None,
    skip_registered: bool = False,
) -> list[GoodRow]:
    """Check every row again and insert them all (but the skipped ones, when asked), or
    raise ImportRejected and insert none. Returns the rows inserted."""
    dry_run = check_rows(session, rows, scope=scope, secret=secret, skip_registered=skip_registered)
    if not dry_run.ok:
        raise ImportRejected(dry_run)
    insert_rows(session, dry_run.good, officer_id=officer_id, now=now or utcnow())
    return dry_run.good
