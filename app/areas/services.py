"""Loading the area list and reading it for pickers."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import DomainError
from .models import District, Province, Subdistrict, Village
from .scope import Scope

COLUMNS = [
    "district_code",
    "district_th",
    "district_en",
    "subdistrict_code",
    "subdistrict_th",
    "subdistrict_en",
]
# Common northern Thai village-name stems, for generated demo villages only.
_DEMO_STEMS = ["ดอน", "นา", "ห้วย", "ป่า", "สบ", "ทุ่ง", "น้ำ", "หนอง", "ปง", "แม่"]
_DEMO_TAILS = ["ใหม่", "เหนือ", "ใต้", "หลวง", "งาม", "แก้ว", "ทอง", "สัก", "ไคร้", "คำ"]


# Province names by DOPA code, for gazetteers that carry no province columns.
PROVINCE_NAMES = {"55": ("น่าน", "Nan")}


class AreaFileError(DomainError):
    """The area CSV is malformed; the message names the file, row and field."""


@dataclass(frozen=True)
class AreaRow:
    """One subdistrict row of the area CSV."""

    district_code: str
    district_th: str
    district_en: str
    subdistrict_code: str
    subdistrict_th: str
    subdistrict_en: str


def read_area_csv(path: Path) -> list[AreaRow]:
    """Parse and check the CSV: codes nest (subdistrict starts with its district's code)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise AreaFileError(f"{path}: line 1: columns must be {','.join(COLUMNS)}")
        rows = []
        for line, raw in enumerate(reader, start=2):
            row = AreaRow(**{k: (raw[k] or "").strip() for k in COLUMNS})
            if not (row.district_code.isdigit() and len(row.district_code) == 4):
                raise AreaFileError(f"{path}: line {line}: district_code must be 4 digits")
            if not (
                row.subdistrict_code.isdigit()
                and len(row.subdistrict_code) == 6
                and row.subdistrict_code.startswith(row.district_code)
            ):
                raise AreaFileError(
                    f"{path}: line {line}: subdistrict_code must be 6 digits "
                    "starting with its district_code"
                )
            for field in ("district_th", "subdistrict_th"):
                if not getattr(row, field):
                    raise AreaFileError(f"{path}: line {line}: {field} is empty")
            rows.append(row)
    return rows


def load_areas(session: Session, rows: list[AreaRow], demo_villages: int = 0) -> dict[str, int]:
    """Upsert districts and subdistricts; add demo villages where a subdistrict has none."""
    counts = {"districts": 0, "subdistricts": 0, "villages": 0}
    provinces = {p.code: p for p in session.scalars(select(Province))}
    for code in sorted({row.district_code[:2] for row in rows} - set(provinces)):
        name_th, name_en = PROVINCE_NAMES.get(code, (f"จังหวัดรหัส {code}", f"Province {code}"))
        provinces[code] = Province(code=code, name_th=name_th, name_en=name_en)
        session.add(provinces[code])
    districts = {d.code: d for d in session.scalars(select(District))}
    subdistricts = {s.code: s for s in session.scalars(select(Subdistrict))}
    for row in rows:
        district = districts.get(row.district_code)
        if district is None:
            district = District(code=row.district_code, province_code=row.district_code[:2])
            session.add(district)
            districts[row.district_code] = district
            counts["districts"] += 1
        district.name_th, district.name_en = row.district_th, row.district_en
        sub = subdistricts.get(row.subdistrict_code)
        if sub is None:
            sub = Subdistrict(code=row.subdistrict_code, district_code=row.district_code)
            session.add(sub)
            subdistricts[row.subdistrict_code] = sub
            counts["subdistricts"] += 1
        sub.name_th, sub.name_en = row.subdistrict_th, row.subdistrict_en
    session.flush()
    if demo_villages:
        counts["villages"] = add_demo_villages(session, list(subdistricts.values()), demo_villages)
    return counts


def add_demo_villages(session: Session, subdistricts: list[Subdistrict], per: int) -> int:
    """Generate `per` clearly marked demo villages in each subdistrict that has no village."""
    have = set(session.scalars(select(Village.subdistrict_code).distinct()))
    added = 0
    for sub in subdistricts:
        if sub.code in have:
            continue
        rng = random.Random(sub.code)  # same names and sizes on every machine
        for moo in range(1, per + 1):
            name = f"บ้าน{rng.choice(_DEMO_STEMS)}{rng.choice(_DEMO_TAILS)}"
            session.add(
                Village(
                    code=f"{sub.code}{moo:02d}",
                    subdistrict_code=sub.code,
                    moo=moo,
                    name_th=name,
                    households=rng.randint(60, 220),
                    is_demo=True,
                )
            )
            added += 1
    session.flush()
    return added


def list_districts(session: Session) -> list[District]:
    """Every district with its subdistricts and villages, for the signup picker."""
    stmt = (
        select(District)
        .order_by(District.code)
        .options(selectinload(District.subdistricts).selectinload(Subdistrict.villages))
    )
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class AreaChoices:
    """What an officer can pick in the area filters: districts in (or around) the scope, the
    chosen district's subdistricts, the chosen subdistrict's villages."""

    districts: list[District]
    subdistricts: list[Subdistrict]
    villages: list[Village]


def area_choices(
    session: Session, scope: Scope, *, district: str = "", subdistrict: str = ""
) -> AreaChoices:
    """The pickers' options, limited to the scope (three small queries)."""
    districts = [
        d
        for d in session.scalars(select(District).order_by(District.code))
        if scope.overlaps(d.code)
    ]
    subdistricts: list[Subdistrict] = []
    if district or (scope.prefix and len(scope.prefix) >= 4):
        parent = district or (scope.prefix or "")[:4]
        stmt = select(Subdistrict).where(Subdistrict.district_code == parent)
        subdistricts = [
            s for s in session.scalars(stmt.order_by(Subdistrict.code)) if scope.overlaps(s.code)
        ]
    villages: list[Village] = []
    parent_sub = subdistrict or ((scope.prefix or "") if len(scope.prefix or "") == 6 else "")
    if parent_sub:
        stmt = select(Village).where(Village.subdistrict_code == parent_sub).order_by(Village.moo)
        villages = list(session.scalars(stmt))
    return AreaChoices(districts, subdistricts, villages)


def area_label(session: Session, code: str | None) -> str:
    """The Thai name of an area code: "จ.น่าน", "อ.เมืองน่าน", "ต.ในเวียง" or a village."""
    if not code:
        return "ทุกพื้นที่"
    if len(code) == 2:
        province = session.get(Province, code)
        return f"จ.{province.name_th}" if province else code
    if len(code) == 4:
        district = session.get(District, code)
        return f"อ.{district.name_th}" if district else code
    if len(code) == 6:
        sub = session.get(Subdistrict, code)
        return f"ต.{sub.name_th} อ.{sub.district.name_th}" if sub else code
    village = session.scalar(select(Village).where(Village.code == code))
    return village.label_th if village else code
