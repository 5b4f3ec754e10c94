"""Draw the app icons once (192, 512 and a maskable 512 px PNG) into static/icons/ with
Pillow: the theme green with "BMN" in white. Run: `.venv/bin/python scripts/make_icons.py`."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "icons"
GREEN = (11, 110, 79)
WHITE = (255, 255, 255)
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans Bold when installed, else Pillow's own font at that size."""
    if FONT.is_file():
        return ImageFont.truetype(str(FONT), size)
    return ImageFont.load_default(size)


def icon(px: int, *, maskable: bool) -> Image.Image:
    """A square icon; a maskable one fills the square and keeps its text in the middle 60%
    (the safe zone), a plain one is a rounded square."""
    image = Image.new("RGBA", (px, px), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, px, px), fill=GREEN)
        text_width = px * 0.5
    else:
        draw.rounded_rectangle((0, 0, px - 1, px - 1), radius=px // 6, fill=GREEN)
        text_width = px * 0.72
    size = px
    while size > 8:
        face = font(size)
        left, top, right, bottom = draw.textbbox((0, 0), "BMN", font=face)
        if right - left <= text_width:
            break
        size -= 2
    x = (px - (right - left)) / 2 - left
    y = (px - (bottom - top)) / 2 - top
    draw.text((x, y), "BMN", font=face, fill=WHITE)
    bar = px // 24
    draw.rectangle((px * 0.3, y + bottom + bar, px * 0.7, y + bottom + 2 * bar), fill=WHITE)
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for px in (192, 512):
        icon(px, maskable=False).save(OUT / f"icon-{px}.png", optimize=True)
    icon(512, maskable=True).convert("RGB").save(OUT / "maskable-512.png", optimize=True)
    print(f"wrote {', '.join(sorted(p.name for p in OUT.glob('*.png')))} to {OUT}")


if __name__ == "__main__":
    main()
