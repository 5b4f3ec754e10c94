"""LINE groups registered by officers, and the outbox of reminders pushed to them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from ..auth.models import User

# queued: waiting for the sender; sent; failed (gave up); off: LINE_ENABLED was off.
MESSAGE_STATUSES = ("queued", "sent", "failed", "off")


class LineGroup(Base):
    """A LINE group of volunteers, for a village, subdistrict, district or (province-level
    officers) a support zone of a province: `area_code` is the area's code, or the province's
    code when `zone` is set."""

    __tablename__ = "line_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    area_code: Mapped[str] = mapped_column(String(8), index=True)
    zone: Mapped[str | None] = mapped_column(String(8))  # one of areas.models.ZONES
    group_id: Mapped[str] = mapped_column(String(33))
    name: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    messages: Mapped[list[LineMessage]] = relationship(back_populates="group")


class LineMessage(Base):
    """One reminder pushed (or to push) to a group: the text, who and when, and the outcome.

    `retry_key` is sent as X-Line-Retry-Key on every attempt, so LINE delivers it once even
    when a response is lost and the request is repeated."""

    __tablename__ = "line_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_pk: Mapped[int] = mapped_column(ForeignKey("line_groups.id"), index=True)
    area_code: Mapped[str] = mapped_column(String(8), index=True)  # the group's, for scoping
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8), default="queued")  # MESSAGE_STATUSES
    attempts: Mapped[int] = mapped_column(default=0)
    response_code: Mapped[int | None]
    error: Mapped[str] = mapped_column(String(200), default="")
    retry_key: Mapped[str] = mapped_column(String(36), unique=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    group: Mapped[LineGroup] = relationship(back_populates="messages")
    created_by: Mapped[User] = relationship()
