"""Log in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..db import get_session
from ..extensions import login_manager
from ..web import public, safe_next
from .forms import LoginForm
from .models import User
from .services import authenticate

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The logged-in user, reloaded per request; None (logged out) when the session's version
    is no longer the user's (logout elsewhere, a new password, deactivation)."""
    number, _dot, version = user_id.partition(".")
    if not (number.isdigit() and version.isdigit()):
        return None
    user = get_session().get(User, int(number))
    return user if user is not None and user.session_version == int(version) else None


@login_manager.unauthorized_handler
def unauthorized():
    """Send anonymous users to the login page, keeping where they were going; a script's
    JSON request gets 401 with the reason instead (the page asks the volunteer to log in)."""
    if request.is_json:
        return jsonify(reason="login", message=_("Please log in again, then send again.")), 401
    flash(_("Please log in to continue."), "info")
    if request.method == "GET":
        target = request.full_path.rstrip("?")
    else:  # a POST cannot be replayed after login: return to the page the form was on
        referrer = urlsplit(request.referrer or "")
        same_site = referrer.netloc == request.host
        target = safe_next(referrer.path) if same_site else None
    return redirect(url_for("site.auth.login", next=target))


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Log in with mobile number and password."""
    if current_user.is_authenticated:
        return redirect(url_for("site.readiness.home"))
    form = LoginForm(next=request.args.get("next"))
    if form.validate_on_submit():
        user = authenticate(get_session(), form.phone.normalised or "", form.password.data)
        if user is None:
            form.password.errors.append(_("Mobile number or password is wrong."))
        else:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(form.next.data) or url_for("site.readiness.home"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@public
def logout():
    """Log out (a POST with CSRF, so a link elsewhere cannot log a user out): every session
    and remember-me cookie of the user ends, so a copied cookie opens nothing."""
    if current_user.is_authenticated:
        current_user.end_sessions()
        get_session().commit()
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("site.auth.login"))
