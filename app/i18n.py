"""Thai first, English second: locale selection, the language switch, Buddhist-era dates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.dates import format_date as babel_format_date
from flask import Blueprint, Flask, current_app, g, redirect, request, session
from flask_babel import Babel, get_locale, get_translations, to_user_timezone
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


def N_(msgid: str) -> str:
    """Mark a message id for `make extract-messages` without translating it here."""
    return msgid


# WTForms' built-in messages (validators, choices, CSRF), so the Thai catalogue carries them:
# WTForms ships no Thai, and Flask-WTF would look for one in WTForms' own folder only.
WTFORMS_MESSAGES = (
    N_("This field is required."),
    N_("Invalid input."),
    N_("Field must be equal to %(other_name)s."),
    N_("Field must be at least %(min)d character long."),
    N_("Field must be at least %(min)d characters long."),
    N_("Field cannot be longer than %(max)d character."),
    N_("Field cannot be longer than %(max)d characters."),
    N_("Field must be exactly %(max)d character long."),
    N_("Field must be exactly %(max)d characters long."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Date must be at least %(min)s."),
    N_("Date must be at most %(max)s."),
    N_("Date must be between %(min)s and %(max)s."),
    N_("Invalid email address."),
    N_("Invalid URL."),
    N_("Invalid value, must be one of: %(values)s."),
    N_("Invalid value, can't be any of: %(values)s."),
    N_("Invalid CSRF Token."),
    N_("CSRF token missing."),
    N_("CSRF failed."),
    N_("CSRF token expired."),
    N_("The CSRF token is missing."),
    N_("The CSRF session token is missing."),
    N_("The CSRF token is invalid."),
    N_("The CSRF token has expired."),
    N_("The CSRF tokens do not match."),
    N_("Invalid Choice: could not coerce."),
    N_("Not a valid choice."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    N_("'%(value)s' is not a valid choice for this field."),
    N_("'%(value)s' are not valid choices for this field."),
    N_("Not a valid datetime value."),
    N_("Not a valid date value."),
    N_("Not a valid time value."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
)


class WTFormsTranslations:
    """WTForms' messages through the app's Babel catalogue (the user's language)."""

    def gettext(self, string: str) -> str:
        """The message in the user's language (WTForms fills in the values itself)."""
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural message in the user's language; both are catalogued as
        plain messages (Thai has one form)."""
        return self.gettext(singular if n == 1 else plural)

    # Flask-WTF's request cache calls the Python 2 names.
    ugettext = gettext
    ungettext = ngettext


def _use_babel_for_wtforms() -> None:
    # Flask-WTF (WTF_I18N_ENABLED) keeps the request's WTForms translations on
    # `request.wtforms_translations`; setting it first makes every form, in every feature,
    # speak the app's catalogue without a shared base class.
    request.wtforms_translations = WTFormsTranslations()


def format_date_be(value: datetime | date | None, with_time: bool = False) -> str:
    """A date in the user's language; in Thai with the Buddhist-era year (พ.ศ.). A plain
    date (a calendar day, already local) is shown as it is."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        local: datetime | date = value
        with_time = False
    else:
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


def _translations() -> Any:
    """The translations of the current locale, found once per request and locale (issue 16):
    Flask-Babel finds the domain, the locale and its cache through about eight context-local
    reads per string, and a page asks for two hundred strings. Keyed by the locale object, so
    `force_locale` (which sets another one for a while) still switches the language."""
    ctx = g.get("_flask_babel") if g else None
    if ctx is None:
        return get_translations()
    memo = getattr(ctx, "bmn_translations", None)
    locale = getattr(ctx, "babel_locale", None)
    if memo is not None and locale is not None and memo[0] is locale:
        return memo[1]
    translations = get_translations()
    ctx.bmn_translations = (getattr(ctx, "babel_locale", None), translations)
    return translations


def init_app(app: Flask) -> None:
    """Bind Babel and the date filters to the app."""
    from pathlib import Path

    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(Path(__file__).parent / "translations")
    )
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(  # as Flask-Babel's, through _translations
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    app.before_request(_use_babel_for_wtforms)
    app.jinja_env.filters["date_be"] = format_date_be
    app.jinja_env.globals["get_locale"] = lambda: str(get_locale())
