"""Plans an admin edited in the app are not overwritten by a later `flask content load`."""

from __future__ import annotations

from sqlalchemy import select

from app.content.audit import record
from app.db import get_session
from app.readiness.models import TrainingPlan


def test_load_keeps_an_admin_edited_plan_and_the_admins_active_choice(app, runner, content):
    with app.app_context():
        session = get_session()
        shipped = session.scalar(select(TrainingPlan).where(TrainingPlan.slug == "bmn-2570"))
        shipped.name_th = "แผนที่ผู้ดูแลแก้ไข"
        record(session, user_id=None, action="plan.edit", slug=shipped.slug, changes={})
        other = TrainingPlan(
            slug="admin-plan", name_th="แผนใหม่", name_en="New plan", campaign_year=2571,
            active=True,
        )  # fmt: skip
        shipped.active = False
        session.add(other)
        record(session, user_id=None, action="plan.activate", slug="admin-plan")
        session.commit()
    result = runner.invoke(args=["content", "load", "--force"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        plans = {p.slug: p for p in get_session().scalars(select(TrainingPlan))}
        assert plans["bmn-2570"].name_th == "แผนที่ผู้ดูแลแก้ไข"
        assert plans["admin-plan"].active and not plans["bmn-2570"].active
