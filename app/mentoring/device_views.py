"""The volunteer's device page (ต3): which device they use, and, with their consent, a check
of the phone the page runs on (static/js/device-check.js fills in the summary)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_session, utcnow
from .devices import BadDevice, get_device, save_check, save_device
from .forms import DeviceCheckForm, DeviceForm

bp = Blueprint("devices", __name__)


def _page(form: DeviceForm, check: DeviceCheckForm, status: int = 200):
    device = get_device(get_session(), current_user.id)
    if device is not None and form.kind.data is None:
        form.kind.data = device.kind
    return render_template("mentoring/device.html", form=form, check=check, device=device), status


@bp.get("/device")
def device():
    """The device page: what I use, and the phone check."""
    return _page(DeviceForm(), DeviceCheckForm(formdata=None))


@bp.post("/device")
def save():
    """Record which device the volunteer uses."""
    form = DeviceForm()
    if not form.validate_on_submit():
        return _page(form, DeviceCheckForm(formdata=None), 400)
    session = get_session()
    save_device(session, user_id=current_user.id, kind=form.kind.data, now=utcnow())
    session.commit()
    flash(_("Your device is recorded."), "success")
    return redirect(url_for(".device"))


@bp.post("/device/check")
def check():
    """Record the summary this phone's check found (only with the volunteer's consent)."""
    form = DeviceCheckForm()
    if not form.validate_on_submit():
        return _page(DeviceForm(formdata=None), form, 400)
    session = get_session()
    try:
        save_check(
            session,
            user_id=current_user.id,
            consent=form.consent.data,
            browser=form.browser.data or "",
            free_mb=form.free_mb.data,
            offline_ok=form.offline_ok.data == "yes",
            min_free_mb=int(current_app.config["MENTOR_MIN_FREE_MB"]),
            now=utcnow(),
        )
    except BadDevice:
        form.browser.errors = [_("The check did not run: turn on JavaScript and try again.")]
        return _page(DeviceForm(formdata=None), form, 400)
    session.commit()
    flash(_("The check of this phone is recorded."), "success")
    return redirect(url_for(".device"))
