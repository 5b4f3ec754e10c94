"""Expected, user-caused failures and the app-wide error pages."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
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
    return gettext(description)


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


def init_app(app: Flask) -> None:
    """Register the handlers for HTTP errors, CSRF failures and unexpected exceptions."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        """A form posted without a valid CSRF token (often an expired page)."""
        return render_error(error, 400)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        """4xx/5xx from abort(), werkzeug, or an unhandled exception (wrapped as a 500)."""
        status = error.code or 500
        if status >= 500:
            # Roll back first so a half-done change is never committed and the page can query.
            get_session().rollback()
        return render_error(error, status)
