"""Studio pages for an indicator's own wording (edit, confirm, history) and lesson text."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session

from ..content.markdown import render_markdown
from ..content.models import LESSON_SECTIONS, Indicator
from ..content.services import get_indicator
from ..db import get_session, utcnow
from .forms import BASICS_LABELS, SECTION_LABELS, ConfirmForm, WordingForm, build_lesson_form
from .wording import (
    WORDING_FIELDS,
    NoRecording,
    confirm_recording,
    confirm_wording,
    edit_lesson,
    edit_wording,
    history,
)

bp = Blueprint("wording", __name__)


def _indicator_or_404(session: Session, number: int, *, wording: bool = False) -> Indicator:
    """The indicator by number (404 if unknown; wording pages also 404 for the basics)."""
    indicator = get_indicator(session, number)
    if indicator is None:
        abort(404, description=_("There is no indicator %(number)d.", number=number))
    if wording and indicator.is_basics:
        abort(404, description=_("The survey basics lesson has no indicator wording."))
    return indicator


def _wording_page(session: Session, indicator: Indicator, form: WordingForm, confirm: ConfirmForm):
    """The wording page: edit form, confirm form and history."""
    return render_template(
        "studio/wording.html",
        indicator=indicator,
        form=form,
        confirm=confirm,
        history=history(session, indicator.id, "wording."),
    )


@bp.route(
    "/indicators/<int(max=999):number>/wording", methods=["GET", "POST"], endpoint="edit_wording"
)
def edit_wording_page(number: int):
    """Edit the indicator's title, target group and criterion; see who changed what."""
    session = get_session()
    indicator = _indicator_or_404(session, number, wording=True)
    form = WordingForm(obj=indicator)
    if form.validate_on_submit():
        values = {name: form[name].data or "" for name in WORDING_FIELDS}
        changed = edit_wording(session, indicator, values, user_id=current_user.id)
        session.commit()
        flash(_("Wording saved.") if changed else _("Nothing changed."), "success")
        return redirect(url_for("studio.wording.edit_wording", number=number))
    return _wording_page(session, indicator, form, ConfirmForm(formdata=None))


@bp.post("/indicators/<int(max=999):number>/confirm", endpoint="confirm_wording")
def confirm_wording_page(number: int):
    """Confirm the wording against the official manual (named in a required note)."""
    session = get_session()
    indicator = _indicator_or_404(session, number, wording=True)
    confirm = ConfirmForm()
    if confirm.validate_on_submit():
        confirm_wording(
            session, indicator, confirm.note.data, user_id=current_user.id, now=utcnow()
        )
        session.commit()
        flash(_("Wording confirmed as official."), "success")
        return redirect(url_for("studio.wording.edit_wording", number=number))
    return _wording_page(session, indicator, WordingForm(formdata=None, obj=indicator), confirm)


@bp.post("/indicators/<int(max=999):number>/recording/confirm", endpoint="confirm_recording")
def confirm_recording_page(number: int):
    """Confirm the questionnaire items against the 2566-2570 manual (named in a note)."""
    session = get_session()
    indicator = _indicator_or_404(session, number, wording=True)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("Say which manual and page you checked."), "error")
    else:
        try:
            confirm_recording(session, indicator, form.note.data, user_id=current_user.id)
        except NoRecording:
            abort(404, description=_("This indicator has no questionnaire items to confirm."))
        session.commit()
        flash(_("Questionnaire items confirmed against the 2566-2570 manual."), "success")
    return redirect(url_for("studio.workspace.indicator", number=number, _anchor="recording"))


@bp.route(
    "/indicators/<int(max=999):number>/lesson", methods=["GET", "POST"], endpoint="edit_lesson"
)
def edit_lesson_page(number: int):
    """Edit the five lesson sections in Markdown, with a live preview."""
    session = get_session()
    indicator = _indicator_or_404(session, number)
    form = build_lesson_form(indicator.is_basics, obj=indicator)
    if "preview" not in request.form and form.validate_on_submit():
        values = {name: form[name].data or "" for name in LESSON_SECTIONS}
        changed = edit_lesson(session, indicator, values, user_id=current_user.id)
        session.commit()
        flash(_("Lesson text saved.") if changed else _("Nothing changed."), "success")
        return redirect(url_for("studio.workspace.indicator", number=number))
    # The no-script preview ("Preview" button), and the first view of the page.
    previews = {name: render_markdown(form[name].data) for name in LESSON_SECTIONS}
    return render_template(
        "studio/lesson_edit.html",
        indicator=indicator,
        form=form,
        previews=previews,
        labels=BASICS_LABELS if indicator.is_basics else SECTION_LABELS,
    )
