"""Volunteers' fixtures: generated ID card numbers, the import folder,
and the villages of the `areas` fixture by subdistrict."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app.areas.models import Village
from app.db import get_session
from app.volunteers.idcard import check_digit

from ..conftest import MUEANG, MUEANG_SUB, OTHER_SUB, PUA  # noqa: F401 - tests import them here

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
def village_id(app: Flask, areas: None) -> Callable[[str], int]:
    """village_id(code) -> the village's id."""

    def find(code: str) -> int:
        with app.app_context():
            return get_session().scalar(select(Village.id).where(Village.code == code))

    return find
