"""Privacy fixtures: volunteers with quiz attempts, and an admin's client."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.auth.models import Role, User
from app.content.models import Indicator
from app.db import get_session, utcnow
from app.quizzes.models import Attempt

from ..conftest import MUEANG, MUEANG_SUB, PUA  # noqa: F401 - tests import them here


@pytest.fixture
def add_attempt(app: Flask, content: None) -> Callable[..., int]:
    """add_attempt(user_id, number, score=..., passed=...) -> a submitted attempt's id."""

    def add(user_id: int, number: int = 1, *, score: int = 90, passed: bool = True) -> int:
        with app.app_context():
            session = get_session()
            indicator = session.scalar(select(Indicator).where(Indicator.number == number))
            now = utcnow()
            attempt = Attempt(
                user_id=user_id,
                indicator_id=indicator.id,
                draw=[],
                pass_mark=80,
                started_at=now - timedelta(minutes=5),
                submitted_at=now,
                score=score,
                passed=passed,
            )
            session.add(attempt)
            session.commit()
            return attempt.id

    return add


@pytest.fixture
def village_of(village_codes: dict[str, list[str]]) -> str:
    """A village code in ต.ในเวียง, อ.เมืองน่าน."""
    return village_codes[MUEANG_SUB][0]


@pytest.fixture
def admin_client(officer_client: Callable):
    """A client logged in as an admin, English UI."""
    return officer_client(None, Role.ADMIN)


def user_row(app: Flask, user_id: int) -> User:
    """The user's row, read in a new context (detached; plain columns loaded)."""
    with app.app_context():
        session = get_session()
        user = session.get(User, user_id)
        session.expunge(user)
        return user
