"""Categories, indicators and the lesson material attached to them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, UTCDateTime, utcnow

# Lesson sections in reading order; their keys are also the page anchors quiz feedback links to.
LESSON_SECTIONS = ("measures", "target_group", "how_to_ask", "how_to_record", "pitfalls")
STATUSES = ("carried-over", "provisional", "official")
# Where an indicator's wording came from; "import" and "studio" wording is kept by content load.
WORDING_SOURCES = ("content", "import", "studio")
CLIP_STATES = ("processing", "ready", "failed")
BASICS = 0  # the number of the survey basics lesson


class Category(Base):
    """One of the five จปฐ. categories (หมวด)."""

    __tablename__ = "categories"

    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name_th: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))

    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="category", order_by="Indicator.number"
    )


class IndicatorTraits:
    """What follows from an indicator's number and status (the model and the cached lesson
    page's copy of it share these)."""

    number: Any
    status: Any

    @property
    def is_basics(self) -> bool:
        """True for the survey basics lesson (number 0)."""
        return self.number == BASICS

    @property
    def needs_checking(self) -> bool:
        """True until the wording is confirmed against the official manual."""
        return self.status != "official"


class Indicator(IndicatorTraits, Base):
    """One of the 38 indicators; lessons, questions and attempts attach to it by number.

    Number 0 is the survey basics lesson: no category, taken before the indicators.
    """

    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    category_number: Mapped[int | None] = mapped_column(ForeignKey("categories.number"), index=True)
    title_th: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    target_group_th: Mapped[str] = mapped_column(String(300), default="")
    criterion_th: Mapped[str] = mapped_column(Text, default="")
    # carried-over / provisional / official: how sure the wording is (shared/data/SOURCES.md).
    status: Mapped[str] = mapped_column(String(16))
    # "content" (content/indicators.csv), "import" (an administrator's official list) or
    # "studio" (a trainer edited or confirmed it in the browser).
    wording_source: Mapped[str] = mapped_column(String(16), default="content")
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The trainer who confirmed the wording against the official manual (AuditEntry keeps all).
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    measures: Mapped[str] = mapped_column(Text, default="")
    target_group: Mapped[str] = mapped_column(Text, default="")
    how_to_ask: Mapped[str] = mapped_column(Text, default="")
    how_to_record: Mapped[str] = mapped_column(Text, default="")
    pitfalls: Mapped[str] = mapped_column(Text, default="")

    category: Mapped[Category | None] = relationship(back_populates="indicators")
    clips: Mapped[list[Clip]] = relationship(
        back_populates="indicator", order_by="(Clip.position, Clip.id)"
    )
    infographics: Mapped[list[Infographic]] = relationship(
        back_populates="indicator", order_by="(Infographic.position, Infographic.id)"
    )
    faq_cards: Mapped[list[FaqCard]] = relationship(
        back_populates="indicator", order_by="FaqCard.position"
    )
    # How it is recorded on the 2560-2564 questionnaire (carried-over indicators only).
    recording: Mapped[Recording | None] = relationship(back_populates="indicator")

    @property
    def has_lesson(self) -> bool:
        """True when the lesson text has been written."""
        return bool(self.measures and self.how_to_ask and self.how_to_record)


