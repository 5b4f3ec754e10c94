"""Nan's areas load from the CSV; bad rows are named."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.areas.models import District, Subdistrict, Village
from app.areas.services import AreaFileError, load_areas, read_area_csv
from app.db import get_session


def _count(model):
    return get_session().scalar(select(func.count()).select_from(model))


def test_nan_has_15_districts_and_99_subdistricts_with_demo_villages(app, runner):
    result = runner.invoke(args=["areas", "load", "--demo-villages", "3"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert (_count(District), _count(Subdistrict), _count(Village)) == (15, 99, 297)
        village = get_session().scalar(select(Village).where(Village.code == "55011602"))
        assert village.subdistrict.name_th == "บ่อสวก" and village.is_demo


def test_loading_twice_adds_nothing(app, runner):
    runner.invoke(args=["areas", "load", "--demo-villages", "2"])
    result = runner.invoke(args=["areas", "load", "--demo-villages", "2"])
    assert "0 new districts, 0 new subdistricts, 0 new demo villages" in result.output


def test_a_bad_row_is_named_and_nothing_is_loaded(app, runner, tmp_path: Path):
    source = Path(app.config["AREAS_CSV"]).read_text(encoding="utf-8").splitlines()
    source[5] = source[5].replace("550105", "560105")  # subdistrict outside its district
    bad = tmp_path / "areas.csv"
    bad.write_text("\n".join(source), encoding="utf-8")
    result = runner.invoke(args=["areas", "load", str(bad)])
    assert result.exit_code != 0
    assert "line 6" in result.output and "subdistrict_code" in result.output
    with app.app_context():
        assert _count(District) == 0


def test_reader_rejects_wrong_columns(tmp_path: Path):
    bad = tmp_path / "areas.csv"
    bad.write_text("code,name\n5501,x\n", encoding="utf-8")
    with pytest.raises(AreaFileError, match="line 1"):
        read_area_csv(bad)


def test_load_areas_service_counts_what_it_adds(session, app):
    rows = read_area_csv(Path(app.config["AREAS_CSV"]))
    counts = load_areas(session, rows, demo_villages=1)
    assert counts == {"districts": 15, "subdistricts": 99, "villages": 99}
