"""The officers' own records: one snapshot of each area's figures per day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime


class AreaDailySnapshot(Base):
    """An area's coverage figures under a plan as taken on one day (Asia/Bangkok): written
    once a day per area by `flask officers snapshot` (which refreshes the day's row) or by
    the first dashboard view of the day (which only fills a missing row)."""

    __tablename__ = "area_daily_snapshots"
    __table_args__ = (UniqueConstraint("day", "plan_id", "level", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    plan_id: Mapped[int] = mapped_column(ForeignKey("training_plans.id"), index=True)
    level: Mapped[str] = mapped_column(String(12))  # province, district, subdistrict, village
    code: Mapped[str] = mapped_column(String(8), index=True)
    registered: Mapped[int]
    ready: Mapped[int]  # ready and confirmed under the plan
    counted: Mapped[int]  # ready counted up to each village's need
    need: Mapped[int]  # volunteers needed at 1:40
    target: Mapped[int | None]  # the daily target for that day; None without a deadline
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
