"""Volunteers' questions about an indicator, and the zone teams that answer them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from ..auth.models import User
    from ..content.models import Indicator

# The province-wide queue: volunteers whose district has no zone ask here.
PROVINCE = "province"
STATUSES = ("open", "answered", "closed")


class SupportQuestion(Base):
    """A volunteer's question about an indicator, routed to the zone they were in when asking."""

    __tablename__ = "support_questions"
    __table_args__ = (
        # A form sent twice (double tap, a resent POST) carries the same key: one question.
        UniqueConstraint("asker_id", "request_key"),
        Index("ix_support_questions_zone_status_created", "zone", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    asker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    request_key: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    # A stored key in the support photo store (checked, re-encoded, metadata removed).
    photo_key: Mapped[str | None] = mapped_column(String(80))
    zone: Mapped[str] = mapped_column(String(16))  # one of areas.models.ZONES or PROVINCE
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="open")  # one of STATUSES
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seen_by_asker_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    faq_card_id: Mapped[int | None] = mapped_column(ForeignKey("faq_cards.id"))

    asker: Mapped[User] = relationship(foreign_keys=[asker_id])
    indicator: Mapped[Indicator] = relationship()


class SupportTeamMember(Base):
    """A trainer or officer an admin put on a zone's team (officers also answer for the
    zones of their own area without being listed)."""

    __tablename__ = "support_team_members"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    zone: Mapped[str] = mapped_column(String(16), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
