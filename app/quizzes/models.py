"""Question banks and attempts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..content.stamp import track
from ..db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from ..content.models import Indicator

# "record": a recording exercise (a household scenario, the questionnaire's items to fill in
# and the indicator's result); its items live in `record`, it has no choices.
QUESTION_TYPES = ("single", "multiple", "truefalse", "record")


class Quiz(Base):
    """An indicator's quiz settings: how many questions are drawn and the pass mark."""

    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), unique=True)
    pass_mark: Mapped[int]  # percent
    draw_size: Mapped[int]

    indicator: Mapped[Indicator] = relationship()


class Question(Base):
    """One version of a question in an indicator's bank; `key` is its stable id in the bank
    file. Editing a question that volunteers have answered adds a new version and archives
    the old one, so attempts keep the wording they were asked."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("indicator_id", "key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    type: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text)
    # Where the lesson covers it: a section name, "criterion" or "faq:<slug>".
    see: Mapped[str] = mapped_column(String(100), default="")
    # A recording exercise's items and result: {"result": ..., "entries": [{"label",
    # "question", "options", "kind", "answer", "why"}, ...]} (quizzes.files.RecordSpec).
    record: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)
    published: Mapped[bool] = mapped_column(default=True)
    # Set when retired or replaced by a newer version; never drawn again, kept for attempts.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An edit of a published question waiting to be published (versions.draft_data); the
    # published content stays what volunteers draw until it is.
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))

    choices: Mapped[list[Choice]] = relationship(
        back_populates="question", order_by="Choice.position", cascade="all, delete-orphan"
    )

    @property
    def correct_keys(self) -> frozenset[str]:
        """The keys of the right choices."""
        return frozenset(c.key for c in self.choices if c.correct)


class Choice(Base):
    """One answer option; `key` is a, b, c … in the bank's order."""

    __tablename__ = "choices"
    __table_args__ = (UniqueConstraint("question_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    key: Mapped[str] = mapped_column(String(4))
    text: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    question: Mapped[Question] = relationship(back_populates="choices")


class Attempt(Base):
    """One try at an indicator's quiz: the draw is fixed when it starts, scored once."""

    __tablename__ = "attempts"
    # At most one open (unsubmitted) attempt per user and quiz, even under a double tap.
    __table_args__ = (
        Index(
            "uq_attempts_open",
            "user_id",
            "indicator_id",
            unique=True,
            sqlite_where=text("submitted_at IS NULL"),
            postgresql_where=text("submitted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    # [{"q": question id, "c": [choice keys in the order shown]}, ...] in the order shown.
    draw: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    pass_mark: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[int | None]
    passed: Mapped[bool | None]
    # The id the phone gave an attempt taken offline from a quiz pack: sent again and again
    # until acknowledged, it is recorded once.
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)

    indicator: Mapped[Indicator] = relationship()
    answers: Mapped[list[AttemptAnswer]] = relationship(
        back_populates="attempt", order_by="AttemptAnswer.position"
    )

    @property
    def total(self) -> int:
        """How many questions were drawn."""
        return len(self.draw)


class AttemptAnswer(Base):
    """What a volunteer answered to one drawn question, and whether it was right."""

    __tablename__ = "attempt_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    position: Mapped[int]
    selected: Mapped[list[str]] = mapped_column(JSON)
    correct: Mapped[bool]

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


class QuizPack(Base):
    """A draw handed to a volunteer's phone to take offline: signed (quizzes.packs), bound to
    the volunteer, usable once (attempt_id is set when it is), until expires_at."""

    __tablename__ = "quiz_packs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, in the signed token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    draw: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # as Attempt.draw
    pass_mark: Mapped[int]
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id"), unique=True)

    indicator: Mapped[Indicator] = relationship()


# A question bank's change is a content change: pages built from content are cached per
# version of the content stamp (app/content/stamp.py).
track(Quiz, Question, Choice)
