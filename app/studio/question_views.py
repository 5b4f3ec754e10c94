"""Studio pages for an indicator's question bank, quiz settings and quiz preview."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from ..content.models import Indicator
from ..content.services import get_indicator
from ..db import get_session, utcnow
from ..errors import DomainError
from ..quizzes.forms import RESULT_LABELS
from ..quizzes.models import Question
from ..quizzes.versions import draft_view
from . import question_rules as rules
from . import questions as service
from .exercise_forms import (
    build_exercise_form,
    exercise_spec,
    fill_exercise,
    form_items,
    validate_exercise,
)
from .question_forms import QuestionForm, QuizSettingsForm, see_labels

bp = Blueprint("questions", __name__)


def _indicator(number: int) -> Indicator:
    indicator = get_indicator(get_session(), number)
    if indicator is None:
        abort(404, description=_("There is no indicator %(number)d.", number=number))
    return indicator


def _question(question_id: int) -> Question:
    question = get_session().get(Question, question_id)
    if question is None:
        abort(404, description=_("There is no such question."))
    return question


def _back(question: Question) -> Response:
    number = get_session().get(Indicator, question.indicator_id).number
    return redirect(url_for("studio.questions.questions", number=number))


def _bank_page(indicator: Indicator, settings: QuizSettingsForm | None = None):
    view = service.bank_view(get_session(), indicator)
    return render_template(
        "studio/questions.html",
        indicator=indicator,
        bank=view,
        settings=settings or QuizSettingsForm.for_quiz(view.quiz),
    )


@bp.get("/indicators/<int(max=999):number>/questions")
def questions(number: int):
    """The indicator's bank in order, with its quiz settings."""
    return _bank_page(_indicator(number))


@bp.post("/indicators/<int(max=999):number>/quiz-settings")
def quiz_settings(number: int):
    """Save the pass mark and draw size; refused when the bank is smaller than the draw."""
    session = get_session()
    indicator = _indicator(number)
    form = QuizSettingsForm()
    if form.validate_on_submit():
        try:
            service.save_quiz_settings(
                session,
                indicator,
                pass_mark=form.pass_mark.data,
                draw_size=form.draw_size.data,
                user_id=current_user.id,
            )
        except service.DrawTooLarge as error:
            form.draw_size.errors.append(str(error))
        else:
            session.commit()
            flash(_("Quiz settings saved."), "success")
            return redirect(url_for("studio.questions.questions", number=number))
    return _bank_page(indicator, form)


def _form(indicator: Indicator, **kwargs) -> QuestionForm:
    session = get_session()
    return QuestionForm(
        faq_cards=service.faq_cards(session, indicator.id), basics=indicator.is_basics, **kwargs
    )


@bp.route("/indicators/<int(max=999):number>/questions/new", methods=["GET", "POST"])
def new_question(number: int):
    """Write a new question; it starts as a draft at the end of the bank."""
    session = get_session()
    indicator = _indicator(number)
    taken = service.used_keys(session, indicator.id)
    form = _form(indicator, taken_keys=taken)
    if form.validate_on_submit():
        key = rules.slugify_key(form.key.data or "") or rules.automatic_key(taken)
        service.create_question(
            session, indicator, form.spec(key), user_id=current_user.id, now=utcnow()
        )
        session.commit()
        flash(_("Question saved as a draft: publish it when it is ready."), "success")
        return redirect(url_for("studio.questions.questions", number=number))
    return render_template(
        "studio/question_form.html", indicator=indicator, form=form, question=None
    )


@bp.route("/questions/<int(max=2147483647):question_id>", methods=["GET", "POST"])
def edit_question(question_id: int):
    """Edit a question; if volunteers were asked it, the edit becomes a new version."""
    session = get_session()
    question = _question(question_id)
    indicator = session.get(Indicator, question.indicator_id)
    if question.archived_at is not None:
        newest = service.newest_version(session, question)
        if newest.archived_at is None:  # replaced by a newer version: edit that one
            return redirect(url_for("studio.questions.edit_question", question_id=newest.id))
        flash(str(service.QuestionRetired(question.id)), "error")
        return redirect(url_for("studio.questions.questions", number=indicator.number))
    if question.type == "record":
        return _exercise_page(indicator, question)
    form = _form(indicator)
    del form.key  # the key is fixed once created
    if request.method == "GET":
        form.fill(draft_view(question))
    if form.validate_on_submit():
        old_version = question.version
        saved = service.edit_question(
            session, question, form.spec(question.key), user_id=current_user.id, now=utcnow()
        )
        session.commit()
        _flash_saved(saved, old_version)
        return redirect(url_for("studio.questions.questions", number=indicator.number))
    return render_template(
        "studio/question_form.html", indicator=indicator, form=form, question=question
    )


def _exercise_form(indicator: Indicator, *, taken: set[str] | None = None, formdata=None):
    session = get_session()
    if indicator.recording is None:
        abort(
            404,
            description=_(
                "Indicator %(number)d has no questionnaire items.", number=indicator.number
            ),
        )
    return build_exercise_form(
        form_items(indicator.recording.items),
        faq_cards=service.faq_cards(session, indicator.id),
        taken_keys=taken,
        formdata=formdata,
    )