class Clip(Base):
    """A short video with poster and Thai captions; paths are media storage keys.

    published False is a draft; archived_at set means removed from the studio but kept,
    because something still refers to it.
    """

    __tablename__ = "clips"
    __table_args__ = (
        UniqueConstraint("indicator_id", "path"),
        # One clip shown per indicator: publishing a second one must replace the first.
        Index(
            "uq_clips_shown",
            "indicator_id",
            unique=True,
            sqlite_where=text("published"),
            postgresql_where=text("published"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    path: Mapped[str] = mapped_column(String(255))
    poster_path: Mapped[str | None] = mapped_column(String(255))
    # The poster as WebP at the width a phone shows it (made when the poster is stored).
    poster_webp_path: Mapped[str | None] = mapped_column(String(255))
    captions_path: Mapped[str | None] = mapped_column(String(255))
    # The low-data variant (at most 360p, 400 kbit/s) for "save data"; None until made.
    low_path: Mapped[str | None] = mapped_column(String(255))
    low_size: Mapped[int | None]
    # The phone rendition (at most 720p, about 1 Mbit/s, no metadata, faststart) volunteers
    # play by default; None until the job made it, and until then volunteers see no clip.
    # The original upload (path) is served to trainers and admins only.
    phone_path: Mapped[str | None] = mapped_column(String(255))
    phone_size: Mapped[int | None]
    duration: Mapped[float | None]
    size: Mapped[int]
    # processing / ready / failed (error says why); see CLIP_STATES.
    state: Mapped[str] = mapped_column(String(16), default="ready")
    error: Mapped[str] = mapped_column(Text, default="")
    original_name: Mapped[str] = mapped_column(String(255), default="")
    position: Mapped[int] = mapped_column(default=0)
    published: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    indicator: Mapped[Indicator] = relationship(back_populates="clips")


class Infographic(Base):
    """A one-page picture summary of an indicator."""

    __tablename__ = "infographics"
    __table_args__ = (UniqueConstraint("indicator_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    path: Mapped[str] = mapped_column(String(255))  # the original, as uploaded or shipped
    width: Mapped[int]
    height: Mapped[int]
    alt_th: Mapped[str] = mapped_column(String(500))
    alt_en: Mapped[str] = mapped_column(String(500), default="")
    size: Mapped[int]
    # Width variants for srcset: [{"width": 360, "height": .., "webp": key, "webp_size": n,
    # "jpeg": key, "jpeg_size": n}, ...], narrowest first.
    variants: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    original_name: Mapped[str] = mapped_column(String(255), default="")
    position: Mapped[int] = mapped_column(default=0)
    published: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    indicator: Mapped[Indicator] = relationship(back_populates="infographics")


class FaqCard(Base):
    """A frequent problem and its answer, in Markdown (sanitised when shown)."""

    __tablename__ = "faq_cards"
    __table_args__ = (UniqueConstraint("indicator_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    title_th: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    published: Mapped[bool] = mapped_column(default=True)
    # An edit of a published card waiting to be published: {"title_th": .., "body": ..};
    # volunteers keep seeing title_th and body until it is (studio.faq.publish_draft).
    draft: Mapped[dict[str, str] | None] = mapped_column(JSON(none_as_null=True))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, onupdate=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    indicator: Mapped[Indicator] = relationship(back_populates="faq_cards")


class Recording(Base):
    """How an indicator is recorded on the questionnaire: the edition its items come from,
    the pass rule, when it is not assessed and the common mistakes (Markdown); one per
    indicator, from indicators/NN/recording.yaml."""

    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), unique=True)
    edition: Mapped[str] = mapped_column(String(20))  # "2560-2564"
    number_2560: Mapped[int]  # the indicator's number in that edition's questionnaire
    title_2560: Mapped[str] = mapped_column(String(300))
    pass_rule_th: Mapped[str] = mapped_column(Text)
    not_assessed_th: Mapped[str] = mapped_column(Text, default="")
    mistakes_th: Mapped[str] = mapped_column(Text, default="")

    indicator: Mapped[Indicator] = relationship(back_populates="recording")
    items: Mapped[list[RecordingItem]] = relationship(
        back_populates="recording",
        order_by="RecordingItem.position",
        cascade="all, delete-orphan",
    )


class RecordingItem(Base):
    """One question of the printed form with its answer options, as printed ("..." is where
    the interviewer writes a number, "$count" a number filled in from the roster)."""

    __tablename__ = "recording_items"
    __table_args__ = (UniqueConstraint("recording_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id"), index=True)
    position: Mapped[int]
    label: Mapped[str] = mapped_column(String(60))
    question_th: Mapped[str] = mapped_column(Text)
    answers: Mapped[list[str]] = mapped_column(JSON, default=list)
    skip_rule_th: Mapped[str] = mapped_column(Text, default="")

    recording: Mapped[Recording] = relationship(back_populates="items")


class AuditEntry(Base):
    """Who changed or confirmed which training content, and when (kept for good)."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicators.id"), index=True)
    # A verb-object name such as "wording.edit", "wording.confirm", "faq.publish".
    action: Mapped[str] = mapped_column(String(40))
    # What changed: {"field": [old, new], ...} or other small facts.
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ContentStamp(Base):
    """One row whose version takes a new (random) value in every transaction that changes
    what volunteers see (app/content/stamp.py): what is built from it is cached per value
    (issue 16)."""

    __tablename__ = "content_stamps"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(default=0)
