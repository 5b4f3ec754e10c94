"""Question photos: checked by content and cleaned like the studio's images (pixel and memory
limits, EXIF with GPS and every other piece of metadata removed, re-encoded), and kept in a
store of their own, outside the public media files: only the asker and the zone's team see
them."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from ..media.images import ImageRefused, clean_upload, processing_slot
from ..storage import LocalStorage


def photo_store(app: Flask | None = None) -> LocalStorage:
    """The store of question photos (SUPPORT_PHOTO_ROOT, else <instance>/support-photos)."""
    app = app or current_app
    root = app.config.get("SUPPORT_PHOTO_ROOT") or str(Path(app.instance_path) / "support-photos")
    return LocalStorage(root)


def store_photo(
    storage: LocalStorage, data: bytes, *, max_bytes: int, max_pixels: int, max_memory: int | None
) -> str:
    """Check and clean a photo and store it; its key. ImageRefused says why a file is unfit."""
    if not data:
        raise ImageRefused(_l("The file is empty."))
    if len(data) > max_bytes:
        raise ImageRefused(
            _l("The photo is larger than %(limit)d MB.", limit=max_bytes // (1024 * 1024))
        )
    with processing_slot(wait=10):
        cleaned = clean_upload(data, max_pixels, max_memory)
        stored = storage.save(BytesIO(cleaned.data), cleaned.suffix)
        del cleaned
    return stored.key
