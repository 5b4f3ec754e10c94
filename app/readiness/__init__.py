"""Training plans, progress at a glance, and readiness to collect data.

Importing the package connects its one receiver: a scored quiz updates the volunteer's
progress and readiness (`progress.record_submission`), in the submitter's transaction.
"""

from flask import current_app
from sqlalchemy.orm import Session

from ..quizzes.models import Attempt
from ..quizzes.signals import attempt_submitted
from . import progress


@attempt_submitted.connect
def _on_attempt_submitted(session: Session, *, attempt: Attempt, now) -> None:
    """Record what a scored quiz means for the volunteer's readiness."""
    progress.record_submission(session, attempt, secret=current_app.config["SECRET_KEY"], now=now)
