"""Which stored media files no row refers to any more (safe to delete after a commit)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..content.models import Clip, Infographic
from .images import variant_keys


def unused_keys(session: Session, keys: Iterable[str | None]) -> list[str]:
    """The keys among these that no clip (file, posters, captions, renditions) or
    infographic (original or variant) refers to."""
    wanted = {k for k in keys if k}
    if not wanted:
        return []
    used: set[str] = set()
    for path, variants in session.execute(select(Infographic.path, Infographic.variants)):
        used.add(path)
        used.update(variant_keys(variants or []))
    columns = (
        Clip.path,
        Clip.poster_path,
        Clip.poster_webp_path,
        Clip.captions_path,
        Clip.low_path,
        Clip.phone_path,
    )
    for row in session.execute(select(*columns).where(or_(*(c.in_(wanted) for c in columns)))):
        used.update(row)
    return sorted(wanted - used)
