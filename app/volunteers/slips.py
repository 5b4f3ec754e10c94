"""Activation slips: what an officer prints for a volunteer they registered, with the
one-time code and a QR code that opens the claim page with the code filled in."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from markupsafe import Markup

from ..auth.models import User
from ..auth.services import format_activation


@dataclass(frozen=True)
class Slip:
    """One volunteer's slip: who, where, the code as printed and its QR (inline SVG)."""

    full_name: str
    phone_hint: str
    village: str
    code: str
    qr_svg: Markup


def make_slip(user: User, code: str, claim_url: str) -> Slip:
    """The slip of an account and its fresh code; the QR holds `claim_url#CODE` (a fragment
    never reaches the server, so the code stays out of every log)."""
    qr = segno.make_qr(f"{claim_url}#{code}", error="m", boost_error=False)
    svg = qr.svg_inline(scale=3, border=4, omitsize=True, svgclass="slip-qr")
    village = user.village
    where = f"หมู่ {village.moo} {village.name_th}" if village is not None else ""
    return Slip(
        full_name=user.full_name,
        phone_hint=f"{user.phone[:3]}-xxx-{user.phone[-4:]}",
        village=where,
        code=format_activation(code),
        qr_svg=Markup(svg),  # segno's own SVG: no user text in it
    )
