"""Expected, user-caused failures and the app-wide error pages."""

from __future__ import annotations

import re
from typing import Any, NoReturn
from urllib.parse import urlsplit

from flask import (
    Flask,
    Request,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .db import get_session


class DomainError(Exception):
    """A failure the user caused and can fix; views turn it into a message or a 4xx."""

    status_code = 400


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def page_description(error: HTTPException) -> str | None:
    """What the error page says: the view's own reason (views pass it translated; Flask-WTF's
    CSRF reasons are in the catalogue), or None for werkzeug's English default text, for
    which the page shows its own words."""
    description = str(error.description or "")  # a lazy message is translated here
    if not description or description == type(error).description:
        return None
    return _(description)


def _same_site_path(url: str | None) -> str | None:
    """The path (and query) of a URL on this site, else None."""
    parts = urlsplit(url or "")
    if parts.netloc != request.host or not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def render_error(error: HTTPException, status: int | None = None):
    """The error page (or JSON under /api/) for an HTTP error; blueprints' handlers use it."""
    status = status or error.code or 500
    if _wants_json():
        return jsonify(error=error.name, reason=error.description), status
    page = render_template(
        "errors/error.html",
        error=error,
        status=status,
        description=page_description(error),
    )
    return page, status


# NUL and the other C0 control characters (tab, line feed and carriage return are text) and
# DEL: no field or query of the app takes them, and PostgreSQL refuses a NUL in text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _has_control_characters(value: Any, depth: int = 0) -> bool:
    """True when a text, or any key or text inside a JSON value, has a control character."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.search(value) is not None
    if depth > 32:
        return True  # nested deeper than any request of the app: refused as well
    if isinstance(value, dict):
        return any(
            _has_control_characters(k, depth + 1) or _has_control_characters(v, depth + 1)
            for k, v in value.items()
        )
    if isinstance(value, list):
        return any(_has_control_characters(v, depth + 1) for v in value)
    return False


def _refuse() -> NoReturn:
    abort(
        400,
        description=_(
            "The request contains control characters (such as a NUL byte) that are not "
            "allowed. Remove them and try again."
        ),
    )


def refuse_control_characters() -> None:
    """400 for a request whose path, query or JSON carries a control character (a NUL byte
    is a database error on PostgreSQL). Form fields are checked as they are read
    (CheckedRequest): a view may set its own body limit before that."""
    texts: list[Any] = [request.path]
    texts += [part for item in request.args.items(multi=True) for part in item]
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.is_json:
        texts.append(request.get_json(silent=True))
    if any(_has_control_characters(value) for value in texts):
        _refuse()


class CheckedRequest(Request):
    """The app's request: form fields (names and values, not uploaded files) with a control
    character are a 400 when the form is read."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form and any(
            _has_control_characters(part) for item in form.items(multi=True) for part in item
        ):
            _refuse()


def init_app(app: Flask) -> None:
    """Register the handlers for HTTP errors, CSRF failures and unexpected exceptions, and the
    check that refuses control characters in any request."""
    app.request_class = CheckedRequest
    app.before_request(refuse_control_characters)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        """A form posted without a valid CSRF token: most often a session that ended while the
        page was open. A page's form goes back to where it was, through the login when the
        session is gone (a quiz page keeps its answers on the phone and sends them again)."""
        if _wants_json() or request.method != "POST":
            return render_error(error, 400)
        back = _same_site_path(request.referrer) or request.path
        if not current_user.is_authenticated:
            flash(_("Your session ended. Log in again: your answers are kept on this phone."))
            return redirect(url_for("site.auth.login", next=back))
        flash(_("This page was open too long. Check it and send it again."))
        return redirect(back)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        """4xx/5xx from abort(), werkzeug, or an unhandled exception (wrapped as a 500)."""
        status = error.code or 500
        if status >= 500:
            # Roll back first so a half-done change is never committed and the page can query.
            get_session().rollback()
        return render_error(error, status)
