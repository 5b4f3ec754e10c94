"""The gazetteer loader: zones, villages at Nan's scale, all-or-nothing checks, upserts."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.areas.gazetteer import (
    DEMO_VILLAGES_CSV,
    ZONES_CSV,
    AreaFileError,
    read_area_csv,
    read_gazetteer,
)
from app.areas.models import ZONES, District, Subdistrict, Village
from app.auth.models import Role, User
from app.db import get_session


def _count(model, *where) -> int:
    return get_session().scalar(select(func.count()).select_from(model).where(*where))


def _snapshot() -> tuple[list, list]:
    session = get_session()
    zones = list(session.execute(select(District.code, District.zone).order_by(District.code)))
    columns = (Village.code, Village.name_th, Village.households, Village.is_demo)
    return zones, list(session.execute(select(*columns).order_by(Village.code)))


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _subdistrict_codes(app) -> set[str]:
    with Path(app.config["AREAS_CSV"]).open(encoding="utf-8", newline="") as handle:
        return {row["subdistrict_code"] for row in csv.DictReader(handle)}


def test_shipped_demo_file_has_nans_923_villages_and_113571_households_everywhere(app):
    batch = read_gazetteer([DEMO_VILLAGES_CSV])
    villages = batch.villages
    assert batch.problems == []
    assert len(villages) == 923
    assert sum(v.households for v in villages) == 113_571
    per_subdistrict = Counter(v.code[:6] for v in villages)
    assert set(per_subdistrict) == _subdistrict_codes(app)
    assert min(per_subdistrict.values()) >= 1
    names = Counter((v.code[:6], v.name_th) for v in villages)
    assert names.most_common(1)[0][1] == 1  # unique within a subdistrict
    assert all(v.demo and v.name_th.startswith("บ้าน") for v in villages)


def test_shipped_zones_put_every_district_in_a_zone(app):
    batch = read_gazetteer([ZONES_CSV])
    zones = batch.zones
    assert batch.problems == []
    assert {z.district_code for z in zones} == {code[:4] for code in _subdistrict_codes(app)}
    assert {z.zone for z in zones} == set(ZONES)


def test_default_load_brings_nan_with_zones_and_demo_villages_then_changes_nothing(app, runner):
    first = runner.invoke(args=["areas", "load"])
    assert first.exit_code == 0, first.output
    assert "villages: 923 created, 0 updated, 0 unchanged" in first.output
    assert "zones: 15 set" in first.output
    with app.app_context():
        assert (_count(District), _count(Subdistrict), _count(Village)) == (15, 99, 923)
        assert _count(Village, Village.is_demo.is_(False)) == 0
        assert get_session().scalar(select(func.sum(Village.households))) == 113_571
        assert _count(District, District.zone.is_(None)) == 0
        assert get_session().get(District, "5508").zone == "north"  # ทุ่งช้าง
        assert get_session().get(District, "5510").zone == "south"  # นาหมื่น
    second = runner.invoke(args=["areas", "load"])
    assert second.exit_code == 0, second.output
    assert "districts: 0 created, 0 updated, 15 unchanged" in second.output
    assert "subdistricts: 0 created, 0 updated, 99 unchanged" in second.output
    assert "zones: 0 set, 15 unchanged" in second.output
    assert "villages: 0 created, 0 updated, 923 unchanged" in second.output


def test_several_bad_rows_are_each_named_and_nothing_changes(app, runner, tmp_path):
    runner.invoke(args=["areas", "load", "--demo-villages", "2"])
    bad = _write(
        tmp_path / "villages.csv",
        "village_code,moo,name_th,households\n"
        "55010101,1,บ้านใหม่ชื่อจริง,150\n"  # fine, but must not be applied
        "55990101,1,บ้านไม่มีตำบล,80\n"  # line 3: unknown subdistrict
        "55010203,4,บ้านหมู่ผิด,80\n"  # line 4: moo does not match the code
        "55010301,1,บ้านสาม,สิบ\n"  # line 5: households not a number
        "55010302,2,บ้านติดลบ,-5\n"  # line 6: negative households
        "55010101,1,บ้านซ้ำ,90\n"  # line 7: duplicate of line 2
        "55010401,1,,90\n"  # line 8: empty name
        "55010501,1,บ้านใหญ่,250000\n",  # line 9: households beyond any village
    )
    zones = _write(tmp_path / "zones.csv", "district_code,zone\n5501,east\n5599,north\n")
    with app.app_context():
        before = _snapshot()
    result = runner.invoke(args=["areas", "load", str(bad), str(zones)])
    assert result.exit_code != 0
    lines = result.output.splitlines()

    def named(line: int, *words: str, file: Path = bad) -> bool:
        return any(
            f"{file}: line {line}:" in text and all(w in text for w in words) for text in lines
        )

    assert named(3, "village_code", "unknown subdistrict 559901")
    assert named(4, "moo", "55010203")
    assert named(5, "households")
    assert named(6, "households")
    assert named(7, "village_code", "repeated", "line 2")
    assert named(8, "name_th", "empty")
    assert named(9, "households", "250000")
    assert named(2, "zone", "east", file=zones)
    assert named(3, "district_code", "unknown district 5599", file=zones)
    assert "9 problems, nothing was loaded" in result.output
    with app.app_context():
        assert _snapshot() == before
        assert len(before[1]) == 198


def test_a_file_with_unknown_columns_is_refused(app, runner, tmp_path):
    odd = _write(tmp_path / "odd.csv", "code,name\n55010101,x\n")
    result = runner.invoke(args=["areas", "load", str(odd)])
    assert result.exit_code != 0
    assert f"{odd}: line 1: columns must be" in result.output
    assert "village_code,moo,name_th,households" in result.output


def test_zones_file_sets_and_changes_zones(app, runner, tmp_path):
    runner.invoke(args=["areas", "load", "--demo-villages", "1"])
    zones = _write(tmp_path / "zones.csv", "district_code,zone\n5501,south\n5505,north\n")
    result = runner.invoke(args=["areas", "load", str(zones)])
    assert result.exit_code == 0, result.output
    assert "zones: 1 set, 1 unchanged" in result.output  # the shipped file made 5505 north
    with app.app_context():
        assert get_session().get(District, "5501").zone == "south"
        assert get_session().get(District, "5502").zone == "central"


def test_real_villages_update_demo_ones_and_demo_rows_never_overwrite_real_ones(
    app, runner, tmp_path
):
    runner.invoke(args=["areas", "load", "--demo-villages", "2"])
    real = _write(
        tmp_path / "real.csv",
        "village_code,moo,name_th,households\n"
        "55010101,1,บ้านสวนตาล,312\n"
        "55010102,2,บ้านดอนศรีเสริม,\n"  # households not given: keep the demo count
        "55010103,3,บ้านภูมินทร์,140\n",
    )
    result = runner.invoke(args=["areas", "load", str(real)])
    assert result.exit_code == 0, result.output
    assert "villages: 1 created, 2 updated, 0 unchanged" in result.output
    with app.app_context():
        village = get_session().scalar(select(Village).where(Village.code == "55010101"))
        assert (village.name_th, village.households, village.is_demo) == ("บ้านสวนตาล", 312, False)
        kept = get_session().scalar(select(Village).where(Village.code == "55010102"))
        assert kept.households is not None and not kept.is_demo
    result = runner.invoke(args=["areas", "load"])  # the shipped demo file over real villages
    assert result.exit_code == 0, result.output
    assert "3 demo rows skipped" in result.output
    with app.app_context():
        village = get_session().scalar(select(Village).where(Village.code == "55010101"))
        assert (village.name_th, village.is_demo) == ("บ้านสวนตาล", False)


def test_demo_flag_marks_a_files_villages_as_demo(app, runner, tmp_path):
    runner.invoke(args=["areas", "load", "--demo-villages", "1"])
    extra = _write(
        tmp_path / "extra.csv", "village_code,moo,name_th,households\n55010109,9,บ้านทดลอง,50\n"
    )
    assert runner.invoke(args=["areas", "load", "--demo", str(extra)]).exit_code == 0
    with app.app_context():
        assert get_session().scalar(select(Village.is_demo).where(Village.code == "55010109"))


def test_areas_and_their_villages_load_together_from_one_batch(app, runner, tmp_path):
    villages = _write(
        tmp_path / "villages.csv", "village_code,moo,name_th,households\n55011601,1,บ้านบ่อสวก,88\n"
    )
    result = runner.invoke(args=["areas", "load", app.config["AREAS_CSV"], str(villages)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert _count(Village) == 1 and _count(District, District.zone.is_(None)) == 15


def test_loading_keeps_villages_that_volunteers_belong_to(app, runner, make_user):
    runner.invoke(args=["areas", "load", "--demo-villages", "12"])
    user_id = make_user(Role.VOLUNTEER, village_code="55010112")  # not in the demo file
    result = runner.invoke(args=["areas", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert get_session().get(User, user_id).village.code == "55010112"


def test_reader_lists_every_problem_at_once(tmp_path):
    bad = _write(
        tmp_path / "areas.csv",
        "district_code,district_th,district_en,subdistrict_code,subdistrict_th,subdistrict_en\n"
        "55x1,เมืองน่าน,Mueang Nan,550101,ในเวียง,Nai Wiang\n"
        "5501,เมืองน่าน,Mueang Nan,550101,,Nai Wiang\n",
    )
    with pytest.raises(AreaFileError) as raised:
        read_area_csv(bad)
    assert [p.split(": ")[1] for p in raised.value.problems] == ["line 2", "line 2", "line 3"]
