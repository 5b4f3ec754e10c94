"""The gazetteer files: area, zone and village CSVs, told apart by header and checked row by row."""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DomainError
from .models import ZONES

DATA = Path(__file__).resolve().parent / "data"
ZONES_CSV = DATA / "nan-zones.csv"
DEMO_VILLAGES_CSV = DATA / "nan-demo-villages.csv"  # made by scripts/make_demo_villages.py

COLUMNS = [
    "district_code",
    "district_th",
    "district_en",
    "subdistrict_code",
    "subdistrict_th",
    "subdistrict_en",
]
ZONE_COLUMNS = ["district_code", "zone"]
VILLAGE_COLUMNS = ["village_code", "moo", "name_th", "households"]
KINDS = {"areas": COLUMNS, "zones": ZONE_COLUMNS, "villages": VILLAGE_COLUMNS}
NAME_LENGTH = 120  # Village.name_th
MAX_HOUSEHOLDS = 99_999  # far above any village; stops a typo before it reaches the database

# Province names by DOPA code, for gazetteers that carry no province columns.
PROVINCE_NAMES = {"55": ("น่าน", "Nan")}


class AreaFileError(DomainError):
    """A gazetteer file is wrong; the message names the file, line and field of every problem."""

    def __init__(self, problems: str | list[str]) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class AreaRow:
    """One subdistrict row of the area CSV."""

    district_code: str
    district_th: str
    district_en: str
    subdistrict_code: str
    subdistrict_th: str
    subdistrict_en: str
    where: str = field(default="", compare=False)


@dataclass(frozen=True)
class ZoneRow:
    """One row of a zones CSV: a district's support zone."""

    district_code: str
    zone: str
    where: str = field(default="", compare=False)


@dataclass(frozen=True)
class VillageRow:
    """One row of a villages CSV; households None means "not given" (an update keeps the old)."""

    code: str
    moo: int
    name_th: str
    households: int | None
    demo: bool = False
    where: str = field(default="", compare=False)


@dataclass
class Gazetteer:
    """A batch of files: the right rows and every problem found (before the database check)."""

    areas: list[AreaRow] = field(default_factory=list)
    zones: list[ZoneRow] = field(default_factory=list)
    villages: list[VillageRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "FILE: line N: field ..."


def _digits(text: str, length: int | None = None) -> bool:
    """ASCII digits only (str.isdigit also takes Thai and superscript digits)."""
    return re.fullmatch(r"[0-9]+", text) is not None and length in (None, len(text))


def read_area_csv(path: Path) -> list[AreaRow]:
    """Parse and check an area CSV: codes nest (subdistrict starts with its district's code)."""
    batch = read_gazetteer([path], kinds=("areas",))
    if batch.problems:
        raise AreaFileError(batch.problems)
    return batch.areas


def read_gazetteer(
    paths: Sequence[Path], *, demo: bool = False, kinds: Sequence[str] = tuple(KINDS)
) -> Gazetteer:
    """Read files by header; villages are demo with `demo` or from the shipped demo file."""
    batch = Gazetteer()
    for path in paths:
        is_demo = demo or Path(path).resolve() == DEMO_VILLAGES_CSV
        _read_file(Path(path), batch, demo=is_demo, kinds=kinds)
    batch.problems += _duplicates(batch)
    return batch


def _read_file(path: Path, batch: Gazetteer, *, demo: bool, kinds: Sequence[str]) -> None:
    """Append the file's right rows and its problems to the batch."""
    # utf-8-sig: a CSV saved from Excel starts with a byte order mark.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [name.strip() for name in next(reader, [])]
        kind = next((k for k in kinds if KINDS[k] == header), None)
        if kind is None:
            wanted = " or ".join(",".join(KINDS[k]) for k in kinds)
            batch.problems.append(f"{path}: line 1: columns must be {wanted}")
            return
        for values in reader:
            where = f"{path}: line {reader.line_num}"
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                batch.problems.append(
                    f"{where}: expected {len(header)} fields, found {len(values)}"
                )
                continue
            raw = {name: value.strip() for name, value in zip(header, values, strict=True)}
            if kind == "areas":
                _read_area(raw, where, batch)
            elif kind == "zones":
                _read_zone(raw, where, batch)
            else:
                _read_village(raw, where, demo, batch)


def _read_area(raw: dict[str, str], where: str, batch: Gazetteer) -> None:
    """Check one area row; keep it when it is right."""
    row = AreaRow(**raw, where=where)
    found = []
    if not _digits(row.district_code, 4):
        found.append(f"{where}: district_code must be 4 digits")
    if not (
        _digits(row.subdistrict_code, 6) and row.subdistrict_code.startswith(row.district_code)
    ):
        found.append(f"{where}: subdistrict_code must be 6 digits starting with its district_code")
    found += [
        f"{where}: {name} is empty" for name in ("district_th", "subdistrict_th") if not raw[name]
    ]
    batch.problems += found
    if not found:
        batch.areas.append(row)


def _read_zone(raw: dict[str, str], where: str, batch: Gazetteer) -> None:
    """Check one zone row; keep it when it is right."""
    found = []
    if not _digits(raw["district_code"], 4):
        found.append(f"{where}: district_code must be 4 digits")
    if raw["zone"] not in ZONES:
        found.append(f"{where}: zone must be one of {', '.join(ZONES)} (found {raw['zone']!r})")
    batch.problems += found
    if not found:
        batch.zones.append(ZoneRow(raw["district_code"], raw["zone"], where))


def _read_village(raw: dict[str, str], where: str, demo: bool, batch: Gazetteer) -> None:
    """Check one village row; keep it when it is right."""
    code, moo, name, households = (raw[name] for name in VILLAGE_COLUMNS)
    found = []
    if not (_digits(code, 8) and code[6:] != "00"):
        found.append(f"{where}: village_code must be 8 digits: subdistrict code + 2-digit moo")
    if not (_digits(moo) and 1 <= int(moo) <= 99):
        found.append(f"{where}: moo must be a whole number from 1 to 99 (found {moo!r})")
    elif not found and int(moo) != int(code[6:]):
        found.append(f"{where}: moo {moo} does not match village_code {code} (moo {code[6:]})")
    if not name:
        found.append(f"{where}: name_th is empty")
    elif len(name) > NAME_LENGTH:
        found.append(f"{where}: name_th is longer than {NAME_LENGTH} characters")
    if households and not (_digits(households) and int(households) <= MAX_HOUSEHOLDS):
        found.append(
            f"{where}: households must be a whole number from 0 to {MAX_HOUSEHOLDS}"
            f" (found {households!r})"
        )
    batch.problems += found
    if not found:
        count = int(households) if households else None
        batch.villages.append(VillageRow(code, int(moo), name, count, demo, where))


def _duplicates(batch: Gazetteer) -> list[str]:
    """A code given twice in the batch, in one file or two, is an error: which one would win?"""
    problems = []
    for label, rows, key in (
        ("subdistrict_code", batch.areas, lambda r: r.subdistrict_code),
        ("district_code", batch.zones, lambda r: r.district_code),
        ("village_code", batch.villages, lambda r: r.code),
    ):
        first: dict[str, str] = {}
        for row in rows:
            code = key(row)
            if code in first:
                problems.append(f"{row.where}: {label} {code} is repeated (first at {first[code]})")
            else:
                first[code] = row.where
    return problems
