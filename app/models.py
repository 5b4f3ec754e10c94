"""Imports every feature's models, so Base.metadata is complete (Alembic, tests)."""

from .api.models import ApiToken
from .areas.models import District, Province, Subdistrict, Village
from .auth.models import PersonalDataEvent, PersonalDataSubject, User
from .content.models import (
    AuditEntry,
    Category,
    Clip,
    FaqCard,
    Indicator,
    Infographic,
    Recording,
    RecordingItem,
)
from .mentoring.models import BuddyPair, Device, MentorVisit
from .officers.models import AreaDailySnapshot
from .outreach.models import LineGroup, LineMessage
from .quizzes.models import Attempt, AttemptAnswer, Choice, Question, Quiz
from .readiness.models import (
    PlanProgress,
    Readiness,
    TrainingPlan,
    VillageReadyCount,
    VillageVolunteerCount,
)
from .support.models import SupportQuestion, SupportTeamMember

__all__ = [
    "ApiToken", "AreaDailySnapshot", "Attempt", "AttemptAnswer", "AuditEntry", "BuddyPair",
    "Category", "Choice", "Clip", "Device", "District", "FaqCard", "Indicator", "Infographic",
    "LineGroup", "LineMessage", "MentorVisit", "PersonalDataEvent", "PersonalDataSubject",
    "PlanProgress", "Province", "Question",
    "Quiz", "Readiness", "Recording", "RecordingItem", "Subdistrict", "SupportQuestion",
    "SupportTeamMember", "TrainingPlan", "User",
    "Village", "VillageReadyCount", "VillageVolunteerCount",
]  # fmt: skip
