"""Log in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..db import get_session
from ..extensions import login_manager
from ..web import public, safe_next
from . import services
from .forms import LoginForm, PasswordChangeForm
from .lifetime import remember_for
from .models import User
from .services import authenticate
from .throttle import forget, minutes, record_failure, take, wait_seconds

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The logged-in user, reloaded per request; None (logged out) when the session's version
    is no longer the user's (logout elsewhere, a new password, deactivation) or the account
    is deactivated."""
    number, _dot, version = user_id.partition(".")
    if not (number.isdigit() and version.isdigit()):
        return None
    user = get_session().get(User, int(number))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


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


def _landing(user: User) -> str:
    """Where a user starts after login: officers with an area and admins on the officers'
    dashboard (not a learner's home with their own 0 of 39), everyone else on home."""
    if user.works_an_area:
        return url_for("officer.dashboard.dashboard")
    return url_for("site.readiness.home")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Log in with mobile number and password. Failures are counted per mobile number and
    per address: past the limits the page says how many minutes to wait, without checking
    the password at all."""
    if current_user.is_authenticated:
        return redirect(_landing(current_user))
    form = LoginForm(next=request.args.get("next"))
    status = 200
    if form.validate_on_submit():
        phone = form.phone.normalised or ""
        account = ("LOGIN_LIMIT_ACCOUNT", "login-account", phone)
        address = ("LOGIN_LIMIT_ADDRESS", "login-address", request.remote_addr or "")
        # Failures count per address (a village hall shares one); every try counts per
        # mobile, atomically, and a right password clears that count.
        wait = wait_seconds([address])
        if not wait and not take(*account):
            wait = wait_seconds([account])
        user = None if wait else authenticate(get_session(), phone, form.password.data)
        if wait:
            status = 429
            form.password.errors.append(
                _("Too many tries. Try again in %(minutes)s minutes.", minutes=minutes(wait))
            )
        elif user is None:
            record_failure([address])
            form.password.errors.append(_("Mobile number or password is wrong."))
        else:
            forget(*account)
            remember = form.remember.data
            login_user(user, remember=remember, duration=remember_for(current_app.config, user))
            return redirect(safe_next(form.next.data) or _landing(user))
    return render_template("auth/login.html", form=form), status


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


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    """Change one's own password; other phones and browsers are logged out."""
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    form = PasswordChangeForm(phone=user.phone)
    if form.validate_on_submit():
        session = get_session()
        if services.change_password(session, user, form.current.data, form.password.data):
            session.commit()
            login_user(user)  # this browser stays in, with the new session version
            flash(_("Your password is changed. Other phones and browsers are logged out."))
            return redirect(url_for("site.readiness.home"))
        form.current.errors.append(_("The current password is not right."))
    return render_template("auth/password.html", form=form)
