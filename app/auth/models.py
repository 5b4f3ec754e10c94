"""The user account and its role."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String
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


# Who may enter each staff area; the URL map's guards, the header's links and
# `User.works_an_area` all read these.
TRAINER_ROLES = (Role.TRAINER, Role.ADMIN)
OFFICER_ROLES = (Role.OFFICER, Role.ADMIN)


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
    # The 13-digit ID card number is never stored: only a masked form to show and a keyed
    # hash (HMAC with SECRET_KEY) that finds duplicates.
    national_id_masked: Mapped[str | None] = mapped_column(String(17))
    national_id_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Set when an officer registered the volunteer (form or import); such an account has no
    # password until the volunteer claims it with the one-time activation code of their slip.
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The one-time activation code of such an account (shown once to the officer, printed on
    # the volunteer's slip): only its keyed hash is kept, and it is cleared once used.
    activation_hash: Mapped[str | None] = mapped_column(String(64))
    activation_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locale: Mapped[str | None] = mapped_column(String(5))
    # "Save data": lessons show the low-data clip variant (as with the Save-Data header).
    save_data: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # Part of every session and remember-me cookie (get_id): raising it (logout, a new
    # password, deactivation) ends every session of the user on every device.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when an admin erased the person's data (PDPA): name, mobile and ID are replaced by
    # placeholders; the account stays only so its quiz attempts keep their statistics.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    village: Mapped[Village | None] = relationship(lazy="joined")

    @property
    def has_password(self) -> bool:
        """False for an account an officer registered that the volunteer has not claimed."""
        return bool(self.password_hash)

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def get_id(self) -> str:
        """The login id kept in the session and the remember-me cookie: "<id>.<version>"."""
        return f"{self.id}.{self.session_version}"

    def end_sessions(self) -> None:
        """End every session and remember-me cookie of this user (the caller commits)."""
        self.session_version = (self.session_version or 0) + 1

    @property
    def works_an_area(self) -> bool:
        """An active admin, or an active officer with an area: who may use officers' tools."""
        if not self.active:
            return False
        return self.has_role(*OFFICER_ROLES) and (
            self.role == Role.ADMIN.value or bool(self.area_code)
        )

    def has_role(self, *roles: Role) -> bool:
        """True when the user holds one of the roles."""
        return self.role in {r.value for r in roles}


class PersonalDataEvent(Base):
    """Who viewed, exported, changed, confirmed or erased whose personal data, and when (PDPA).

    Kept for good, like the studio's audit trail; the people concerned are in
    `PersonalDataSubject` so "who has seen volunteer X" is one indexed query. The detail holds
    small facts only (changed field names, a filter, a row count), never the data itself.
    """

    __tablename__ = "personal_data_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # A verb-object name: "volunteer.view", "volunteers.export", "volunteer.edit", ...
    action: Mapped[str] = mapped_column(String(40), index=True)
    # The area the actor worked in (an officer's scope or the filter used), if any.
    area_code: Mapped[str | None] = mapped_column(String(8))
    subject_count: Mapped[int] = mapped_column(default=0)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class PersonalDataSubject(Base):
    """One person whose data an event touched."""

    __tablename__ = "personal_data_subjects"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("personal_data_events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
