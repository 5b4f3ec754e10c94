"""Training plans and the readiness they grant."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Column, ForeignKey, String, Table, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..content.stamp import track
from ..db import Base, UTCDateTime

if TYPE_CHECKING:
    from ..auth.models import User
    from ..content.models import Indicator

plan_indicators = Table(
    "plan_indicators",
    Base.metadata,
    Column("plan_id", ForeignKey("training_plans.id"), primary_key=True),
    Column("indicator_id", ForeignKey("indicators.id"), primary_key=True),
)


class TrainingPlan(Base):
    """A campaign year's plan: the indicators a volunteer must pass to be ready."""

    __tablename__ = "training_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    campaign_year: Mapped[int]  # Buddhist era, e.g. 2569
    active: Mapped[bool] = mapped_column(default=False)
    # Readiness under this plan lapses after this day (Asia/Bangkok); None: it does not.
    expires_on: Mapped[date | None]
    # Only quiz passes from this day on count (a new campaign retrains); None: every pass.
    passes_from: Mapped[date | None]
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # After a failed quiz the result shows what was wrong; the right answers only once the
    # volunteer passes that quiz, unless this is set (copying answers makes no collector).
    show_answers_after_fail: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The day data collection starts: every needed volunteer should be ready by then. None:
    # no daily targets (the officers' dashboard says so).
    deadline: Mapped[date | None]
    # Cumulative percentages of the need to reach by the end of each campaign day, from the
    # day after the start to the deadline (non-decreasing, ending at 100); None: a straight
    # line (app/officers/targets.py).
    target_profile: Mapped[list[float] | None] = mapped_column(JSON)

    indicators: Mapped[list[Indicator]] = relationship(
        secondary=plan_indicators, order_by="Indicator.number"
    )


class Readiness(Base):
    """Recorded once, when a volunteer has passed every indicator of a plan."""

    __tablename__ = "readiness"
    __table_args__ = (UniqueConstraint("user_id", "plan_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("training_plans.id"), index=True)
    ready_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    code: Mapped[str] = mapped_column(String(9), unique=True)
    # An officer confirmed the ready volunteer as a data collector (only ever when ready).
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    plan: Mapped[TrainingPlan] = relationship(lazy="joined")
    user: Mapped[User] = relationship(lazy="joined", foreign_keys=[user_id])


class PlanProgress(Base):
    """How far a volunteer is in a plan: kept current on every quiz submission and
    recomputed for everyone when a plan is activated, so lists never scan attempts."""

    __tablename__ = "plan_progress"
    __table_args__ = (UniqueConstraint("user_id", "plan_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("training_plans.id"), index=True)
    passed: Mapped[int] = mapped_column(default=0)  # required indicators passed
    required: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first counted attempt
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def percent(self) -> int:
        """Share of the plan's indicators passed, 0-100."""
        return round(100 * self.passed / self.required) if self.required else 0


class VillageVolunteerCount(Base):
    """Registered volunteers (not erased) per village, kept by `counts.py` alone, so pages
    over a whole country read one row per village instead of every account."""

    __tablename__ = "village_volunteer_counts"

    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), primary_key=True)
    registered: Mapped[int] = mapped_column(default=0)


class VillageReadyCount(Base):
    """Volunteers with a readiness record under a plan, per village (confirmed ones
    included; expiry is applied by the reader), kept by `counts.py` alone."""

    __tablename__ = "village_ready_counts"

    plan_id: Mapped[int] = mapped_column(ForeignKey("training_plans.id"), primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), primary_key=True)
    ready: Mapped[int] = mapped_column(default=0)


# The active plan is read on every lesson view and submit, cached per content stamp
# (readiness.services.active_plan): a plan's change moves the stamp.
track(TrainingPlan)
