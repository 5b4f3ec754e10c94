"""Studio pages for FAQ cards: write (with a live preview), publish, order, remove."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..content.markdown import render_markdown
from ..content.models import FaqCard
from ..content.services import get_indicator
from ..db import get_session, utcnow
from ..web import get_or_404, is_archived
from .faq import (
    BadSlug,
    SlugTaken,
    StillPublished,
    create_faq,
    delete_faq,
    discard_draft,
    edit_faq,
    is_referenced,
    move_faq,
    prefill_from_question,
    publish_draft,
    set_published,
)
from .forms import FaqForm, NewFaqForm

bp = Blueprint("faq", __name__)
NOT_FOUND = _l("There is no such FAQ card.")


def _wants_preview() -> bool:
    """The no-script "Preview" button: show the rendered answer, save nothing."""
    return request.method == "POST" and "preview" in request.form


@bp.route("/indicators/<int(max=999):number>/faq/new", methods=["GET", "POST"])
def new_faq(number: int):
    """Write a new FAQ card (a draft), optionally started from a confusing question."""
    session = get_session()
    indicator = get_indicator(session, number)
    if indicator is None:
        abort(404, description=_("There is no indicator %(number)d.", number=number))
    form = NewFaqForm()
    if request.method == "GET":
        question_id = request.args.get("from_question", type=int)
        form.title.data, form.body.data = prefill_from_question(session, indicator, question_id)
    if not _wants_preview() and form.validate_on_submit():
        try:
            card = create_faq(
                session,
                indicator,
                title=form.title.data,
                body=form.body.data,
                slug=form.slug.data or "",
                user_id=current_user.id,
            )
        except SlugTaken:
            form.slug.errors.append(_("Another FAQ card of this indicator has this id."))
        except BadSlug:
            form.slug.errors.append(
                _("Use lower-case English letters and digits joined by hyphens.")
            )
        else:
            session.commit()
            flash(_("Draft saved. Volunteers see it once you publish it."), "success")
            return redirect(url_for("studio.faq.edit_faq", card_id=card.id))
    return render_template(
        "studio/faq_edit.html",
        indicator=indicator,
        card=None,
        form=form,
        preview=render_markdown(form.body.data),
    )


@bp.route("/faq/<int:card_id>", methods=["GET", "POST"], endpoint="edit_faq")
def edit_faq_page(card_id: int):
    """Edit an FAQ card's problem and answer; publish, unpublish or delete it."""
    session = get_session()
    card = get_or_404(session, FaqCard, card_id, description=NOT_FOUND, unless=is_archived)
    text = card.draft or {"title_th": card.title_th, "body": card.body}
    form = FaqForm(data={"title": text["title_th"], "body": text["body"]})
    if not _wants_preview() and form.validate_on_submit():
        changed = edit_faq(
            session, card, title=form.title.data, body=form.body.data, user_id=current_user.id
        )
        session.commit()
        if not changed:
            flash(_("Nothing changed."), "success")
        elif card.draft:
            flash(
                _("Draft saved: volunteers keep seeing the published card until you publish it."),
                "success",
            )
        else:
            flash(_("FAQ card saved."), "success")
        return redirect(url_for("studio.faq.edit_faq", card_id=card.id))
    return render_template(
        "studio/faq_edit.html",
        indicator=card.indicator,
        card=card,
        form=form,
        preview=render_markdown(form.body.data),
        referenced=is_referenced(session, card),
    )


@bp.post("/faq/<int:card_id>/publish")
def publish_faq(card_id: int):
    """Publish the card: volunteers see it on the lesson page."""
    return _set_published(card_id, True)


@bp.post("/faq/<int:card_id>/unpublish")
def unpublish_faq(card_id: int):
    """Take the card back to draft: volunteers no longer see it."""
    return _set_published(card_id, False)


def _set_published(card_id: int, published: bool):
    """Publish or unpublish a card, then show its editor again."""
    session = get_session()
    card = get_or_404(session, FaqCard, card_id, description=NOT_FOUND, unless=is_archived)
    set_published(session, card, published, user_id=current_user.id)
    session.commit()
    flash(_("Published.") if published else _("Back to draft: volunteers no longer see it."))
    return redirect(url_for("studio.faq.edit_faq", card_id=card.id))


@bp.post("/faq/<int:card_id>/draft/publish")
def publish_faq_draft(card_id: int):
    """Publish the card's draft: volunteers see the new text from now."""
    session = get_session()
    card = get_or_404(session, FaqCard, card_id, description=NOT_FOUND, unless=is_archived)
    if publish_draft(session, card, user_id=current_user.id):
        session.commit()
        flash(_("Published: volunteers see the new text."), "success")
    return redirect(url_for("studio.faq.edit_faq", card_id=card.id))


@bp.post("/faq/<int:card_id>/draft/discard")
def discard_faq_draft(card_id: int):
    """Drop the card's draft; the published text stays."""
    session = get_session()
    card = get_or_404(session, FaqCard, card_id, description=NOT_FOUND, unless=is_archived)
    if discard_draft(session, card, user_id=current_user.id):
        session.commit()
        flash(_("Draft discarded: the published card is unchanged."), "success")
    return redirect(url_for("studio.faq.edit_faq", card_id=card.id))


@bp.post("/faq/<int:card_id>/delete", endpoint="delete_faq")
def delete_faq_page(card_id: int):
    """Delete a draft card, or archive it when a question refers to it."""
    session = get_session()
    card = get_or_404(session, FaqCard, card_id, description=NOT_FOUND, unless=is_archived)
    number = card.indicator.number
    try:
        outcome = delete_faq(session, card, user_id=current_user.id, now=utcnow())
    except StillPublished:
        flash(_("Unpublish it first: volunteers can see it now."), "error")
        return redirect(url_for("studio.faq.edit_faq", card_id=card.id))
    session.commit()
    if outcome == "archived":
        flash(_("Archived: a question refers to this card, so it is kept but hidden."))
    else:
        flash(_("FAQ card deleted."))
    return redirect(url_for("studio.workspace.indicator", number=number, _anchor="faq"))


@bp.post("/faq/<int:card_id>/move", endpoint="move_faq")
def move_faq_page(card_id: int):
    """Move the card one place up or down (direction=up|down)."""
    session = get_session()
    card = get_or_404(session, FaqCard, card_id, description=NOT_FOUND, unless=is_archived)
    move_faq(session, card, request.form.get("direction", ""), user_id=current_user.id)
    session.commit()
    return redirect(
        url_for("studio.workspace.indicator", number=card.indicator.number, _anchor="faq")
    )