@bp.route("/indicators/<int(max=999):number>/exercises/new", methods=["GET", "POST"])
def new_exercise(number: int):
    """Write a recording exercise: a household, what the form needs item by item, the result."""
    session = get_session()
    indicator = _indicator(number)
    taken = service.used_keys(session, indicator.id)
    form = _exercise_form(indicator, taken=taken, formdata=request.form or None)
    if validate_exercise(form):
        key = rules.slugify_key(form.key.data or "") or rules.automatic_key(taken)
        service.create_question(
            session, indicator, exercise_spec(form, key), user_id=current_user.id, now=utcnow()
        )
        session.commit()
        flash(_("Question saved as a draft: publish it when it is ready."), "success")
        return redirect(url_for("studio.questions.questions", number=number))
    return render_template(
        "studio/exercise_form.html", indicator=indicator, form=form, question=None
    )


def _exercise_page(indicator: Indicator, question: Question):
    session = get_session()
    form = _exercise_form(indicator, formdata=request.form or None)
    if request.method == "GET":
        fill_exercise(form, draft_view(question))
    if validate_exercise(form):
        old_version = question.version
        saved = service.edit_question(
            session,
            question,
            exercise_spec(form, question.key),
            user_id=current_user.id,
            now=utcnow(),
        )
        session.commit()
        _flash_saved(saved, old_version)
        return redirect(url_for("studio.questions.questions", number=indicator.number))
    return render_template(
        "studio/exercise_form.html", indicator=indicator, form=form, question=question
    )


def _flash_saved(saved: Question | None, old_version: int) -> None:
    """Say what an edit did: nothing, a draft kept aside, a new version, or saved in place."""
    if saved is None:
        flash(_("Nothing changed."), "info")
    elif saved.draft:
        flash(
            _("Draft saved: volunteers keep getting the published question until you publish it."),
            "success",
        )
    elif saved.version != old_version:
        flash(
            _(
                "Saved as version %(new)d: attempts so far keep version %(old)d.",
                new=saved.version,
                old=old_version,
            ),
            "success",
        )
    else:
        flash(_("Question saved."), "success")


def _act(question_id: int, action: Callable[[Session, Question], str | None]) -> Response:
    """Run one button action on a question, flash its outcome or refusal, back to the bank."""
    session = get_session()
    question = _question(question_id)
    try:
        done = action(session, question)
    except DomainError as error:
        session.rollback()
        flash(str(error), "error")
    else:
        session.commit()
        if done:
            flash(done, "success")
    return _back(question)


@bp.post("/questions/<int(max=2147483647):question_id>/retire")
def retire_question(question_id: int):
    """Retire a question: never drawn again, kept for old attempts."""

    def action(session, question):
        service.retire_question(session, question, user_id=current_user.id, now=utcnow())
        return _("Question retired: volunteers no longer get it.")

    return _act(question_id, action)


@bp.post("/questions/<int(max=2147483647):question_id>/publish")
def publish_question(question_id: int):
    """Publish a draft question: volunteers can draw it."""

    def action(session, question):
        if service.set_published(session, question, True, user_id=current_user.id):
            return _("Published: volunteers can now get this question.")
        return None

    return _act(question_id, action)


@bp.post("/questions/<int(max=2147483647):question_id>/unpublish")
def unpublish_question(question_id: int):
    """Take a question back to draft."""

    def action(session, question):
        if service.set_published(session, question, False, user_id=current_user.id):
            return _("Back to draft: volunteers no longer get this question.")
        return None

    return _act(question_id, action)


@bp.post("/questions/<int(max=2147483647):question_id>/draft/publish")
def publish_question_draft(question_id: int):
    """Publish the question's draft (a new version when volunteers were asked it)."""

    def action(session, question):
        old_version = question.version
        saved = service.publish_draft(session, question, user_id=current_user.id, now=utcnow())
        if saved is None:
            return None
        if saved.version != old_version:
            return _(
                "Saved as version %(new)d: attempts so far keep version %(old)d.",
                new=saved.version,
                old=old_version,
            )
        return _("Published: volunteers now get the new wording.")

    return _act(question_id, action)


@bp.post("/questions/<int(max=2147483647):question_id>/draft/discard")
def discard_question_draft(question_id: int):
    """Drop the question's draft; the published question stays as it is."""

    def action(session, question):
        if service.discard_draft(session, question, user_id=current_user.id):
            return _("Draft discarded: the published question is unchanged.")
        return None

    return _act(question_id, action)


@bp.post("/questions/<int(max=2147483647):question_id>/move")
def move_question(question_id: int):
    """Move a question one place up or down in the bank."""
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400, description=_("direction must be up or down."))

    def action(session, question):
        service.move_question(session, question, direction, user_id=current_user.id)
        return None

    return _act(question_id, action)


@bp.get("/indicators/<int(max=999):number>/quiz-preview")
def preview_quiz(number: int):
    """The quiz as volunteers see it, drafts included and marked, with the right answers."""
    session = get_session()
    indicator = _indicator(number)
    items = [q for q in service.current_versions(session, indicator.id) if q.archived_at is None]
    return render_template(
        "studio/quiz_preview.html",
        indicator=indicator,
        quiz=service.get_quiz(session, indicator.id),
        questions=items,
        sections=see_labels(basics=indicator.is_basics),
        cards={c.slug: c for c in service.faq_cards(session, indicator.id)},
        result_labels=RESULT_LABELS,
    )
