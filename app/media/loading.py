"""The media of content files (media.yaml) stored and upserted by `flask content load`."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ..content.models import Clip, Indicator, Infographic
from ..content.services import Changes, assign, get_or_add
from ..storage import LocalStorage
from .captions import normalised
from .files import Media
from .images import poster_webp, variants_for_stored


def _upsert_asset(
    session: Session,
    indicator: Indicator,
    rows: list[Any],
    model: type,
    path: str | None,
    values: dict[str, Any],
    kind: str,
    changes: Changes,
    *,
    one_shown: bool = False,
) -> None:
    """Publish the asset stored under path (added when new); unpublish the indicator's other
    file-loaded ones (those without an original upload name). An uploaded clip exported to
    the content files is found by its phone rendition (what the export wrote) and keeps
    its original's size. one_shown (clips: one is shown per indicator) unpublishes uploaded
    ones too when the files name another, first, so the unique index never sees two
    published at once."""
    for row in list(rows):
        named = path is not None and (row.path == path or getattr(row, "phone_path", None) == path)
        if not named and (not row.original_name or (one_shown and path is not None)):
            changes.note(kind, False, assign(row, published=False))
    session.flush()
    if path is not None:
        existing = {r.path: r for r in rows}
        renditions = {r.phone_path: r for r in rows if getattr(r, "phone_path", None)}
        if path in renditions and path not in existing:
            existing[path] = renditions[path]
            values = {k: v for k, v in values.items() if k != "size"}
        row, created = get_or_add(
            session, existing, path, lambda: model(indicator=indicator, path=path)
        )
        changes.note(kind, created, assign(row, published=True, archived_at=None, **values))


def upsert_media(
    session: Session,
    indicator: Indicator,
    media: Media | None,
    changes: Changes,
    content_root: Path,
    storage: LocalStorage,
) -> None:
    """Store the shipped clip and infographic and upsert them, matched by their storage key;
    the indicator's other clips and infographics loaded from files before (gone from
    media.yaml) are unpublished, not deleted. Uploaded media are left as they are, except that
    a clip named by media.yaml replaces an uploaded one shown so far (one clip per lesson). The
    infographic's width variants are made when its original is new or they are missing."""
    clip = media.clip if media else None
    image = media.infographic if media else None

    def store(relative: str) -> str:
        return storage.save_file(content_root / relative).key

    def store_text(relative: str) -> str:  # captions: the same whatever the line endings
        data = normalised((content_root / relative).read_bytes())
        return storage.save(BytesIO(data), Path(relative).suffix).key

    clip_key = store(clip.path) if clip else None
    image_key = store(image.path) if image else None
    clip_values = (
        {
            "poster_path": (poster_key := store(clip.poster)),
            "poster_webp_path": poster_webp(storage, poster_key),
            "captions_path": store_text(clip.captions),
            "duration": clip.duration,
            "size": clip.size,
            "state": "ready",
        }
        if clip
        else {}
    )
    image_values = (
        {
            "width": image.width,
            "height": image.height,
            "alt_th": image.alt_th,
            "alt_en": image.alt_en,
            "size": image.size,
        }
        if image
        else {}
    )
    if image_key is not None:
        current = next((r.variants for r in indicator.infographics if r.path == image_key), [])
        image_values["variants"] = variants_for_stored(storage, image_key, current or [])
    _upsert_asset(
        session, indicator, indicator.clips, Clip,
        clip_key, clip_values, "clips", changes, one_shown=True,
    )  # fmt: skip
    _upsert_asset(
        session, indicator, indicator.infographics, Infographic,
        image_key, image_values, "infographics", changes,
    )  # fmt: skip
