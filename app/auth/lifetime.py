"""Session lifetimes: a login ends when unused for too long (idle) and, whatever happens, some
hours after the password was typed (absolute); staff, who see other people's data, get shorter
limits than volunteers. The login time and the last use are kept in the signed session cookie;
the last use is rewritten at most every SESSION_TOUCH_MINUTES, so most requests send no cookie.

Volunteers are not logged out by surprise mid-quiz: a volunteer who ticked "keep me logged in
on this phone" has no idle limit (only the absolute one), and a form or quiz sent within
POST_GRACE_MINUTES after the absolute limit is still taken; the next page then asks to log in.
Quizzes taken offline wait on the phone (the pack's own expiry counts from when it was taken):
a refused submit answers 401 with reason "login", the phone asks the volunteer to log in and
sends them again afterwards."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user, user_loaded_from_cookie, user_logged_in

from .models import Role, User

LOGIN_AT, SEEN_AT, KEPT = "_bmn_login", "_bmn_seen", "_bmn_keep"
IDLE, ABSOLUTE = "idle", "absolute"
POST_GRACE_MINUTES = 60


def limits(config: dict[str, Any], user: User) -> tuple[int, int]:
    """(idle, absolute) limits in seconds for this user's role."""
    if user.has_role(Role.VOLUNTEER):
        return config["SESSION_IDLE_MINUTES"] * 60, config["SESSION_ABSOLUTE_HOURS"] * 3600
    return config["STAFF_IDLE_MINUTES"] * 60, config["STAFF_ABSOLUTE_HOURS"] * 3600


def remember_for(config: dict[str, Any], user: User) -> timedelta:
    """How long a remember-me cookie set at login lives: the role's absolute limit."""
    return timedelta(seconds=limits(config, user)[1])


def ended(
    now: int,
    login_at: int,
    seen_at: int,
    *,
    idle: int,
    absolute: int,
    kept: bool,
    grace: int = 0,
) -> str | None:
    """Why a session is over ("idle", "absolute") or None: the pure rule. `kept` (a volunteer
    who chose to stay logged in) lifts the idle limit; `grace` lets a submit in just after
    the absolute limit through."""
    if now - login_at > absolute + grace:
        return ABSOLUTE
    if not kept and now - seen_at > idle:
        return IDLE
    return None


def _now() -> int:
    """The time in whole seconds (tests move it)."""
    return int(time.time())


def _start(_sender: Any, user: User, **_extra: Any) -> None:
    """A login (password or remember-me cookie) starts both clocks."""
    now = _now()
    session[LOGIN_AT] = session[SEEN_AT] = now
    session[KEPT] = session.get("_remember") == "set"


def _restored(_sender: Any, user: User, **_extra: Any) -> None:
    """A login restored from the remember-me cookie (the browser was closed): the clocks
    start again, but the cookie itself ends at the absolute limit after the password login."""
    now = _now()
    session[LOGIN_AT] = session[SEEN_AT] = now
    session[KEPT] = True


def check_session() -> None:
    """Before every request: end an expired login (with the reason shown on the next page)
    or note the use. The URL areas' guards then treat the request as anonymous."""
    if not current_user.is_authenticated:
        return
    config = current_app.config
    now = _now()
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        session[LOGIN_AT] = session[SEEN_AT] = now  # a session from before the limits
        return
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    idle, absolute = limits(config, user)
    volunteer = user.has_role(Role.VOLUNTEER)
    grace = POST_GRACE_MINUTES * 60 if volunteer and request.method == "POST" else 0
    kept = bool(session.get(KEPT)) and volunteer
    reason = ended(now, login_at, seen_at, idle=idle, absolute=absolute, kept=kept, grace=grace)
    if reason is None:
        if now - seen_at >= config["SESSION_TOUCH_MINUTES"] * 60:
            session[SEEN_AT] = now
        return
    logout_user()  # this browser only (the remember-me cookie too), not the user's others
    for key in (LOGIN_AT, SEEN_AT, KEPT):
        session.pop(key, None)
    if reason == IDLE:
        flash(
            _(
                "For your safety you were logged out after %(hours)s without use. "
                "Please log in again.",
                hours=_duration(idle),
            ),
            "info",
        )
    else:
        flash(
            _(
                "For your safety you were logged out %(hours)s after logging in. "
                "Please log in again.",
                hours=_duration(absolute),
            ),
            "info",
        )


def _duration(seconds: int) -> str:
    """A limit as the page says it: "8 hours", "60 minutes", "7 days"."""
    if seconds % 86400 == 0 and seconds >= 2 * 86400:
        return _("%(num)s days", num=seconds // 86400)
    if seconds % 3600 == 0 and seconds >= 2 * 3600:
        return _("%(num)s hours", num=seconds // 3600)
    return _("%(num)s minutes", num=max(1, seconds // 60))


def init_app(app: Flask) -> None:
    """Start the clocks at login and check them before every request (before the guards)."""
    user_logged_in.connect(_start, app)
    user_loaded_from_cookie.connect(_restored, app)
    app.before_request(check_session)
