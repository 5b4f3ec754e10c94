"""Training plans, progress at a glance, and readiness to collect data.

Importing the package connects its receivers: a scored quiz updates the volunteer's
progress and readiness (`progress.record_submission`), in the submitter's transaction; the
lesson page asks for the volunteer's status, a failed quiz's result whether the active plan
shows its right answers; villages whose volunteers changed are recounted (`counts`).
"""

from flask import current_app
from sqlalchemy.orm import Session

from ..auth.signals import volunteers_changed
from ..content.signals import lesson_status
from ..quizzes.models import Attempt
from ..quizzes.signals import answers_after_fail, attempt_submitted
from . import counts, progress
from .services import active_plan


@attempt_submitted.connect
def _on_attempt_submitted(session: Session, *, attempt: Attempt, now) -> None:
    """Record what a scored quiz means for the volunteer's readiness."""
    progress.record_submission(session, attempt, secret=current_app.config["SECRET_KEY"], now=now)


@lesson_status.connect
def _lesson_status(session: Session, *, user_id: int, indicator_id: int) -> str:
    """The volunteer's status in a lesson, as the home page shows it."""
    found = progress.indicator_progress(session, user_id, active_plan(session, light=True))
    return found[indicator_id].status if indicator_id in found else "not_started"


@answers_after_fail.connect
def _answers_after_fail(session: Session, *, indicator_id: int) -> bool:
    """The active plan's choice: right answers right after a failed quiz, or once passed."""
    plan = active_plan(session, light=True)
    return plan is not None and plan.show_answers_after_fail


@volunteers_changed.connect
def _on_volunteers_changed(session: Session, *, village_ids: list[int]) -> None:
    """Recount the stored registered and ready volunteers of these villages."""
    counts.refresh_villages(session, village_ids)
