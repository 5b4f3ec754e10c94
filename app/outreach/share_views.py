"""Short links to lessons (public: chat apps and phones open them without a session), and
what the lesson page needs to offer sharing."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, redirect, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..content.models import Indicator
from ..db import get_session
from ..web import public
from .share import qr_svg_inline, short_url

bp = Blueprint("share", __name__)


@bp.get("/l/<int(max=999):number>")
@public
def short_link(number: int):
    """A lesson's short link: a redirect to the lesson page, whose Open Graph tags chat apps
    read for the preview (they follow redirects) and which anyone may open."""
    found = get_session().scalar(select(Indicator.id).where(Indicator.number == number))
    if found is None:
        abort(404, description=_("There is no indicator %(number)d.", number=number))
    response = redirect(url_for("site.content.lesson", number=number), code=302)
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.app_template_global("lesson_share")
def lesson_share(number: int) -> dict[str, object]:
    """The lesson page's share box: the short link, its QR code, LINE's share URL."""
    link = short_url(number)
    return {
        "url": link,
        "qr": qr_svg_inline(link),
        "line": "https://line.me/R/share?text=" + quote(link, safe=""),
    }
