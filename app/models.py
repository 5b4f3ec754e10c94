"""Imports every feature's models, so Base.metadata is complete (Alembic, tests)."""

from .areas.models import District, Subdistrict, Village
from .auth.models import User
from .content.models import AuditEntry, Category, Clip, FaqCard, Indicator, Infographic
from .quizzes.models import Attempt, AttemptAnswer, Choice, Question, Quiz
from .readiness.models import Readiness, TrainingPlan

__all__ = [
    "Attempt", "AttemptAnswer", "AuditEntry", "Category", "Choice", "Clip", "District", "FaqCard",
    "Indicator", "Infographic", "Question", "Quiz", "Readiness", "Subdistrict",
    "TrainingPlan", "User", "Village",
]  # fmt: skip
