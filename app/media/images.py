"""Infographic images with Pillow: check an upload by its content, clean it, make width variants.

Checks: PNG, JPEG or WebP by content (never by name); the pixel count is read from the header
and compared with the limit before anything is decoded (a decompression bomb is refused without
allocating its pixels); then `verify()` and a full `load()` (a truncated file is refused: this
module never sets LOAD_TRUNCATED_IMAGES).

Cleaning: EXIF orientation is applied, then every piece of metadata is dropped (EXIF with GPS,
XMP, comments, text chunks). An embedded ICC profile is converted to sRGB (so colours stay as
intended) and then dropped too: every stored file is plain sRGB without metadata.

Variants: 360, 720 and 1080 px wide (those not wider than the original), each in WebP and
JPEG (the fallback), flattened onto white. Flat graphics (text, icons and flat fills: at most
FLAT_COLOURS colours, like the shipped infographics) become lossless 16-colour WebP, which is
sharper and smaller than lossy WebP for text; other pictures use lossy WebP. Anti-aliased Thai
text stays legible at 16 levels (scripts/build_media.py falls back to 16 colours itself).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import io
import struct
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageCms, ImageOps, JpegImagePlugin, PngImagePlugin, WebPImagePlugin

from ..errors import DomainError
from ..storage import LocalStorage

FORMATS = ("PNG", "JPEG", "WEBP")
SUFFIXES = {"PNG": "png", "JPEG": "jpg", "MPO": "jpg", "WEBP": "webp"}
WIDTHS = (360, 720, 1080)
FLAT_COLOURS = 64  # at most this many colours: a flat graphic (text, icons, flat fills)
FLAT_PALETTE = 16  # colours kept in a flat graphic's variants
WEBP_PHOTO = {"quality": 78, "method": 6}
# Lossless: "quality" is the effort; more effort or method 6 is many times slower for ~1% less.
WEBP_FLAT = {"lossless": True, "quality": 80, "method": 4}
JPEG = {"quality": 80, "optimize": True, "progressive": True}
# The cleaned original: close to the upload's quality (it is re-encoded once, without metadata).
ORIGINAL = {"PNG": {"optimize": True}, "JPEG": {"quality": 92}, "WEBP": {"quality": 90}}
# What a damaged or truncated file raises while Pillow reads, verifies or decodes it.
DAMAGED = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error)
SRGB = ImageCms.createProfile("sRGB")
_ = (JpegImagePlugin, PngImagePlugin, WebPImagePlugin)  # registered with Image.OPEN on import


class ImageRefused(DomainError):
    """An upload that is not an acceptable image; the message says why."""


@dataclass(frozen=True)
class Cleaned:
    """An upload, checked and cleaned: the encoded original and the picture for variants."""

    data: bytes  # the original re-encoded without metadata, in its own format
    suffix: str  # png, jpg or webp
    image: Image.Image  # upright, sRGB, without metadata (its own mode)

    @property
    def width(self) -> int:
        """Width in pixels, after orientation."""
        return self.image.width

    @property
    def height(self) -> int:
        """Height in pixels, after orientation."""
        return self.image.height


def _not_an_image() -> ImageRefused:
    return ImageRefused(_l("This file is not a PNG, JPEG or WebP image."))


def _damaged() -> ImageRefused:
    return ImageRefused(_l("The file is damaged or incomplete. Save or export it again."))


def _too_many_pixels(width: int, height: int, limit: int) -> ImageRefused:
    return ImageRefused(
        _l(
            "The image is %(width)d × %(height)d pixels; the limit is %(limit)s pixels in all. "
            "Make it smaller and upload it again.",
            width=width,
            height=height,
            limit=f"{limit:,}",
        )
    )


# One upload decoded at a time per process: three large pictures at once must not take three
# times the memory budget. Others wait their turn, up to SLOT_WAIT seconds.
_SLOT = threading.BoundedSemaphore(1)
SLOT_WAIT = 60.0


def _libc() -> Any:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name) if name else None
    except OSError:
        return None


_LIBC = _libc()


def _give_memory_back() -> None:
    """Hand freed heap memory back to the system (glibc keeps large freed blocks otherwise)."""
    trim = getattr(_LIBC, "malloc_trim", None)
    if trim is not None:
        trim(0)


@contextmanager
def processing_slot(wait: float | None = None) -> Iterator[None]:
    """Decode and process one upload at a time in this process (ImageRefused when the turn
    does not come within `wait` seconds); the memory is given back afterwards."""
    if not _SLOT.acquire(timeout=SLOT_WAIT if wait is None else wait):
        raise ImageRefused(_l("Another picture is being processed. Try again in a minute."))
    try:
        yield
    finally:
        _SLOT.release()
        _give_memory_back()


def read_header(data: bytes) -> Image.Image:
    """The image as far as its header (format, size, mode): nothing decoded yet.

    Pillow's own plugins read the header, as Image.open does, but without its decompression
    bomb check: the caller compares the size with its own limit and names the size it found.
    """
    prefix = data[:16]
    for name in FORMATS:
        factory, accept = Image.OPEN[name]
        if accept(prefix) is True:
            try:
                return factory(io.BytesIO(data), "")
            except DAMAGED as error:
                raise _damaged() from error
    raise _not_an_image()


# Cleaning and making variants keeps at most this many full-size copies of 4 bytes a pixel
# at once (Pillow keeps RGB in 4 bytes, and every picture becomes RGB for its variants: the
# decoded picture and one converted copy), with room for the encoders' own buffers.
PIXEL_BYTES = 4
PEAK_COPIES = 2.5


def memory_needed(width: int, height: int) -> int:
    """About how many bytes cleaning a picture of this size takes at its peak."""
    return round(width * height * PIXEL_BYTES * PEAK_COPIES)


def pixel_limit(max_pixels: int, max_memory: int | None) -> int:
    """The number of pixels allowed: the configured limit, lowered to what the memory budget
    allows."""
    if max_memory is None:
        return max_pixels
    return min(max_pixels, int(max_memory / (PIXEL_BYTES * PEAK_COPIES)))


def _too_much_memory(width: int, height: int, need: int, max_memory: int, pixels: int):
    return ImageRefused(
        _l(
            "The image is %(width)d × %(height)d pixels; processing it needs about %(need)s MB "
            "of memory and the limit is %(limit)s MB. Make it smaller (at most %(pixels)s "
            "pixels in all) and upload it again.",
            width=width,
            height=height,
            need=f"{need // (1024 * 1024):,}",
            limit=f"{max_memory // (1024 * 1024):,}",
            pixels=f"{pixels:,}",
        )
    )


def open_checked(data: bytes, max_pixels: int, max_memory: int | None = None) -> Image.Image:
    """The decoded image, or ImageRefused saying why not (kind, size, memory, damage,
    animation). Size and memory are judged from the header, before anything is decoded."""
    header = read_header(data)
    width, height = header.size
    if width * height > max_pixels:
        raise _too_many_pixels(width, height, max_pixels)
    need = memory_needed(width, height)
    if max_memory is not None and need > max_memory:
        raise _too_much_memory(width, height, need, max_memory, pixel_limit(max_pixels, max_memory))
    if getattr(header, "is_animated", False) and header.format != "MPO":
        raise ImageRefused(_l("Animated images are not accepted: upload a still picture."))
    with warnings.catch_warnings():
        # Pillow's own limit, should it be lower than ours: the same refusal, not a warning.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=FORMATS) as probe:
                probe.verify()
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _too_many_pixels(width, height, max_pixels) from error
        except DAMAGED as error:
            raise _damaged() from error
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """The pixels converted from an embedded ICC profile to sRGB (unchanged without one)."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    mode = "RGBA" if image.mode == "RGBA" else "RGB"
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(image, profile, SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: keep the pixels as they are
    return converted if converted is not None else image


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says, in sRGB, with no metadata left (the
    image given is changed; the result may be the same object)."""
    # In place: an upright picture is not copied (a copy of a large one costs its size again).
    ImageOps.exif_transpose(image, in_place=True)
    turned = _to_srgb(image)
    if "transparency" in turned.info:  # kept as an alpha channel, not as a metadata entry
        turned = turned.convert("RGBA")
    elif turned.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
        turned = turned.convert("RGBA" if _has_alpha(turned) else "RGB")
    turned.info = {}  # EXIF, XMP, comments, text chunks, the ICC profile: all gone
    return turned


def _for_format(image: Image.Image, fmt: str) -> Image.Image:
    """The image in a mode the format can store."""
    if fmt == "PNG":
        return image
    if fmt == "JPEG":
        return image if image.mode in ("L", "RGB") else flatten(image)
    return (
        image
        if image.mode in ("RGB", "RGBA")
        else image.convert("RGBA" if _has_alpha(image) else "RGB")
    )


def encode(image: Image.Image, fmt: str, **options: Any) -> bytes:
    """The image encoded in a format, with nothing but the pixels."""
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _webp_is_lossless(data: bytes) -> bool:
    """True when a WebP file's image chunk is lossless (VP8L), so its copy stays lossless."""
    offset = 12
    while offset + 8 <= len(data):
        fourcc, size = (
            data[offset : offset + 4],
            struct.unpack("<I", data[offset + 4 : offset + 8])[0],
        )
        if fourcc in (b"VP8 ", b"VP8L"):
            return fourcc == b"VP8L"
        offset += 8 + size + (size & 1)
    return False


def clean_upload(data: bytes, max_pixels: int, max_memory: int | None = None) -> Cleaned:
    """Check an upload and re-encode it upright without metadata (ImageRefused if unfit)."""
    image = open_checked(data, max_pixels, max_memory)
    fmt = "JPEG" if image.format == "MPO" else image.format
    picture = upright(image)
    if picture is not image:
        image.close()  # the decoded pixels are not kept beside their cleaned copy
    del image
    options = WEBP_FLAT if fmt == "WEBP" and _webp_is_lossless(data) else ORIGINAL[fmt]
    original = encode(_for_format(picture, fmt), fmt, **options)
    return Cleaned(original, SUFFIXES[fmt], picture)


def flatten(image: Image.Image) -> Image.Image:
    """RGB pixels; transparent parts over white (the JPEG fallback has no alpha channel). An
    RGB image is itself (not copied)."""
    if not _has_alpha(image):
        return image if image.mode == "RGB" else image.convert("RGB")
    rgba = image if image.mode == "RGBA" else image.convert("RGBA")
    # Pasted through its own alpha onto white: the same pixels as an alpha composite, with
    # one full-size copy instead of three.
    white = Image.new("RGB", rgba.size, (255, 255, 255))
    white.paste(rgba, mask=rgba)
    return white


def variant_widths(width: int) -> list[int]:
    """The variant widths for an original this wide (its own width when narrower than all)."""
    return [w for w in WIDTHS if w <= width] or [width]


def is_flat(image: Image.Image) -> bool:
    """True for a flat graphic: few colours (text, icons, flat fills), not a photograph."""
    return image.getcolors(FLAT_COLOURS) is not None


def _webp(image: Image.Image, flat: bool) -> bytes:
    if flat:  # octree spends the colours on the anti-aliasing levels, not on near-whites
        palette = image.quantize(
            FLAT_PALETTE, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
        return encode(palette.convert("RGB"), "WEBP", **WEBP_FLAT)
    return encode(image, "WEBP", **WEBP_PHOTO)


def make_variants(storage: LocalStorage, image: Image.Image) -> list[dict[str, Any]]:
    """Store the width variants of an upright image in WebP and JPEG; narrowest first, as
    Infographic.variants keeps them."""
    rgb = flatten(image)
    flat = is_flat(rgb)
    variants = []
    for width in variant_widths(rgb.width):
        height = max(1, round(rgb.height * width / rgb.width))
        sized = rgb if width == rgb.width else rgb.resize((width, height), Image.Resampling.LANCZOS)
        webp = storage.save(io.BytesIO(_webp(sized, flat)), "webp")
        jpeg = storage.save(io.BytesIO(encode(sized, "JPEG", **JPEG)), "jpg")
        variants.append(
            {
                "width": width,
                "height": height,
                "webp": webp.key,
                "webp_size": webp.size,
                "jpeg": jpeg.key,
                "jpeg_size": jpeg.size,
            }
        )
    return variants


# A 360-px phone shows a clip 336 CSS px wide; 640 px is sharp on its 2x screen and is the
# width of the lesson's <video>.
POSTER_WIDTH = 640
_posters: dict[tuple[str, str], str] = {}


def poster_webp(storage: LocalStorage, key: str) -> str:
    """The storage key of a stored poster (JPEG) as WebP at POSTER_WIDTH at most: the
    lesson's poster, a third of the JPEG's bytes. Made once per poster and store."""
    memo = (str(storage.root), key)
    known = _posters.get(memo)
    if known and storage.exists(known):
        return known
    with Image.open(storage.path(key), formats=FORMATS) as image:
        image.load()
        rgb = flatten(upright(image))
    if rgb.width > POSTER_WIDTH:
        height = max(1, round(rgb.height * POSTER_WIDTH / rgb.width))
        rgb = rgb.resize((POSTER_WIDTH, height), Image.Resampling.LANCZOS)
    made = storage.save(io.BytesIO(encode(rgb, "WEBP", **WEBP_PHOTO)), "webp").key
    _posters[memo] = made
    return made


def variant_keys(variants: list[dict[str, Any]]) -> list[str]:
    """Every storage key the variants use."""
    return [v[kind] for v in variants for kind in ("webp", "jpeg") if v.get(kind)]


# Variants are a pure function of the original's bytes and this module's settings, so a
# store that made them once can hand them out again (a long-lived process, the test suite).
_made: dict[tuple[str, str], list[dict[str, Any]]] = {}


def variants_for_stored(
    storage: LocalStorage, key: str, current: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Variants of a stored original (content load): the current ones while all their files
    are stored, else made now. A shipped file is trusted; it is not checked like an upload."""
    if current and all(storage.exists(k) for k in variant_keys(current)):
        return current
    memo = (str(storage.root), key)
    known = _made.get(memo)
    if known and all(storage.exists(k) for k in variant_keys(known)):
        return [dict(v) for v in known]
    with Image.open(storage.path(key), formats=FORMATS) as image:
        image.load()
        variants = make_variants(storage, upright(image))
    _made[memo] = variants
    return [dict(v) for v in variants]
