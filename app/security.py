"""Response headers that every page carries: a Content-Security-Policy with no inline script
or style, no sniffing, no framing, a referrer kept on this site, HSTS over HTTPS, and
`Cache-Control: no-store` on the pages and JSON a logged-in user gets (they carry names,
mobiles, readiness codes: nothing of it may stay in a shared browser's HTTP cache), and on
the public views marked `personal` (a certificate check names the volunteer)."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

from .web import requested_view_is_personal

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HSTS = "max-age=31536000; includeSubDomains"
PRIVATE_TYPES = {
    "text/html",
    "application/json",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _logged_in() -> bool:
    """Whether the request has a logged-in user, without reading the user's row again (a
    view that committed has expired it; `is_authenticated` reads `active`)."""
    return not current_user._get_current_object().is_anonymous  # type: ignore[attr-defined]


def secure_headers(response: Response) -> Response:
    """Add the headers a view did not set itself."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if (
        response.mimetype in PRIVATE_TYPES
        and "Cache-Control" not in response.headers
        and (_logged_in() or requested_view_is_personal())
    ):
        response.cache_control.no_store = True
    return response


def init_app(app: Flask) -> None:
    """Every response goes through secure_headers."""
    app.after_request(secure_headers)
