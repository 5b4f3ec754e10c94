"""A lesson's short link and QR code: /l/<number> stays valid across content versions
(lessons are addressed by indicator number), and the QR code encodes that short link."""

from __future__ import annotations

import io
from functools import lru_cache

import segno
from flask import url_for
from markupsafe import Markup


def short_url(number: int) -> str:
    """The absolute short link of a lesson (from the configured server name, not the Host)."""
    return url_for("site.share.short_link", number=number, _external=True)


def make_qr(url: str) -> segno.QRCode:
    """A QR code of a URL (level M, never a Micro QR, so every phone reads it)."""
    return segno.make_qr(url, error="m", boost_error=False)


@lru_cache(maxsize=1024)
def qr_svg_inline(url: str) -> Markup:
    """segno's own inline SVG (no user text in it), sized by its viewBox only; drawn once per
    URL (a lesson page drew it on every view: 10 of 133 ms)."""
    svg = make_qr(url).svg_inline(border=4, omitsize=True, light="#fff", title=None)
    return Markup(svg)


def qr_file(url: str, kind: str) -> bytes:
    """A printable QR code file: "png" (10 px a module) or "svg"."""
    buffer = io.BytesIO()
    make_qr(url).save(buffer, kind=kind, scale=10, border=4, light="#fff")
    return buffer.getvalue()
