"""The infographic image pipeline: checks by content, bombs, metadata, orientation, variants."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageCms, ImageDraw, PngImagePlugin

from app.media.images import (
    ImageRefused,
    clean_upload,
    make_variants,
    variant_keys,
    variant_widths,
)
from app.storage import LocalStorage

LIMIT = 50_000_000


# --- Test pictures, made here (no real photos, no real places) -----------------------------


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    """An image's bytes in a format."""
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def drawing(width: int, height: int, mode: str = "RGB") -> Image.Image:
    """A flat graphic like an infographic: white page, a coloured band, dark text-like bars."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, height // 6), fill="#0b6e55")
    for y in range(height // 5, height - 10, max(8, height // 20)):
        draw.rectangle((width // 12, y, width * 3 // 4, y + max(2, height // 60)), fill="#1b1b1f")
    draw.text((width // 12, height // 12), "BMN 1", fill="white")
    return image.convert(mode) if mode != "RGB" else image


def png_bytes(width: int = 800, height: int = 1200, **options) -> bytes:
    """A PNG infographic of the given size."""
    return encode(drawing(width, height), "PNG", **options)


def gps_jpeg(width: int = 200, height: int = 100, orientation: int | None = None) -> bytes:
    """A JPEG as a phone writes it: camera make, GPS position, XMP, a comment, maybe turned.
    Its left half is red and its right half blue, so a turn can be seen in the pixels."""
    image = Image.new("RGB", (width, height), "blue")
    ImageDraw.Draw(image).rectangle((0, 0, width // 2 - 1, height), fill="red")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (18.0, 47.0, 0.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (100.0, 46.0, 0.0),
        }
    )
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret-place</x:xmpmeta>'
    return encode(image, "JPEG", exif=exif, xmp=xmp, comment=b"secret-comment", quality=95)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 20000, height: int = 20000) -> bytes:
    """A complete, valid 1-bit PNG of width x height, written by hand (Pillow would need the
    pixels in memory): all-zero rows compress to a few tens of KB."""
    row = b"\0" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", body)
        + _chunk(b"IEND", b"")
    )


def has_metadata(data: bytes) -> list[str]:
    """The metadata a stored image still carries (empty when clean)."""
    found = []
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        if len(exif):
            found.append("exif")
        if exif.get_ifd(ExifTags.IFD.GPSInfo):
            found.append("gps")
        found += [k for k in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile")
                  if k in image.info]  # fmt: skip
        found += [k for k in getattr(image, "text", {})]
    for marker in (b"Exif\0\0", b"secret", b"TestCam"):
        if marker in data:
            found.append(marker.decode("ascii", "replace"))
    return found


@pytest.fixture
def storage(tmp_path: Path) -> LocalStorage:
    """An empty media store in a temp folder."""
    return LocalStorage(tmp_path / "media")


# --- Refusals ---------------------------------------------------------------------------------


def test_a_text_file_named_png_is_refused_as_not_an_image():
    with pytest.raises(ImageRefused, match="not a PNG, JPEG or WebP image"):
        clean_upload(b"just some notes, saved as notes.png\n" * 20, LIMIT)


def test_other_image_formats_are_refused():
    gif = encode(drawing(50, 50), "GIF")
    with pytest.raises(ImageRefused, match="not a PNG, JPEG or WebP image"):
        clean_upload(gif, LIMIT)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_a_truncated_file_is_refused_as_damaged(fmt):
    data = encode(drawing(600, 900), fmt)
    with pytest.raises(ImageRefused, match="damaged or incomplete"):
        clean_upload(data[: len(data) * 2 // 3], LIMIT)


def test_a_corrupted_png_is_refused_as_damaged():
    data = bytearray(png_bytes(300, 300))
    data[60:70] = b"\xff" * 10  # inside the first chunks: a checksum no longer matches
    with pytest.raises(ImageRefused, match="damaged or incomplete"):
        clean_upload(bytes(data), LIMIT)


def test_a_decompression_bomb_is_refused_by_its_header_with_its_size():
    bomb = bomb_png()
    assert len(bomb) < 500_000  # small on the wire, 400 million pixels once decoded
    with pytest.raises(ImageRefused) as refused:
        clean_upload(bomb, LIMIT)
    assert "20000 × 20000 pixels" in str(refused.value)
    assert "50,000,000" in str(refused.value)


def test_pillows_own_bomb_limit_gives_the_same_refusal():
    # With our limit set above Pillow's, Pillow's DecompressionBombError must not escape.
    with pytest.raises(ImageRefused, match="20000 × 20000 pixels"):
        clean_upload(bomb_png(), 10**10)


def test_a_picture_just_under_the_limit_is_accepted():
    assert clean_upload(png_bytes(100, 100), 100 * 100).width == 100
    with pytest.raises(ImageRefused, match="100 × 101 pixels"):
        clean_upload(png_bytes(100, 101), 100 * 100)


def test_an_animated_image_is_refused():
    frames = [drawing(60, 60), drawing(60, 60).rotate(90)]
    data = encode(frames[0], "PNG", save_all=True, append_images=frames[1:])
    with pytest.raises(ImageRefused, match="Animated"):
        clean_upload(data, LIMIT)


# --- Cleaning -------------------------------------------------------------------------------


def test_gps_exif_xmp_and_comments_are_stripped_from_a_phone_jpeg():
    upload = gps_jpeg()
    assert has_metadata(upload)  # the test picture really carries them
    cleaned = clean_upload(upload, LIMIT)
    assert cleaned.suffix == "jpg"
    assert has_metadata(cleaned.data) == []


def test_png_text_chunks_and_icc_profiles_are_stripped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret-note")
    info.add_text("XML:com.adobe.xmp", "secret-xmp")
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    cleaned = clean_upload(png_bytes(400, 300, pnginfo=info, icc_profile=icc), LIMIT)
    assert cleaned.suffix == "png"
    assert has_metadata(cleaned.data) == []


def test_exif_orientation_is_applied_before_the_metadata_goes():
    cleaned = clean_upload(gps_jpeg(200, 100, orientation=6), LIMIT)
    assert (cleaned.width, cleaned.height) == (100, 200)  # turned upright
    with Image.open(io.BytesIO(cleaned.data)) as stored:
        assert stored.size == (100, 200)
        top, bottom = stored.getpixel((50, 20)), stored.getpixel((50, 180))
    # Orientation 6: the picture is turned 90° clockwise, so the left (red) half is on top.
    assert top[0] > 200 and top[2] < 60, top
    assert bottom[2] > 200 and bottom[0] < 60, bottom


def test_a_lossless_webp_stays_lossless():
    data = encode(drawing(300, 200), "WEBP", lossless=True)
    cleaned = clean_upload(data, LIMIT)
    assert cleaned.suffix == "webp" and b"VP8L" in cleaned.data[:40]


# --- Variants -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "expected"),
    [(2400, [360, 720, 1080]), (1080, [360, 720, 1080]), (800, [360, 720]), (360, [360]),
     (200, [200])],
)  # fmt: skip
def test_variant_widths_never_enlarge_the_original(width, expected):
    assert variant_widths(width) == expected


def test_variants_are_stored_as_webp_and_jpeg_narrowest_first(storage):
    cleaned = clean_upload(png_bytes(1500, 3000), LIMIT)
    variants = make_variants(storage, cleaned.image)
    assert [v["width"] for v in variants] == [360, 720, 1080]
    for variant in variants:
        assert variant["height"] == variant["width"] * 2
        for kind, fmt in (("webp", "WEBP"), ("jpeg", "JPEG")):
            path = storage.path(variant[kind])
            assert path.stat().st_size == variant[f"{kind}_size"]
            with Image.open(path) as stored:
                assert stored.format == fmt
                assert stored.size == (variant["width"], variant["height"])
    smallest = variants[0]
    assert smallest["webp_size"] < len(png_bytes(1500, 3000)) * 0.15


def test_variants_of_a_phone_photo_carry_no_metadata(storage):
    cleaned = clean_upload(gps_jpeg(1600, 1200), LIMIT)
    variants = make_variants(storage, cleaned.image)
    assert [v["width"] for v in variants] == [360, 720, 1080]
    for key in variant_keys(variants):
        assert has_metadata(storage.path(key).read_bytes()) == []


def test_a_small_original_keeps_one_variant_at_its_own_width(storage):
    variants = make_variants(storage, clean_upload(png_bytes(240, 120), LIMIT).image)
    assert [(v["width"], v["height"]) for v in variants] == [(240, 120)]


def test_transparent_parts_become_white_in_the_variants(storage):
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((0, 0, 199, 399), fill=(11, 110, 85, 255))
    variants = make_variants(storage, clean_upload(encode(image, "PNG"), LIMIT).image)
    with Image.open(storage.path(variants[0]["jpeg"])) as jpeg:
        assert min(jpeg.convert("RGB").getpixel((340, 200))) > 245  # white, not black


def test_the_same_upload_gives_the_same_files(storage):
    first = make_variants(storage, clean_upload(png_bytes(900, 600), LIMIT).image)
    again = make_variants(storage, clean_upload(png_bytes(900, 600), LIMIT).image)
    assert first == again
