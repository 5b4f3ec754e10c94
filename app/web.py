"""Small helpers every feature's views share: the `public` mark the URL areas' guards read,
the 404 for a record that does not exist (or may not be shown), and safe redirect targets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, request
from sqlalchemy.orm import Session
from werkzeug.routing import IntegerConverter, Map

T = TypeVar("T")
V = TypeVar("V", bound=Callable[..., Any])

MAX_ID = 2**31 - 1  # the largest id an INTEGER key column holds (PostgreSQL)


class IdConverter(IntegerConverter):
    """`<int:...>` in the URL map: a whole number up to MAX_ID unless the rule says less, so
    a longer one is a 404 and never reaches the database (SQLite cannot bind a number past 64
    bits: a 500)."""

    def __init__(
        self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int = MAX_ID,
        signed: bool = False,
    ) -> None:  # fmt: skip
        super().__init__(map, fixed_digits, min, max, signed)


def public(view: V) -> V:
    """Mark a view as open without logging in (or, under /api, without a token); the guard of
    its URL area lets it through, every other view of the area must pass the guard."""
    view.public = True  # type: ignore[attr-defined]
    return view


def personal(view: V) -> V:
    """Mark a view whose answer names a person even to a visitor who is not logged in (a
    certificate check): it is sent with `Cache-Control: no-store` (app/security.py)."""
    view.personal = True  # type: ignore[attr-defined]
    return view


def requested_view_is_personal() -> bool:
    """True when the view answering the current request is marked `personal`."""
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "personal", False))


def is_public(view: Callable[..., Any] | None) -> bool:
    """True when the view was marked with `public`."""
    return bool(getattr(view, "public", False))


def requested_view_is_public() -> bool:
    """True when the view answering the current request is marked `public`."""
    return is_public(current_app.view_functions.get(request.endpoint or ""))


def or_404(found: T | None, description: str) -> T:
    """The record a service found, or 404 with the description when there is none."""
    if found is None:
        abort(404, description=description)
    return found


def is_archived(row: Any) -> bool:
    """True for a row kept only for history (its `archived_at` is set): the studio 404s it."""
    return getattr(row, "archived_at", None) is not None


def get_or_404(
    session: Session,
    model: type[T],
    ident: Any,
    *,
    description: str,
    unless: Callable[[T], bool] | None = None,
) -> T:
    """The row of `model` with primary key `ident`, or 404 with the description; `unless`
    names rows that exist but are not shown (archived ...), which answer 404 as well."""
    found = session.get(model, ident)
    if found is None or (unless is not None and unless(found)):
        abort(404, description=description)
    return found


def safe_next(target: str | None) -> str | None:
    """Return target if it is a local path ("/..." but not "//host"), else None."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def same_site_json() -> dict:
    """The JSON object body of a same-origin script request. Views that take one may be exempt
    from the form CSRF token: a JSON body cannot come from another site's form, and a stated
    Origin must be this site."""
    origin = request.headers.get("Origin")
    if origin and urlsplit(origin).netloc != request.host:
        abort(403, description="Requests from another site are refused.")
    data = request.get_json(silent=True)
    if not request.is_json or not isinstance(data, dict):
        abort(400, description="Send JSON.")
    return data
