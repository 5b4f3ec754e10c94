"""Officers' fixtures: a plan, volunteers in given villages, quiz passes without the UI,
and logged-in officers of any scope (English UI: assertions read the message ids)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.auth.models import Role
from app.content.models import Indicator
from app.db import get_session, utcnow
from app.quizzes.models import Attempt
from app.readiness.models import TrainingPlan
from app.readiness.progress import refresh_volunteer

from ..conftest import MUEANG, MUEANG_SUB, OTHER_SUB, PUA  # noqa: F401 - tests import them here


@pytest.fixture
def plan(app: Flask, areas: None) -> int:
    """An active plan of three indicators (no quiz content needed); returns its id."""
    with app.app_context():
        session = get_session()
        indicators = []
        for number in (1, 2, 3):
            indicator = session.scalar(select(Indicator).where(Indicator.number == number))
            if indicator is None:
                from app.content.models import Category

                category = session.get(Category, 1) or Category(
                    number=1, name_th="สุขภาพ", name_en="Health"
                )
                session.add(category)
                indicator = Indicator(
                    number=number,
                    category_number=1,
                    title_th=f"ตัวชี้วัดที่ {number}",
                    title_en=f"Indicator {number}",
                    target_group_th="ทุกคน",
                    criterion_th="เกณฑ์",
                    status="carried-over",
                )
                session.add(indicator)
            indicators.append(indicator)
        for other in session.scalars(select(TrainingPlan)):
            other.active = False
        row = TrainingPlan(
            slug="officers-test",
            name_th="แผนการอบรม 2570",
            name_en="Training plan 2570",
            campaign_year=2570,
            active=True,
            indicators=indicators,
        )
        session.add(row)
        session.commit()
        return row.id


@pytest.fixture
def make_volunteer(app: Flask, make_user: Callable) -> Callable[..., int]:
    """make_volunteer(village_code, name=...) -> user id (generated 0899… mobile)."""

    def make(village_code: str, name: str = "สมศรี ทดสอบ") -> int:
        return make_user(Role.VOLUNTEER, full_name=name, village_code=village_code)

    return make


@pytest.fixture
def train(app: Flask) -> Callable[..., None]:
    """train(user_id, passed=n, when=...) records quiz attempts on the active plan's
    indicators (the first n passed, the next one failed) and refreshes progress, as a quiz
    submission would."""

    def do(user_id: int, passed: int | None = None, when: datetime | None = None) -> None:
        with app.app_context():
            session = get_session()
            plan = session.scalar(select(TrainingPlan).where(TrainingPlan.active.is_(True)))
            numbers = [i.id for i in plan.indicators]
            count = len(numbers) if passed is None else passed
            at = when or utcnow()
            for index, indicator_id in enumerate(numbers[: count + 1]):
                ok = index < count
                session.add(
                    Attempt(
                        user_id=user_id,
                        indicator_id=indicator_id,
                        draw=[],
                        pass_mark=80,
                        started_at=at - timedelta(minutes=5),
                        submitted_at=at,
                        score=100 if ok else 0,
                        passed=ok,
                    )
                )
            session.flush()
            refresh_volunteer(session, user_id=user_id, plan=plan, secret="test", now=at)
            session.commit()

    return do
