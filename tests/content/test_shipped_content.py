"""The content that ships is complete: every indicator and the survey basics pass the check."""

from __future__ import annotations

from app.content.models import BASICS
from app.db import get_session
from app.readiness.services import active_plan


def test_flask_content_check_passes_on_the_shipped_content(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "39 complete, 0 with gaps" in result.output


def test_the_demo_plan_starts_with_the_survey_basics_and_has_all_38(app, content):
    with app.app_context():
        plan = active_plan(get_session())
        numbers = [i.number for i in plan.indicators]
    assert numbers == [BASICS, *range(1, 39)]
