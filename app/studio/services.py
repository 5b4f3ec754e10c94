"""What trainers need to know about each indicator's wording and material."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..content.models import Indicator
from ..content.services import published_counts
from ..quizzes.services import published_question_counts


@dataclass(frozen=True)
class ChecklistRow:
    """One indicator's state for trainers."""

    indicator: Indicator
    faq_cards: int
    questions: int
    clips: int
    infographics: int

    @property
    def complete(self) -> bool:
        """Lesson text, at least 3 FAQ cards, 6 questions, a clip and an infographic."""
        return (
            self.indicator.has_lesson
            and self.faq_cards >= 3
            and self.questions >= 6
            and self.clips >= 1
            and self.infographics >= 1
        )


def indicator_checklist(session: Session) -> list[ChecklistRow]:
    """Every indicator with its wording status and how much published material it has."""
    counts = published_counts(session)
    questions = published_question_counts(session)
    rows = []
    for indicator in session.scalars(select(Indicator).order_by(Indicator.number)):
        material = counts.get(indicator.id, {})
        rows.append(
            ChecklistRow(
                indicator,
                faq_cards=material.get("faq_cards", 0),
                questions=questions.get(indicator.id, 0),
                clips=material.get("clips", 0),
                infographics=material.get("infographics", 0),
            )
        )
    return rows
