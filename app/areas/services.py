"""Loading the gazetteer (areas, zones, villages) into the database and reading it for pickers."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, lazyload, selectinload

from .access import Scope
from .gazetteer import (
    COLUMNS,
    PROVINCE_NAMES,
    AreaFileError,
    AreaRow,
    Gazetteer,
    VillageRow,
    ZoneRow,
    read_area_csv,
)
from .models import District, Province, Subdistrict, Village

# Common northern Thai village-name stems, for generated demo villages only.
_DEMO_STEMS = ["ดอน", "นา", "ห้วย", "ป่า", "สบ", "ทุ่ง", "น้ำ", "หนอง", "ปง", "แม่"]
_DEMO_TAILS = ["ใหม่", "เหนือ", "ใต้", "หลวง", "งาม", "แก้ว", "ทอง", "สัก", "ไคร้", "คำ"]

__all__ = [
    "COLUMNS",
    "PROVINCE_NAMES",
    "AreaChoices",
    "AreaFileError",
    "AreaRow",
    "LoadReport",
    "Tally",
    "add_demo_villages",
    "area_choices",
    "area_label",
    "check_gazetteer",
    "list_districts",
    "load_areas",
    "load_gazetteer",
    "read_area_csv",
]


@dataclass
class Tally:
    """How many rows of one kind a load created, updated or found unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class LoadReport:
    """What a gazetteer load did, per kind."""

    districts: Tally = field(default_factory=Tally)
    subdistricts: Tally = field(default_factory=Tally)
    zones: Tally = field(default_factory=Tally)
    villages: Tally = field(default_factory=Tally)
    real_kept: int = 0  # demo rows skipped because a real village has that code

    def lines(self) -> list[str]:
        """One line per kind, for the CLI."""
        lines = [
            f"districts: {self.districts}",
            f"subdistricts: {self.subdistricts}",
            f"zones: {self.zones.updated} set, {self.zones.unchanged} unchanged",
            f"villages: {self.villages}",
        ]
        if self.real_kept:
            lines.append(f"villages: {self.real_kept} demo rows skipped (a real village is there)")
        return lines


def check_gazetteer(session: Session, batch: Gazetteer) -> list[str]:
    """Problems of the batch against the database: zones and villages of unknown areas."""
    districts = set(session.scalars(select(District.code))) | {r.district_code for r in batch.areas}
    subdistricts = set(session.scalars(select(Subdistrict.code))) | {
        r.subdistrict_code for r in batch.areas
    }
    problems = [
        f"{row.where}: district_code: unknown district {row.district_code}"
        for row in batch.zones
        if row.district_code not in districts
    ]
    problems += [
        f"{row.where}: village_code: unknown subdistrict {row.code[:6]}"
        for row in batch.villages
        if row.code[:6] not in subdistricts
    ]
    return problems


def load_gazetteer(session: Session, batch: Gazetteer) -> LoadReport:
    """Upsert a batch (never deleting); any problem in it raises AreaFileError before a write."""
    problems = batch.problems + check_gazetteer(session, batch)
    if problems:
        raise AreaFileError(problems)
    report = LoadReport()
    report.districts, report.subdistricts = upsert_areas(session, batch.areas)
    report.zones = upsert_zones(session, batch.zones)
    report.villages, report.real_kept = upsert_villages(session, batch.villages)
    return report


def upsert_areas(session: Session, rows: Sequence[AreaRow]) -> tuple[Tally, Tally]:
    """Create or rename districts and subdistricts (and their province); tally each."""
    districts, subdistricts = Tally(), Tally()
    provinces = set(session.scalars(select(Province.code)))
    for code in sorted({row.district_code[:2] for row in rows} - provinces):
        name_th, name_en = PROVINCE_NAMES.get(code, (f"จังหวัดรหัส {code}", f"Province {code}"))
        session.add(Province(code=code, name_th=name_th, name_en=name_en))
    known_districts = {d.code: d for d in session.scalars(select(District))}
    known_subs = {s.code: s for s in session.scalars(select(Subdistrict))}
    seen: set[str] = set()
    for row in rows:
        district = known_districts.get(row.district_code)
        if district is None:
            district = District(code=row.district_code, province_code=row.district_code[:2])
            session.add(district)
            known_districts[row.district_code] = district
            districts.created += 1
        elif row.district_code not in seen:
            same = (district.name_th, district.name_en) == (row.district_th, row.district_en)
            districts.unchanged += same
            districts.updated += not same
        seen.add(row.district_code)
        district.name_th, district.name_en = row.district_th, row.district_en
        sub = known_subs.get(row.subdistrict_code)
        if sub is None:
            sub = Subdistrict(code=row.subdistrict_code, district_code=row.district_code)
            session.add(sub)
            subdistricts.created += 1
        else:
            same = (sub.name_th, sub.name_en) == (row.subdistrict_th, row.subdistrict_en)
            subdistricts.unchanged += same
            subdistricts.updated += not same
        sub.name_th, sub.name_en = row.subdistrict_th, row.subdistrict_en
    session.flush()
    return districts, subdistricts


