"""Expected, user-caused failures and the app-wide error pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, flash, jsonify, redirect, render_template, request, url_for
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


def init_app(app: Flask) -> None:
    """Register the handlers for HTTP errors, CSRF failures and unexpected exceptions."""

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
