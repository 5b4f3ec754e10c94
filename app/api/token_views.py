"""The officers' API token page: list, create (shown once) and revoke their own tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..db import get_session, utcnow
from .forms import TokenForm
from .tokens import (
    MAX_ACTIVE,
    NoSuchToken,
    TooManyTokens,
    create_token,
    list_tokens,
    revoke_token,
)

bp = Blueprint("api_tokens", __name__)


def _page(form: TokenForm, new_token: str | None = None, status: int = 200):
    """The token page; `new_token` is the raw token, shown this once and never stored."""
    session = get_session()
    tokens = list_tokens(session, current_user.id)
    response = render_template(
        "api/tokens.html",
        form=form,
        tokens=tokens,
        new_token=new_token,
        active=sum(1 for t in tokens if t.revoked_at is None),
        max_active=MAX_ACTIVE,
    )
    # The page may carry a secret: no cache may keep it.
    return response, status, {"Cache-Control": "no-store"}


@bp.get("/api-tokens")
def tokens():
    """The user's API tokens and a form to create one."""
    return _page(TokenForm())


@bp.post("/api-tokens", endpoint="create_token")
def create_token_view():
    """Create a token and show it once."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    session = get_session()
    try:
        _token, raw = create_token(session, current_user, form.name.data, now=utcnow())
    except TooManyTokens:
        flash(
            _("You already have %(n)s active tokens. Revoke one you no longer use.", n=MAX_ACTIVE),
            "error",
        )
        return _page(form, status=400)
    session.commit()
    return _page(TokenForm(formdata=None), new_token=raw, status=201)


@bp.post("/api-tokens/<int:token_id>/revoke", endpoint="revoke_token")
def revoke_token_view(token_id: int):
    """Revoke one of the user's tokens; systems using it get 401 from now on."""
    session = get_session()
    try:
        token = revoke_token(session, user_id=current_user.id, token_id=token_id, now=utcnow())
    except NoSuchToken:
        abort(404, description=_("There is no such token."))
    session.commit()
    flash(_("Token “%(name)s” revoked.", name=token.name), "success")
    return redirect(url_for("officer.api_tokens.tokens"))