def upsert_zones(session: Session, rows: Sequence[ZoneRow]) -> Tally:
    """Set each listed district's support zone."""
    tally = Tally()
    districts = {d.code: d for d in session.scalars(select(District))}
    for row in rows:
        district = districts[row.district_code]
        tally.unchanged += district.zone == row.zone
        tally.updated += district.zone != row.zone
        district.zone = row.zone
    session.flush()
    return tally


def upsert_villages(session: Session, rows: Sequence[VillageRow]) -> tuple[Tally, int]:
    """Create or update villages (a demo row never touches a real one); tally, demo rows skipped."""
    tally, real_kept = Tally(), 0
    stmt = select(Village).options(lazyload(Village.subdistrict))
    existing = {v.code: v for v in session.scalars(stmt)}
    new = []
    for row in rows:
        village = existing.get(row.code)
        if village is None:
            new.append(
                {
                    "code": row.code,
                    "subdistrict_code": row.code[:6],
                    "moo": row.moo,
                    "name_th": row.name_th,
                    "households": row.households,
                    "is_demo": row.demo,
                }
            )
            continue
        if row.demo and not village.is_demo:
            real_kept += 1
            continue
        households = village.households if row.households is None else row.households
        values = (row.moo, row.name_th, households, row.demo)
        if (village.moo, village.name_th, village.households, village.is_demo) == values:
            tally.unchanged += 1
        else:
            village.moo, village.name_th, village.households, village.is_demo = values
            tally.updated += 1
    session.flush()
    if new:  # one executemany, not one INSERT per village
        session.execute(insert(Village), new)
    tally.created = len(new)
    return tally, real_kept


def load_areas(session: Session, rows: list[AreaRow], demo_villages: int = 0) -> dict[str, int]:
    """Upsert districts and subdistricts; add demo villages where a subdistrict has none."""
    districts, subdistricts = upsert_areas(session, rows)
    counts = {"districts": districts.created, "subdistricts": subdistricts.created, "villages": 0}
    if demo_villages:
        everywhere = list(session.scalars(select(Subdistrict).order_by(Subdistrict.code)))
        counts["villages"] = add_demo_villages(session, everywhere, demo_villages)
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
    """What an officer can pick in the area filters: provinces when the scope is wider than
    one, districts in (or around) the scope or the chosen province, the chosen district's
    subdistricts, the chosen subdistrict's villages."""

    districts: list[District]
    subdistricts: list[Subdistrict]
    villages: list[Village]
    provinces: list[Province] = field(default_factory=list)


def area_choices(
    session: Session,
    scope: Scope,
    *,
    district: str = "",
    subdistrict: str = "",
    province: str = "",
    with_provinces: bool = False,
) -> AreaChoices:
    """The pickers' options, limited to the scope (a few small queries); provinces only
    `with_provinces` (pages that accept a province filter) and a scope wider than one."""
    provinces: list[Province] = []
    districts: list[District] = []
    province = province or district[:2] or subdistrict[:2]
    if with_provinces and scope.prefix is not None and len(scope.prefix) < 2:
        stmt = select(Province).order_by(Province.code)
        provinces = [p for p in session.scalars(stmt) if scope.overlaps(p.code)]
    if province or not provinces:  # the whole country's 900-odd districts: a province first
        stmt = select(District).order_by(District.code)
        if province:
            stmt = stmt.where(District.province_code == province)
        districts = [d for d in session.scalars(stmt) if scope.overlaps(d.code)]
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
    return AreaChoices(districts, subdistricts, villages, provinces)


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
