"""Volunteers' fixtures: officers of any area (English UI), generated ID card numbers,
and the villages of the `areas` fixture by subdistrict."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.areas.models import Village
from app.auth.models import Role
from app.db import get_session
from app.volunteers.idcard import check_digit

# Nan's areas (app/areas/data/nan-areas.csv), as in tests/officers.
MUEANG = "5501"  # อ.เมืองน่าน
MUEANG_SUB = "550101"  # ต.ในเวียง
OTHER_SUB = "550102"  # ต.บ่อ
PUA = "5507"  # อ.ปัว
SECRET = "test-secret"  # the tests' SECRET_KEY, which keys the ID card hash

_ids = itertools.count(1)


def new_id(prefix: str = "09990") -> str:
    """A generated ID card number with a valid check digit (09990… : nobody's real number)."""
    first12 = f"{prefix}{next(_ids):07d}"
    return first12 + str(check_digit(first12))


@pytest.fixture(autouse=True)
def import_folder(app: Flask, tmp_path: Path) -> Path:
    """Checked import files wait in a temp folder, not in the instance folder."""
    folder = tmp_path / "volunteer-imports"
    app.config["VOLUNTEER_IMPORT_DIR"] = str(folder)
    return folder


@pytest.fixture
def village_codes(app: Flask, areas: None) -> dict[str, list[str]]:
    """Village codes per subdistrict code (2 demo villages each)."""
    with app.app_context():
        result: dict[str, list[str]] = {}
        for code, sub in get_session().execute(
            select(Village.code, Village.subdistrict_code).order_by(Village.code)
        ):
            result.setdefault(sub, []).append(code)
        return result


@pytest.fixture
def village_id(app: Flask, areas: None) -> Callable[[str], int]:
    """village_id(code) -> the village's id."""

    def find(code: str) -> int:
        with app.app_context():
            return get_session().scalar(select(Village.id).where(Village.code == code))

    return find


@pytest.fixture
def officer_client(
    app: Flask, areas: None, make_user: Callable, login: Callable
) -> Callable[..., FlaskClient]:
    """officer_client(area_code, role=...) -> a logged-in client with the English UI; its
    user id is `client.user_id`."""

    def make(area_code: str | None, role: Role = Role.OFFICER) -> FlaskClient:
        client = app.test_client()
        user_id = make_user(role, full_name="เจ้าหน้าที่ ทดสอบ", area_code=area_code)
        login(client, user_id)
        client.post("/language", data={"lang": "en"})
        client.user_id = user_id  # type: ignore[attr-defined]
        return client

    return make
