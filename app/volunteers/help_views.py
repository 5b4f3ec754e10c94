"""Officers help a volunteer of their area: correct their details, deactivate or reactivate
the account, reset a forgotten password (a one-time code on a printable slip). Another
area's volunteer answers 404; every change is audited (`help.py`)."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..areas.access import current_scope, get_volunteer
from ..auth.services import PhoneTaken
from ..db import get_session
from .forms import EditVolunteerForm
from .help import AccountInactive, edit_volunteer, reset_volunteer_password, set_volunteer_active
from .registration_views import village_groups
from .services import UnknownVillage
from .slips import make_slip

bp = Blueprint("volunteer_help", __name__)

log = logging.getLogger(__name__)


def _page(user_id: int) -> str:
    """The officer's page of the volunteer."""
    return url_for("officer.lists.volunteer", user_id=user_id)


def _confirmed() -> bool:
    """True when the officer ticked the confirmation box of a drastic action."""
    if request.form.get("confirm"):
        return True
    flash(_("Tick the box to confirm, then press the button again."), "error")
    return False


@bp.route("/volunteers/<int:user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int):
    """Correct a volunteer's name, mobile, village or type; saved all together or not at all."""
    session = get_session()
    scope = current_scope()
    person = get_volunteer(session, scope, user_id)
    form = EditVolunteerForm(
        data={
            "full_name": person.full_name,
            "phone": person.phone,
            "volunteer_type": person.volunteer_type,
            "village": person.village_id,
        }
    )
    form.village.choices = village_groups(session)
    status = 200
    if form.validate_on_submit():
        try:
            changed = edit_volunteer(
                session,
                person,
                scope=scope,
                actor_id=current_user.id,
                full_name=form.full_name.data,
                phone=form.phone.normalised or "",
                village_id=form.village.data,
                volunteer_type=form.volunteer_type.data,
            )
            session.commit()
        except PhoneTaken:
            session.rollback()
            form.phone.errors.append(_("This mobile number is registered already."))
        except UnknownVillage:
            session.rollback()
            form.village.errors.append(_("Choose a village in your area."))
        except IntegrityError:  # another account took the number at this very moment
            session.rollback()
            form.phone.errors.append(_("This mobile number is registered already."))
        else:
            if not changed:
                flash(_("Nothing was changed."), "info")
            elif "phone" in changed:
                flash(
                    _("Details saved. The volunteer now logs in with the new mobile number "
                      "and has been logged out everywhere."),
                    "success",
                )  # fmt: skip
            else:
                flash(_("Details saved."), "success")
            log.info("officer %s edited volunteer %s: %s", current_user.id, user_id, changed)
            return redirect(_page(user_id), 303)
        status = 400
    elif form.is_submitted():
        status = 400
    page = render_template("volunteers/edit.html", form=form, person=person)
    return page, status, {"Cache-Control": "no-store"}


@bp.post("/volunteers/<int:user_id>/deactivate")
def deactivate(user_id: int):
    """Stop a volunteer logging in (their open sessions end); their history is kept."""
    return _set_active(user_id, active=False)


@bp.post("/volunteers/<int:user_id>/reactivate")
def reactivate(user_id: int):
    """Let a deactivated volunteer log in again."""
    return _set_active(user_id, active=True)


def _set_active(user_id: int, *, active: bool):
    """Deactivate (after the confirmation box) or reactivate, audited, then back to the page."""
    session = get_session()
    scope = current_scope()
    person = get_volunteer(session, scope, user_id)
    if not active and not _confirmed():
        return redirect(_page(user_id), 303)
    if set_volunteer_active(session, person, scope=scope, active=active, actor_id=current_user.id):
        session.commit()
        log.info("officer %s set volunteer %s active=%s", current_user.id, user_id, active)
    flash(
        _("Account reactivated: the volunteer can log in again.")
        if active
        else _("Account deactivated: the volunteer can no longer log in."),
        "success",
    )
    return redirect(_page(user_id), 303)


@bp.post("/volunteers/<int:user_id>/password-reset")
def reset_password(user_id: int):
    """End the volunteer's password and sessions and show, once, a slip with a one-time code
    with which they set a new password (`/claim`)."""
    session = get_session()
    scope = current_scope()
    person = get_volunteer(session, scope, user_id)
    if not _confirmed():
        return redirect(_page(user_id), 303)
    config = current_app.config
    try:
        code = reset_volunteer_password(
            session,
            person,
            scope=scope,
            actor_id=current_user.id,
            secret=config["SECRET_KEY"],
            days=config["ACTIVATION_DAYS"],
        )
    except AccountInactive:
        flash(_("This account is deactivated: reactivate it first."), "error")
        return redirect(_page(user_id), 303)
    session.commit()
    log.info("officer %s reset the password of volunteer %s", current_user.id, user_id)
    claim_url = url_for("site.volunteers.claim", _external=True)
    page = render_template(
        "volunteers/slips.html",
        slips=[make_slip(person, code, claim_url)],
        reset=True,
        imported=None,
        days=config["ACTIVATION_DAYS"],
        next_url=_page(user_id),
    )
    return page, 200, {"Cache-Control": "no-store"}
