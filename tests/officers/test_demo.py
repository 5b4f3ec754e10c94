"""Generated demo volunteers: consistent states, deterministic, and `flask demo ...` once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.areas.models import Village
from app.auth.models import Role, User
from app.db import get_session
from app.officers.demo import (
    DEMO_PHONE_PREFIX,
    DemoVillage,
    Mix,
    generate_volunteers,
    plan_volunteers,
)
from app.quizzes.models import Attempt
from app.readiness.models import PlanProgress, Readiness, TrainingPlan
from app.readiness.progress import reevaluate_plan

from .conftest import MUEANG

NOW = datetime(2026, 5, 1, 3, 0, tzinfo=UTC)


def _villages(prefix: str = MUEANG) -> list[DemoVillage]:
    stmt = select(Village.id, Village.code, Village.households).where(
        Village.code.startswith(prefix)
    )
    return [DemoVillage(*row) for row in get_session().execute(stmt.order_by(Village.code))]


def _generate(plan_id: int, **options: object) -> dict[str, int]:
    session = get_session()
    plan = session.get(TrainingPlan, plan_id)
    counts = generate_volunteers(
        session, villages=_villages(), plan=plan, now=NOW, secret="s", seed=7, **options
    )
    session.commit()
    return counts


def test_ready_volunteers_passed_every_plan_indicator(app: Flask, plan: int) -> None:
    with app.app_context():
        counts = _generate(plan)
        session = get_session()
        required = {i.id for i in session.get(TrainingPlan, plan).indicators}
        for record in session.scalars(select(Readiness)):
            passes = session.execute(
                select(Attempt.indicator_id, func.min(Attempt.submitted_at))
                .where(Attempt.user_id == record.user_id, Attempt.passed.is_(True))
                .group_by(Attempt.indicator_id)
            ).all()
            assert {i for i, _ in passes} == required
            assert record.ready_at == max(when for _, when in passes).replace(tzinfo=UTC)
        training = session.scalars(
            select(PlanProgress)
            .outerjoin(Readiness, Readiness.user_id == PlanProgress.user_id)
            .where(Readiness.id.is_(None))
        ).all()
        assert training and all(0 <= p.passed < p.required for p in training)
        assert counts["ready"] == session.scalar(select(func.count(Readiness.id)))


def test_rows_match_what_reevaluating_the_plan_computes(app: Flask, plan: int) -> None:
    with app.app_context():
        _generate(plan)
        session = get_session()
        before = session.execute(
            select(PlanProgress.user_id, PlanProgress.passed, PlanProgress.started_at)
        ).all()
        result = reevaluate_plan(session, session.get(TrainingPlan, plan), secret="s", now=NOW)
        session.flush()
        session.expire_all()
        after = session.execute(
            select(PlanProgress.user_id, PlanProgress.passed, PlanProgress.started_at)
        ).all()
        assert result["newly_ready"] == 0
        assert sorted(before) == sorted(after)


def test_about_one_volunteer_per_forty_households_in_the_shares(app: Flask, plan: int) -> None:
    with app.app_context():
        counts = _generate(plan, mix=Mix(ready_share=0.5, training_share=0.3))
        households = sum(v.households or 0 for v in _villages())
        assert abs(counts["volunteers"] - households / 40) < len(_villages())
        session = get_session()
        volunteers = session.scalar(select(func.count(User.id)).where(User.role == "volunteer"))
        assert volunteers == counts["volunteers"]
        started = session.scalar(select(func.count(PlanProgress.id)))
        assert 0.35 < counts["ready"] / volunteers < 0.65
        assert 0.15 < (started - counts["ready"]) / volunteers < 0.45
        phones = session.scalars(select(User.phone).where(User.role == "volunteer"))
        assert all(p.startswith(DEMO_PHONE_PREFIX) for p in phones)


def test_same_seed_same_volunteers(app: Flask, areas: None) -> None:
    with app.app_context():
        villages = _villages()

    def people(seed: int) -> list:
        return list(plan_volunteers(villages, [11, 12, 13], mix=Mix(), now=NOW, seed=seed))

    assert people(3) == people(3)
    assert people(3) != people(4)


def test_attempt_average_follows_the_mix(app: Flask, areas: None) -> None:
    with app.app_context():
        villages = _villages("55")
    mix = Mix(attempts_per_volunteer=10.0)
    people = list(plan_volunteers(villages, list(range(1, 9)), mix=mix, now=NOW, seed=1))
    average = sum(len(p.attempts) for p in people) / len(people)
    assert 9.0 < average < 11.0
    assert all(a[2] <= NOW for p in people for a in p.attempts)


@pytest.fixture
def development(app: Flask) -> Flask:
    """The app as `make setup` runs it (demo commands refuse anywhere else)."""
    app.config["APP_ENV"] = "development"
    return app


def test_demo_volunteers_runs_once(development: Flask, plan: int) -> None:
    runner = development.test_cli_runner()
    first = runner.invoke(args=["demo", "volunteers"])
    assert first.exit_code == 0, first.output
    with development.app_context():
        count = get_session().scalar(select(func.count(User.id)))
    again = runner.invoke(args=["demo", "volunteers"])
    assert again.exit_code == 0 and "already" in again.output
    with development.app_context():
        assert get_session().scalar(select(func.count(User.id))) == count > 100


def test_the_demo_plan_gets_a_deadline_so_daily_targets_show(development: Flask, plan: int):
    from app.readiness.models import TrainingPlan
    from app.readiness.progress import today_bangkok

    result = development.test_cli_runner().invoke(args=["demo", "volunteers"])
    assert result.exit_code == 0, result.output
    with development.app_context():
        deadline = get_session().get(TrainingPlan, plan).deadline
    assert deadline is not None and deadline > today_bangkok(datetime.now(UTC))
    assert f"demo deadline {deadline.isoformat()}" in result.output


def test_demo_volunteers_refused_outside_development(app: Flask, plan: int) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "volunteers"])
    assert result.exit_code != 0
    with app.app_context():
        assert get_session().scalar(select(func.count(User.id))) == 0


def test_demo_accounts_include_district_and_subdistrict_officers(
    development: Flask, areas: None
) -> None:
    result = development.test_cli_runner().invoke(args=["demo", "accounts"])
    assert result.exit_code == 0, result.output
    with development.app_context():
        officers = dict(
            get_session()
            .execute(select(User.phone, User.area_code).where(User.role == Role.OFFICER.value))
            .all()
        )
    assert officers == {"0800000003": "55", "0800000005": "5501", "0800000006": "550101"}
