"""Thai first, English second: locale selection, the language switch, Buddhist-era dates."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date as babel_format_date
from flask import Blueprint, Flask, current_app, redirect, request, session
from flask_babel import Babel, get_locale, to_user_timezone
from flask_login import current_user

from .db import get_session
from .web import public, safe_next

bp = Blueprint("i18n", __name__)
babel = Babel()


def select_locale() -> str:
    """The user's saved language, else the one chosen this session, else Thai."""
    languages = current_app.config["LANGUAGES"]
    if current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def format_date_be(value: datetime | None, with_time: bool = False) -> str:
    """A date in the user's language; in Thai with the Buddhist-era year (พ.ศ.)."""
    if value is None:
        return ""
    local = to_user_timezone(value)
    locale = str(get_locale())
    if locale == "th":
        text = f"{babel_format_date(local, 'd MMMM', locale='th')} {local.year + 543}"
    else:
        text = babel_format_date(local, "d MMMM y", locale=locale)
    if with_time:
        text += local.strftime(" %H:%M")
    return text


@bp.post("/language")
@public
def set_language():
    """Switch the UI language and remember it (session, and the account when logged in)."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        session.permanent = True
        if current_user.is_authenticated:
            current_user.locale = lang
            get_session().commit()
    return redirect(safe_next(request.form.get("next")) or "/")


def init_app(app: Flask) -> None:
    """Bind Babel and the date filters to the app."""
    from pathlib import Path

    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(Path(__file__).parent / "translations")
    )
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["date_be"] = format_date_be
    app.jinja_env.globals["get_locale"] = lambda: str(get_locale())
