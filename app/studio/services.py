"""The studio overview and workspace: every unit's material, drafts, gaps and wording."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..auth.models import User
from ..content.models import BASICS, Clip, FaqCard, Indicator, Infographic, Recording
from ..content.recording import confirmed_recordings, recording_hash
from ..quizzes.models import Question, Quiz

MIN_FAQ_CARDS = 3
KINDS = {"clips": Clip, "infographics": Infographic, "faq_cards": FaqCard, "questions": Question}


@dataclass(frozen=True)
class Count:
    """How many items of one kind a unit has: published, draft, and archived (kept only)."""

    published: int = 0
    draft: int = 0
    archived: int = 0


@dataclass(frozen=True)
class UnitOverview:
    """One unit's row on the studio overview."""

    indicator: Indicator
    counts: dict[str, Count]
    draw_size: int | None  # None without quiz settings
    confirmed_by: str  # the confirming trainer's name, "" when none
    flags: list[str] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        """True when something is missing."""
        return bool(self.flags)


def material_flags(
    number: int, counts: dict[str, Count], draw_size: int | None, has_lesson: bool
) -> list[str]:
    """What a unit lacks, as flag codes (the overview names them in the user's language)."""
    flags = []
    if number != BASICS:
        if not counts["clips"].published:
            flags.append("no_clip")
        if not counts["infographics"].published:
            flags.append("no_infographic")
    if counts["faq_cards"].published < MIN_FAQ_CARDS:
        flags.append("few_faq_cards")
    if draw_size is None:
        flags.append("no_quiz")
    elif counts["questions"].published < draw_size:
        flags.append("small_bank")
    if not has_lesson:
        flags.append("no_lesson")
    return flags


def _grouped_counts(session: Session) -> dict[int, dict[str, Count]]:
    """Per indicator id and kind: published, draft and archived counts (one query per kind)."""
    raw: dict[int, dict[str, dict[str, int]]] = {}
    for kind, model in KINDS.items():
        state = model.archived_at.is_not(None)
        stmt = select(model.indicator_id, model.published, state, func.count()).group_by(
            model.indicator_id, model.published, state
        )
        for indicator_id, published, archived, count in session.execute(stmt):
            slot = "archived" if archived else "published" if published else "draft"
            kinds = raw.setdefault(indicator_id, {}).setdefault(kind, {})
            kinds[slot] = kinds.get(slot, 0) + count
    return {
        indicator_id: {kind: Count(**slots) for kind, slots in kinds.items()}
        for indicator_id, kinds in raw.items()
    }


def studio_overview(session: Session) -> list[UnitOverview]:
    """Every unit (survey basics first) with its material counts, gaps and wording status."""
    counts = _grouped_counts(session)
    draws = dict(session.execute(select(Quiz.indicator_id, Quiz.draw_size)).all())
    names = dict(
        session.execute(
            select(User.id, User.full_name).join(Indicator, Indicator.confirmed_by_id == User.id)
        ).all()
    )
    rows = []
    for indicator in session.scalars(select(Indicator).order_by(Indicator.number)):
        unit = {kind: counts.get(indicator.id, {}).get(kind, Count()) for kind in KINDS}
        draw = draws.get(indicator.id)
        rows.append(
            UnitOverview(
                indicator,
                unit,
                draw,
                names.get(indicator.confirmed_by_id, ""),
                material_flags(indicator.number, unit, draw, indicator.has_lesson),
            )
        )
    return rows


@dataclass(frozen=True)
class Workspace:
    """One indicator's material for the studio, in order, archived items left out."""

    indicator: Indicator
    clips: list[Clip]
    infographics: list[Infographic]
    faq_cards: list[FaqCard]
    questions: list[Question]
    quiz: Quiz | None
    confirmed_by: str
    archived: dict[str, int]
    # True when a trainer confirmed exactly the current questionnaire items.
    recording_confirmed: bool = False


def indicator_workspace(session: Session, number: int) -> Workspace | None:
    """An indicator's clips, infographics, FAQ cards and current questions, drafts included."""
    indicator = session.scalar(
        select(Indicator)
        .where(Indicator.number == number)
        .options(
            selectinload(Indicator.clips),
            selectinload(Indicator.infographics),
            selectinload(Indicator.faq_cards),
            selectinload(Indicator.recording).selectinload(Recording.items),
        )
    )
    if indicator is None:
        return None
    questions = list(
        session.scalars(
            select(Question)
            .where(Question.indicator_id == indicator.id)
            .order_by(Question.position, Question.id)
        )
    )
    quiz = session.scalar(select(Quiz).where(Quiz.indicator_id == indicator.id))
    confirmed_by = ""
    if indicator.confirmed_by_id is not None:
        user = session.get(User, indicator.confirmed_by_id)
        confirmed_by = user.full_name if user else ""
    lists = {
        "clips": indicator.clips,
        "infographics": indicator.infographics,
        "faq_cards": sorted(indicator.faq_cards, key=lambda c: (c.position, c.id)),
        "questions": questions,
    }
    current = {kind: [i for i in items if i.archived_at is None] for kind, items in lists.items()}
    recording_confirmed = indicator.recording is not None and recording_hash(
        indicator.recording.items
    ) in confirmed_recordings(session).get(number, set())
    return Workspace(
        indicator,
        **current,
        quiz=quiz,
        confirmed_by=confirmed_by,
        archived={kind: len(items) - len(current[kind]) for kind, items in lists.items()},
        recording_confirmed=recording_confirmed,
    )
