"""Taking a quiz and reading its feedback."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy.orm import Session

from ..content.heads import indicator_by_id, indicator_by_number
from ..content.stamp import stamped_cache
from ..db import get_session, utcnow
from .forms import RESULT_LABELS, attempt_answers, build_attempt_form, choice_inputs, field_names
from .services import (
    Drawn,
    NoQuiz,
    NotYourAttempt,
    QuizOnCooldown,
    UndrawnAnswer,
    answers_shown,
    drawn_questions,
    get_attempt,
    record_feedback,
    start_attempt,
    submit_attempt,
)

bp = Blueprint("quizzes", __name__)
bp.add_app_template_global(choice_inputs)


@bp.post("/indicators/<int(max=999):number>/quiz")
def start(number: int):
    """Start (or resume) the quiz of an indicator."""
    session = get_session()
    indicator = indicator_by_number(session, number)
    if indicator is None:
        abort(404, description=_("There is no indicator %(number)d.", number=number))
    try:
        attempt = start_attempt(
            session,
            user_id=current_user.id,
            indicator=indicator,
            now=utcnow(),
            cooldown_seconds=current_app.config["QUIZ_COOLDOWN_SECONDS"],
        )
    except NoQuiz:
        flash(_("This indicator has no quiz yet."), "info")
        return redirect(url_for("site.content.lesson", number=number))
    except QuizOnCooldown as wait:
        minutes = max(1, int((wait.until - utcnow()).total_seconds() // 60) + 1)
        flash(
            _(
                "Review the lesson first: you can retake this quiz in %(minutes)d minutes.",
                minutes=minutes,
            ),
            "info",
        )
        return redirect(url_for("site.content.lesson", number=number))
    attempt_id = attempt.id  # read before the commit expires it (no reload for a redirect)
    session.commit()
    return redirect(url_for("site.quizzes.take", attempt_id=attempt_id))


def _load(attempt_id: int):
    session = get_session()
    try:
        attempt = get_attempt(session, attempt_id, current_user.id)
    except NotYourAttempt:
        abort(403, description=_("This attempt belongs to another user."))
    if attempt is None:
        abort(404, description=_("There is no such attempt."))
    return session, attempt


@bp.route("/attempts/<int(max=2147483647):attempt_id>", methods=["GET", "POST"])
def take(attempt_id: int):
    """Show the drawn questions; on POST score them once and show the feedback."""
    session, attempt = _load(attempt_id)
    if attempt.submitted_at is not None:
        return redirect(url_for("site.quizzes.result", attempt_id=attempt.id))
    drawn = drawn_questions(session, attempt)
    form = build_attempt_form(drawn)
    if request.method == "POST":
        expected = field_names(drawn)
        stray = sorted(k for k in request.form if k.startswith("q") and k not in expected)
        if stray:
            abort(
                400,
                description=_(
                    "Answer to a question that was not drawn: %(field)s.", field=stray[0]
                ),
            )
    if form.validate_on_submit():
        answers = attempt_answers(form, drawn)
        try:
            submit_attempt(
                session,
                attempt,
                user_id=current_user.id,
                answers=answers,
                now=utcnow(),
                drawn=drawn,  # already loaded for the form
            )
        except UndrawnAnswer as error:
            abort(400, description=str(error))
        session.commit()
        return redirect(url_for("site.quizzes.result", attempt_id=attempt_id))
    records = {q.id: q.record_spec for q, _c in drawn if q.type == "record"}
    return render_template(
        "quizzes/take.html",
        attempt=attempt,
        indicator=indicator_by_id(session, attempt.indicator_id),
        drawn=drawn,
        form=form,
        records=records,
        # A fresh page (not a refused submit): the recording exercises as rendered before.
        record_html=None if form.errors else fresh_record_fields(session, form, drawn),
    )


def fresh_record_fields(session: Session, form: FlaskForm, drawn: Drawn) -> dict[int, Markup]:
    """Each recording exercise's unanswered fields, rendered once per language and content
    stamp (issue 16: the widest part of a quiz page, the same for every volunteer)."""
    cache = stamped_cache(session, "record_fields")
    locale = str(get_locale())
    macro = get_template_attribute("quizzes/_record.html", "record_fields")
    found = {}
    for question, _choices in drawn:
        if question.type != "record":
            continue
        key = (question.id, locale)
        if key not in cache:
            cache[key] = macro(form, question, question.record_spec)
        found[question.id] = cache[key]
    return found


@bp.get("/attempts/<int(max=2147483647):attempt_id>/result")
def result(attempt_id: int):
    """Score, pass or fail, and each question's explanation; the right answers once the
    quiz is passed (or after a fail where the plan allows it)."""
    session, attempt = _load(attempt_id)
    if attempt.submitted_at is None:
        return redirect(url_for("site.quizzes.take", attempt_id=attempt.id))
    answers = {a.question_id: a for a in attempt.answers}
    items = [(q, choices, answers.get(q.id)) for q, choices in drawn_questions(session, attempt)]
    marks = {
        q.id: record_feedback(q, answer) for q, _choices, answer in items if q.type == "record"
    }
    return render_template(
        "quizzes/result.html",
        attempt=attempt,
        indicator=indicator_by_id(session, attempt.indicator_id),
        items=items,
        marks=marks,
        result_labels=RESULT_LABELS,
        reveal=answers_shown(session, attempt),
    )
