"""The village's invitation poster: an A4 portrait PNG with the QR code of its join URL and
Thai text shaped by libraqm (fonts from Debian's fonts-thai-tlwg, as scripts/build_media.py)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont, features

from ..errors import DomainError

W, H = 1240, 1754  # A4 at 150 dpi
MARGIN = 90
QR_SIDE = 760  # the most the QR (with its quiet zone) may take
QR_TOP = 470
QR_BORDER = 4  # quiet zone, in modules
BRAND, INK, MUTED, WHITE = "#0b6e4f", "#1d2621", "#5b665f", "#ffffff"
FONT_REGULAR, FONT_BOLD = ("Loma.ttf", "Garuda.ttf"), ("Loma-Bold.ttf", "Garuda-Bold.ttf")
TITLE = "สมัครเป็นอาสาสมัครจัดเก็บข้อมูล จปฐ."
SCAN = "สแกนเพื่อสมัครและเริ่มเรียน"


class PosterUnavailable(DomainError):
    """No Thai font is installed, so the poster cannot be drawn."""

    status_code = 503


@dataclass(frozen=True)
class QrPlacement:
    """Where the QR sits on the poster: top-left of its quiet zone and module size in px."""

    left: int
    top: int
    module: int
    modules: int  # symbol width in modules, without the quiet zone


def make_qr(url: str) -> segno.QRCode:
    """The QR code of a URL (level M, never a Micro QR, so every phone reads it)."""
    return segno.make_qr(url, error="m", boost_error=False)


def placement(qr: segno.QRCode) -> QrPlacement:
    """The QR's position: centred, as large as QR_SIDE allows in whole pixels per module."""
    modules = qr.symbol_size(border=0)[0]
    module = QR_SIDE // (modules + 2 * QR_BORDER)
    side = module * (modules + 2 * QR_BORDER)
    return QrPlacement(left=(W - side) // 2, top=QR_TOP, module=module, modules=modules)


@lru_cache(maxsize=16)
def _font(font_dir: str, names: tuple[str, ...], size: int) -> ImageFont.FreeTypeFont:
    """A Thai font from the folder, with raqm shaping when Pillow has it."""
    raqm = features.check_feature("raqm")
    layout = ImageFont.Layout.RAQM if raqm else ImageFont.Layout.BASIC
    for name in names:
        path = Path(font_dir) / name
        if path.is_file():
            return ImageFont.truetype(str(path), size, layout_engine=layout)
    raise PosterUnavailable(f"no Thai font in {font_dir} (apt install fonts-thai-tlwg)")


def _text_options() -> dict[str, str]:
    """Extra draw.text() options: the language, which needs raqm."""
    # Without raqm Pillow cannot take a language; Thai marks may then sit less well.
    return {"language": "th"} if features.check_feature("raqm") else {}


def _fitted(
    draw: ImageDraw.ImageDraw, text: str, font_dir: str, bold: bool, size: int
) -> ImageFont.FreeTypeFont:
    """The largest font up to `size` in which the text fits between the margins."""
    names = FONT_BOLD if bold else FONT_REGULAR
    while size > 20:
        font = _font(font_dir, names, size)
        if draw.textlength(text, font=font, **_text_options()) <= W - 2 * MARGIN:
            return font
        size -= 4
    return _font(font_dir, names, size)


def _centre(
    draw: ImageDraw.ImageDraw,
    y: int,
    text: str,
    *,
    font_dir: str,
    size: int,
    bold: bool = False,
    fill: str = INK,
) -> None:
    """Draw one line centred on the page, shrunk to fit between the margins."""
    font = _fitted(draw, text, font_dir, bold, size)
    draw.text((W // 2, y), text, font=font, fill=fill, anchor="ms", **_text_options())


def render_poster(*, url: str, code: str, village_lines: list[str], font_dir: str) -> bytes:
    """The poster as PNG bytes: title, village, QR of `url`, what to do, code and URL."""
    image = Image.new("RGB", (W, H), WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, W, 200), fill=BRAND)
    _centre(draw, 125, TITLE, font_dir=font_dir, size=64, bold=True, fill=WHITE)
    y = 300
    for index, line in enumerate(village_lines[:3]):
        _centre(draw, y, line, font_dir=font_dir, size=56 if index == 0 else 42, bold=index == 0)
        y += 70 if index == 0 else 56

    qr = make_qr(url)
    where = placement(qr)
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=where.module, border=QR_BORDER)
    buffer.seek(0)
    with Image.open(buffer) as symbol:
        image.paste(symbol.convert("RGB"), (where.left, where.top))
    below = where.top + where.module * (where.modules + 2 * QR_BORDER)

    _centre(draw, below + 80, SCAN, font_dir=font_dir, size=58, bold=True, fill=BRAND)
    spaced = f"{code[:4]} {code[4:]}"
    _centre(draw, below + 170, f"รหัสเชิญ  {spaced}", font_dir=font_dir, size=54, bold=True)
    _centre(draw, below + 240, url, font_dir=font_dir, size=36, fill=MUTED)
    _centre(draw, H - 60, "BMN Learn", font_dir=font_dir, size=30, fill=MUTED)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
