"""Infographic services: upload (checked, cleaned, width variants), alt texts, publish, delete.

Plain functions taking the session first; they never commit. Functions that make files
unreferenced return their keys, so the view deletes them only after its commit.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..content.audit import record
from ..content.models import AuditEntry, Indicator, Infographic
from ..db import utcnow
from ..errors import DomainError
from ..storage import LocalStorage
from .images import (
    Cleaned,
    ImageRefused,
    clean_upload,
    make_variants,
    processing_slot,
    variant_keys,
)
from .references import unused_keys

UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]")
UNNAMED = "upload"  # an upload whose name is empty once cleaned (never a file-loaded one)


class InfographicError(DomainError):
    """An infographic action that cannot be done as asked (the message says why)."""


def megabytes(size: int) -> str:
    """A size in MB for messages ("20 MB", "0.4 MB")."""
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value >= 10 else f"{value:.1f} MB"


def clean_name(name: str | None) -> str:
    """An uploaded file's own name for display: no folders, no control characters, never
    empty (it is shown escaped and never used as a path)."""
    base = re.split(r"[\\/]", name or "")[-1]
    return UNSAFE_NAME.sub("", base).strip()[:255] or UNNAMED


def get_infographic(session: Session, infographic_id: int) -> Infographic | None:
    """An infographic the studio shows (not archived)."""
    found = session.get(Infographic, infographic_id)
    return found if found is not None and found.archived_at is None else None


def shown_infographic(indicator: Indicator) -> Infographic | None:
    """The infographic the lesson page shows: the first published by (position, id)."""
    return next((i for i in indicator.infographics if i.published), None)


def _store(storage: LocalStorage, cleaned: Cleaned) -> tuple[Any, list[dict[str, Any]]]:
    """Store a cleaned upload and its variants (stored files are content-addressed: an upload
    already there is stored once)."""
    stored = storage.save(BytesIO(cleaned.data), cleaned.suffix)
    return stored, make_variants(storage, cleaned.image)


def upload_infographic(
    session: Session,
    storage: LocalStorage,
    indicator: Indicator,
    data: bytes,
    original_name: str | None,
    alt_th: str,
    alt_en: str,
    *,
    max_bytes: int,
    max_pixels: int,
    max_memory: int | None = None,
    user_id: int,
) -> Infographic:
    """Check an uploaded picture by content, store it cleaned (no metadata, upright) with its
    width variants, and add it as a draft, last in order. ImageRefused says why a file is
    unfit; an archived copy of the same picture comes back as a draft."""
    if not data:
        raise ImageRefused(_l("The file is empty."))
    if len(data) > max_bytes:
        raise ImageRefused(
            _l(
                "The file is %(size)s; the limit for images is %(limit)s.",
                size=megabytes(len(data)),
                limit=megabytes(max_bytes),
            )
        )
    with processing_slot():
        cleaned = clean_upload(data, max_pixels, max_memory)
        stored, variants = _store(storage, cleaned)
        width, height = cleaned.width, cleaned.height
        del cleaned  # the full-size picture is not kept past the slot
    image = session.scalar(
        select(Infographic).where(
            Infographic.indicator_id == indicator.id, Infographic.path == stored.key
        )
    )
    if image is not None and image.archived_at is None:
        raise InfographicError(_l("This picture is uploaded already for this indicator."))
    if image is None:
        last = session.scalar(
            select(func.max(Infographic.position)).where(Infographic.indicator_id == indicator.id)
        )
        image = Infographic(indicator=indicator, path=stored.key, position=(last or 0) + 1)
        session.add(image)
    image.archived_at = None
    image.published = False
    image.width, image.height = width, height
    image.size = stored.size
    image.variants = variants
    image.alt_th, image.alt_en = alt_th, alt_en or ""
    image.original_name = clean_name(original_name)
    session.flush()
    record(
        session,
        user_id=user_id,
        action="infographic.upload",
        indicator_id=indicator.id,
        infographic_id=image.id,
        name=image.original_name,
        size=stored.size,
        width=image.width,
        height=image.height,
    )
    return image


def update_alt(
    session: Session, image: Infographic, alt_th: str, alt_en: str, user_id: int
) -> dict[str, list[str]]:
    """Change the alt texts; what changed, as {"alt_th": [old, new], ...} (also audited)."""
    changes: dict[str, list[str]] = {}
    for name, value in (("alt_th", alt_th), ("alt_en", alt_en or "")):
        old = getattr(image, name)
        if old != value:
            changes[name] = [old, value]
            setattr(image, name, value)
    record(
        session,
        user_id=user_id,
        action="infographic.edit",
        indicator_id=image.indicator_id,
        infographic_id=image.id,
        **changes,
    )
    return changes


def publish_infographic(session: Session, image: Infographic, user_id: int) -> None:
    """Let volunteers see the infographic (the lesson shows the first published one)."""
    image.published = True
    record(
        session, user_id=user_id, action="infographic.publish",
        indicator_id=image.indicator_id, infographic_id=image.id,
    )  # fmt: skip


def unpublish_infographic(session: Session, image: Infographic, user_id: int) -> None:
    """Take the infographic back to draft: volunteers no longer see it."""
    image.published = False
    record(
        session, user_id=user_id, action="infographic.unpublish",
        indicator_id=image.indicator_id, infographic_id=image.id,
    )  # fmt: skip


def was_published(session: Session, image: Infographic) -> bool:
    """True when volunteers may have seen the infographic: loaded from the content files
    (published there), or ever published in the studio."""
    if not image.original_name:
        return True
    stmt = select(AuditEntry.detail).where(
        AuditEntry.action == "infographic.publish", AuditEntry.indicator_id == image.indicator_id
    )
    return any((detail or {}).get("infographic_id") == image.id for detail in session.scalars(stmt))


def delete_infographic(
    session: Session, image: Infographic, user_id: int
) -> tuple[bool, list[str]]:
    """Delete a draft infographic, or archive it when volunteers may have seen it. Returns
    (archived, storage keys no longer used). A published one is refused."""
    if image.published:
        raise InfographicError(_l("Unpublish it first: volunteers can see it now."))
    detail: dict[str, Any] = {"infographic_id": image.id, "name": image.original_name}
    if was_published(session, image):
        image.archived_at = utcnow()
        record(
            session, user_id=user_id, action="infographic.archive",
            indicator_id=image.indicator_id, **detail,
        )  # fmt: skip
        return True, []
    keys = [image.path, *variant_keys(image.variants or [])]
    record(
        session, user_id=user_id, action="infographic.delete",
        indicator_id=image.indicator_id, **detail,
    )  # fmt: skip
    session.delete(image)
    session.flush()
    return False, unused_keys(session, keys)
