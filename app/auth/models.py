"""The user account and its role."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from ..areas.models import Village


class Role(StrEnum):
    """What a user may do; screens for trainers, officers and admins come with their features."""

    VOLUNTEER = "volunteer"
    TRAINER = "trainer"
    OFFICER = "officer"
    ADMIN = "admin"


class User(UserMixin, Base):
    """A person who logs in with a Thai mobile number and a password."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(10), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.VOLUNTEER.value)
    volunteer_type: Mapped[str | None] = mapped_column(String(16))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"), index=True)
    # Officers' scope: a province, district or subdistrict code (their lists come later).
    area_code: Mapped[str | None] = mapped_column(String(8))
    locale: Mapped[str | None] = mapped_column(String(5))
    # "Save data": lessons show the low-data clip variant (as with the Save-Data header).
    save_data: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    village: Mapped[Village | None] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def has_role(self, *roles: Role) -> bool:
        """True when the user holds one of the roles."""
        return self.role in {r.value for r in roles}
