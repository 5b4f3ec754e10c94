"""The zone teams' queue: open questions oldest first, answering once, cards from answers.

Trainers and officers both answer, so the queue sits under the volunteer pages' door (logged
in) with its own guard: an admin, or a trainer or officer on at least one zone's team."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth.models import TRAINER_ROLES, Role
from ..db import get_session, utcnow
from .cards import make_faq_card
from .forms import ZONE_LABELS, AnswerForm
from .services import (
    AlreadyHandled,
    NotAnswered,
    answer_question,
    close_question,
    get_question,
    indicator_counts,
    open_queue,
    queue_figures,
    team_zones,
)

TAKEN = _l("Another team member answered this question first; their answer is below.")
bp = Blueprint("support_team", __name__, url_prefix="/support/team")
STAFF = (Role.TRAINER, Role.OFFICER, Role.ADMIN)


@bp.before_request
def team_guard() -> None:
    """Admins, and trainers or officers who answer for at least one zone."""
    if not current_user.is_authenticated:
        return  # the door sends visitors to log in
    if not current_user.has_role(*STAFF):
        abort(403, description=_("Your role may not open this page."))
    zones = team_zones(get_session(), current_user)
    if zones is not None and not zones:
        abort(403, description=_("You are not on a support team yet; ask an admin to add you."))
    g.support_zones = zones


def _overdue_hours() -> float:
    return float(current_app.config["SUPPORT_OVERDUE_HOURS"])


def _question(question_id: int):
    question = get_question(get_session(), g.support_zones, question_id)
    if question is None:
        abort(404, description=_("There is no such question in your zone."))
    return question


@bp.get("/")
def queue():
    """The team's open questions, oldest first, with the waiting figures."""
    session, now = get_session(), utcnow()
    zones = g.support_zones
    return render_template(
        "support/queue.html",
        rows=open_queue(session, zones, now=now, overdue_hours=_overdue_hours()),
        figures=queue_figures(session, zones, now=now, overdue_hours=_overdue_hours()),
        counts=indicator_counts(session, zones),
        zone_names=[ZONE_LABELS[z] for z in sorted(zones)] if zones is not None else None,
        overdue_hours=_overdue_hours(),
        now=now,
    )


@bp.get("/<int:question_id>")
def show(question_id: int):
    """One question with the answer form (or its answer)."""
    question = _question(question_id)
    return render_template(
        "support/question.html",
        question=question,
        form=AnswerForm(),
        can_make_card=current_user.has_role(*TRAINER_ROLES),
        now=utcnow(),
    )


@bp.post("/<int:question_id>/answer")
def answer(question_id: int):
    """Answer the question; if another member answered first, say so and show theirs."""
    question = _question(question_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        page = render_template(
            "support/question.html",
            question=question,
            form=form,
            can_make_card=current_user.has_role(*TRAINER_ROLES),
            now=utcnow(),
        )
        return page, 400
    session = get_session()
    try:
        answer_question(
            session, question.id, answer=form.answer.data, user_id=current_user.id, now=utcnow()
        )
    except AlreadyHandled:
        return _handled_first(question_id)
    session.commit()
    flash(_("Answer sent. The volunteer sees it on their home page."), "success")
    return redirect(url_for(".queue"))


def _handled_first(question_id: int):
    """Another team member answered or closed the question first: nothing of ours is kept,
    and the question's page shows what they did."""
    get_session().rollback()
    flash(_("Another team member answered this question first; their answer is below."), "error")
    return redirect(url_for(".show", question_id=question_id))


@bp.post("/<int:question_id>/close")
def close(question_id: int):
    """Close the question without an answer."""
    question = _question(question_id)
    session = get_session()
    try:
        close_question(session, question.id, user_id=current_user.id, now=utcnow())
    except AlreadyHandled:
        return _handled_first(question_id)
    session.commit()
    flash(_("Question closed."), "success")
    return redirect(url_for(".queue"))


@bp.post("/<int:question_id>/card")
def card(question_id: int):
    """Trainers: make a draft FAQ card from the answered question and open it in the studio."""
    if not current_user.has_role(*TRAINER_ROLES):
        abort(403, description=_("Your role may not open this page."))
    question = _question(question_id)
    session = get_session()
    try:
        made = make_faq_card(session, question, user_id=current_user.id)
    except NotAnswered:
        abort(409, description=_("Only an answered question can become an FAQ card."))
    except AlreadyHandled:
        session.rollback()
        flash(_("This question is an FAQ card already."), "error")
        return redirect(url_for(".show", question_id=question_id))
    session.commit()
    flash(
        _("Draft FAQ card made; check that no personal details remain, then publish it."), "success"
    )
    return redirect(url_for("studio.faq.edit_faq", card_id=made.id))
