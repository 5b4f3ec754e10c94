"""Security headers on every page type, and no-store on what a logged-in user gets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.auth.models import Role

ROOT = Path(__file__).resolve().parents[1]


def _has_headers(response) -> None:
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "path", ["/", "/login", "/signup", "/indicators/3", "/summary", "/offline/quiz", "/nope"]
)
def test_public_pages_carry_the_headers(client, content, path):
    _has_headers(client.get(path))


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (Role.VOLUNTEER, "/"),
        (Role.VOLUNTEER, "/ready"),
        (Role.VOLUNTEER, "/indicators/3"),
        (Role.TRAINER, "/studio/"),
        (Role.ADMIN, "/officer/"),
        (Role.ADMIN, "/admin/plans"),
    ],
)
def test_pages_of_a_logged_in_user_are_not_stored(client, content, make_user, login, role, path):
    login(client, make_user(role))
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200
    _has_headers(response)
    assert "no-store" in response.headers["Cache-Control"]


def test_media_and_static_files_keep_their_own_caching(client, content):
    css = client.get("/static/css/app.css")
    assert "no-store" not in css.headers.get("Cache-Control", "")


def test_https_gets_hsts(client, content):
    response = client.get("/login", base_url="https://bmn.test")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_no_template_has_inline_script_style_or_handlers():
    """The CSP allows no inline script or style: templates use static files only."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=\"|\son[a-z]+=\"")
    bad = [
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for path in (ROOT / "templates").rglob("*.html")
        for m in inline.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not bad, bad
