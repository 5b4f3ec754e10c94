"""FAQ cards in the studio: write, publish, order and remove them; edits of a published card
wait as its draft until published."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..content.audit import record
from ..content.files import SLUG
from ..content.models import FaqCard, Indicator
from ..errors import DomainError
from ..quizzes.models import Question


class SlugTaken(DomainError):
    """Another FAQ card of the indicator already has this id."""


class BadSlug(DomainError):
    """An FAQ card id must be lower-case ASCII letters and digits joined by single hyphens."""


class StillPublished(DomainError):
    """A published item cannot be deleted: volunteers can see it now."""

    status_code = 409


class CardArchived(DomainError):
    """The card was removed (archived); it can no longer be changed."""

    status_code = 404


def _current_cards(session: Session, indicator_id: int) -> list[FaqCard]:
    """The indicator's cards that are not archived, in order."""
    stmt = (
        select(FaqCard)
        .where(FaqCard.indicator_id == indicator_id, FaqCard.archived_at.is_(None))
        .order_by(FaqCard.position, FaqCard.id)
    )
    return list(session.scalars(stmt))


def _free_slug(taken: set[str]) -> str:
    """card-<n> with the smallest n not taken."""
    n = len(taken) + 1
    while f"card-{n}" in taken:
        n += 1
    return f"card-{n}"


def create_faq(
    session: Session, indicator: Indicator, *, title: str, body: str, slug: str, user_id: int
) -> FaqCard:
    """Add a draft FAQ card at the end; slug (its id in links) given or card-<n>."""
    taken = set(session.scalars(select(FaqCard.slug).where(FaqCard.indicator_id == indicator.id)))
    slug = slug.strip().lower()
    if not slug:
        slug = _free_slug(taken)
    elif not SLUG.fullmatch(slug) or len(slug) > 80:
        raise BadSlug(slug)
    elif slug in taken:
        raise SlugTaken(slug)
    last = session.scalar(
        select(func.max(FaqCard.position)).where(FaqCard.indicator_id == indicator.id)
    )
    card = FaqCard(
        indicator_id=indicator.id,
        slug=slug,
        title_th=title.strip(),
        body=body.strip(),
        position=(last or 0) + 1,
        published=False,
    )
    session.add(card)
    session.flush()
    record(session, user_id=user_id, action="faq.create", indicator_id=indicator.id, slug=slug)
    return card


def _record_edit(session: Session, card: FaqCard, changed: dict, user_id: int) -> None:
    record(
        session,
        user_id=user_id,
        action="faq.edit",
        indicator_id=card.indicator_id,
        slug=card.slug,
        **changed,
    )


def _apply(session: Session, card: FaqCard, title: str, body: str, user_id: int) -> bool:
    """Write title and body into what volunteers see; True when anything changed."""
    changed = {}
    for name, value in (("title_th", title), ("body", body)):
        if getattr(card, name) != value:
            changed[name] = [getattr(card, name), value]
            setattr(card, name, value)
    if changed:
        _record_edit(session, card, changed, user_id)
    return bool(changed)


def edit_faq(session: Session, card: FaqCard, *, title: str, body: str, user_id: int) -> bool:
    """Save a card's title and body; True when anything changed (audited). A published card
    keeps what volunteers see: the edit is kept as its draft until publish_draft (an edit
    back to the published text drops the draft)."""
    if card.archived_at is not None:
        raise CardArchived(card.slug)
    title, body = title.strip(), body.strip()
    if not card.published:
        return _apply(session, card, title, body, user_id)
    wanted = {"title_th": title, "body": body}
    draft = None if wanted == {"title_th": card.title_th, "body": card.body} else wanted
    if draft == card.draft:
        return False
    card.draft = draft
    record(
        session, user_id=user_id, action="faq.draft", indicator_id=card.indicator_id,
        slug=card.slug, staged=draft is not None,
    )  # fmt: skip
    return True


def publish_draft(session: Session, card: FaqCard, *, user_id: int) -> bool:
    """Publish a published card's draft: volunteers see it from now; False without one."""
    if card.archived_at is not None:
        raise CardArchived(card.slug)
    if not card.draft:
        return False
    draft, card.draft = card.draft, None
    _apply(session, card, draft["title_th"], draft["body"], user_id)
    record(
        session, user_id=user_id, action="faq.publish", indicator_id=card.indicator_id,
        slug=card.slug, draft=True,
    )  # fmt: skip
    return True


def discard_draft(session: Session, card: FaqCard, *, user_id: int) -> bool:
    """Drop a card's draft, keeping the published version; False without one."""
    if card.archived_at is not None:
        raise CardArchived(card.slug)
    if not card.draft:
        return False
    card.draft = None
    record(
        session, user_id=user_id, action="faq.discard_draft", indicator_id=card.indicator_id,
        slug=card.slug,
    )  # fmt: skip
    return True


def set_published(session: Session, card: FaqCard, published: bool, *, user_id: int) -> None:
    """Publish a card (volunteers see it) or take it back to draft (a pending draft becomes
    its text: nothing of it is shown any more)."""
    if card.archived_at is not None:
        raise CardArchived(card.slug)
    if card.published == published:
        return
    if not published and card.draft:
        draft, card.draft = card.draft, None
        _apply(session, card, draft["title_th"], draft["body"], user_id)
    card.published = published
    action = "faq.publish" if published else "faq.unpublish"
    record(session, user_id=user_id, action=action, indicator_id=card.indicator_id, slug=card.slug)


def is_referenced(session: Session, card: FaqCard) -> bool:
    """True when a question (any version) names the card in its `see`."""
    stmt = select(Question.id).where(
        Question.indicator_id == card.indicator_id, Question.see == f"faq:{card.slug}"
    )
    return session.scalar(stmt.limit(1)) is not None


def delete_faq(session: Session, card: FaqCard, *, user_id: int, now: datetime) -> str:
    """Delete a draft card, or archive it when a question refers to it; a published card is
    refused. Returns "deleted" or "archived"."""
    if card.published:
        raise StillPublished(card.slug)
    facts = {"slug": card.slug, "title_th": card.title_th}
    if card.archived_at is not None:
        return "archived"
    indicator_id = card.indicator_id
    if is_referenced(session, card):
        card.archived_at = now
        record(session, user_id=user_id, action="faq.archive", indicator_id=indicator_id, **facts)
        return "archived"
    session.delete(card)
    record(session, user_id=user_id, action="faq.delete", indicator_id=indicator_id, **facts)
    return "deleted"


def move_faq(session: Session, card: FaqCard, direction: str, *, user_id: int) -> bool:
    """Swap the card with its neighbour above ("up") or below ("down"); False at an end."""
    cards = _current_cards(session, card.indicator_id)
    if card not in cards or direction not in ("up", "down"):
        return False
    index = cards.index(card)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(cards):
        return False
    cards[index], cards[other] = cards[other], cards[index]
    for position, item in enumerate(cards, start=1):
        item.position = position
    record(
        session,
        user_id=user_id,
        action="faq.move",
        indicator_id=card.indicator_id,
        slug=card.slug,
        direction=direction,
    )
    return True


def prefill_from_question(
    session: Session, indicator: Indicator, question_id: int | None
) -> tuple[str, str]:
    """A new card's title and body from one of the indicator's questions ("", "" if none)."""
    if question_id is None:
        return "", ""
    question = session.get(Question, question_id)
    if question is None or question.indicator_id != indicator.id:
        return "", ""
    return question.text, question.explanation
