"""Mentor visits, volunteers' devices and buddy pairs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utcnow

DEVICE_KINDS = ("own", "shared", "none")


class MentorVisit(Base):
    """An officer's (or mentor team's) visit to a volunteer or a village: when and what was
    done. A volunteer's visit also names their village, so village lists see it."""

    __tablename__ = "mentor_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    visited_on: Mapped[date]
    helped_learn: Mapped[bool] = mapped_column(default=False)
    checked_device: Mapped[bool] = mapped_column(default=False)
    paired_buddy: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Device(Base):
    """The device a volunteer learns and collects on (ต3), and the result of the check their
    phone ran with their consent (a summary only: never the full user agent)."""

    __tablename__ = "volunteer_devices"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # one of DEVICE_KINDS
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    browser: Mapped[str | None] = mapped_column(String(40))  # "Chrome 120 / Android"
    free_mb: Mapped[int | None]
    offline_ok: Mapped[bool | None]  # service worker and IndexedDB both available
    check_ok: Mapped[bool | None]


class BuddyPair(Base):
    """A new (not ready) volunteer paired with a ready one of the same village (ทีมคู่หูคู่คิด).
    Each volunteer has at most one buddy: both columns are unique, so two officers pairing
    the same person at once cannot both succeed."""

    __tablename__ = "buddy_pairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), index=True)
    paired_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paired_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
