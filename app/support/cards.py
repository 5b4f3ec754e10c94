"""An answered question becomes a draft FAQ card for its indicator, personal details removed."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..content.models import FaqCard
from ..studio.faq import create_faq
from .models import SupportQuestion
from .rules import scrub
from .services import AlreadyHandled, NotAnswered

TITLE_MAX = 300


def make_faq_card(session: Session, question: SupportQuestion, *, user_id: int) -> FaqCard:
    """A draft FAQ card from an answered question (question → problem, answer → answer) with
    the asker's name, mobile and ID card numbers and house numbers masked. A question becomes
    one card only (AlreadyHandled if it became one meanwhile)."""
    if question.status != "answered" or not question.answer:
        raise NotAnswered(question.id)
    if question.faq_card_id is not None:
        raise AlreadyHandled(question.id)
    names = [question.asker.full_name]
    title = " ".join(scrub(question.text, names).split())
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1].rstrip() + "…"
    card = create_faq(
        session,
        question.indicator,
        title=title,
        body=scrub(question.answer, names),
        slug="",
        user_id=user_id,
    )
    claimed = session.execute(
        update(SupportQuestion)
        .where(SupportQuestion.id == question.id, SupportQuestion.faq_card_id.is_(None))
        .values(faq_card_id=card.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadyHandled(question.id)
    return card
