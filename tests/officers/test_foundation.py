"""The officers' foundation: states, the collector gate, scope and filters."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.areas.access import OutOfScope, Scope
from app.auth.models import Role, User
from app.db import get_session, utcnow
from app.officers.filters import BadFilter, parse_filters
from app.readiness.models import PlanProgress, Readiness, TrainingPlan
from app.readiness.progress import (
    NotReady,
    confirm_collector,
    reevaluate_plan,
    state_column,
    volunteer_rows,
)

from .conftest import MUEANG, MUEANG_SUB, PUA

ADMIN = Scope("admin", None)


def states(session, plan_id, scope=ADMIN, today=None):
    plan = session.get(TrainingPlan, plan_id)
    today = today or date(2026, 11, 25)
    stmt = volunteer_rows(plan, scope, User.full_name, state_column(plan, today))
    return dict(session.execute(stmt).all())


def test_states_follow_training(app, plan, make_volunteer, train, village_codes):
    village = village_codes[MUEANG_SUB][0]
    new = make_volunteer(village, "ก ลงทะเบียน")
    learning = make_volunteer(village, "ข กำลังเรียน")
    done = make_volunteer(village, "ค พร้อม")
    train(learning, passed=1)
    train(done)
    with app.app_context():
        session = get_session()
        assert states(session, plan) == {
            "ก ลงทะเบียน": "registered",
            "ข กำลังเรียน": "training",
            "ค พร้อม": "ready",
        }
        progress = session.scalar(select(PlanProgress).where(PlanProgress.user_id == learning))
        assert (progress.passed, progress.required, progress.percent) == (1, 3, 33)
        assert new


def test_gate_refuses_a_volunteer_who_is_not_ready(
    app, plan, make_volunteer, make_user, train, village_codes
):
    officer = make_user(Role.OFFICER, area_code=MUEANG)
    village = village_codes[MUEANG_SUB][0]
    learning = make_volunteer(village)
    train(learning, passed=2)
    with app.app_context():
        session = get_session()
        row = session.get(TrainingPlan, plan)
        with pytest.raises(NotReady):
            confirm_collector(
                session, volunteer_id=learning, plan=row, scope=Scope("officer", MUEANG),
                officer_id=officer, now=utcnow(),
            )  # fmt: skip


def test_gate_confirms_ready_in_scope_only(
    app, plan, make_volunteer, make_user, train, village_codes
):
    officer = make_user(Role.OFFICER, area_code=MUEANG)
    village = village_codes[MUEANG_SUB][0]
    ready = make_volunteer(village)
    train(ready)
    with app.app_context():
        session = get_session()
        row = session.get(TrainingPlan, plan)
        with pytest.raises(OutOfScope):
            confirm_collector(
                session, volunteer_id=ready, plan=row, scope=Scope("officer", PUA),
                officer_id=officer, now=utcnow(),
            )  # fmt: skip
        record = confirm_collector(
            session, volunteer_id=ready, plan=row, scope=Scope("officer", MUEANG),
            officer_id=officer, now=utcnow(),
        )  # fmt: skip
        assert record.confirmed_at is not None
        session.commit()
        assert states(session, plan)[session.get(User, ready).full_name] == "confirmed"


def test_expired_plan_makes_ready_volunteers_expired_and_unconfirmable(
    app, plan, make_volunteer, make_user, train, village_codes
):
    officer = make_user(Role.ADMIN)
    ready = make_volunteer(village_codes[MUEANG_SUB][0], "ง หมดอายุ")
    train(ready)
    with app.app_context():
        session = get_session()
        row = session.get(TrainingPlan, plan)
        row.expires_on = utcnow().date() - timedelta(days=2)
        session.commit()
        assert states(session, plan, today=utcnow().date())["ง หมดอายุ"] == "expired"
        with pytest.raises(NotReady):
            confirm_collector(
                session, volunteer_id=ready, plan=row, scope=Scope("admin", None),
                officer_id=officer, now=utcnow(),
            )  # fmt: skip


def test_reevaluate_counts_only_passes_from_the_plans_start(
    app, plan, make_volunteer, train, village_codes
):
    volunteer = make_volunteer(village_codes[MUEANG_SUB][0])
    train(volunteer, when=utcnow() - timedelta(days=400))
    with app.app_context():
        session = get_session()
        old = session.get(TrainingPlan, plan)
        new = TrainingPlan(
            slug="next-year", name_th="แผนใหม่", name_en="New plan", campaign_year=2571,
            indicators=list(old.indicators), passes_from=utcnow().date() - timedelta(days=30),
        )  # fmt: skip
        session.add(new)
        session.flush()
        counts = reevaluate_plan(session, new, secret="s", now=utcnow())
        session.commit()
        assert counts["newly_ready"] == 0
        # History under the old plan is kept.
        assert session.scalar(select(Readiness).where(Readiness.plan_id == old.id)) is not None
        assert session.scalar(select(Readiness).where(Readiness.plan_id == new.id)) is None
        new.passes_from = None
        counts = reevaluate_plan(session, new, secret="s", now=utcnow())
        assert counts["newly_ready"] == 1


def test_filters_refuse_areas_outside_scope_and_bad_values():
    scope = Scope("officer", MUEANG)
    assert parse_filters({"subdistrict": MUEANG_SUB}, scope).area_code == MUEANG_SUB
    with pytest.raises(OutOfScope):
        parse_filters({"district": PUA}, scope)
    with pytest.raises(BadFilter):
        parse_filters({"district": "55x1"}, scope)
    with pytest.raises(BadFilter):
        parse_filters({"state": "sleeping"}, scope)
    assert parse_filters({}, Scope(Role.VOLUNTEER.value, None)).area_code == ""


def test_a_subdistrict_left_from_another_district_is_dropped():
    filters = parse_filters({"district": PUA, "subdistrict": MUEANG_SUB}, Scope("admin", None))
    assert (filters.district, filters.subdistrict, filters.area_code) == (PUA, "", PUA)
