"""Clip services: upload, processing results, captions, publish, delete, the save-data choice.

Plain functions taking the session first; they never commit. Functions that make files
unreferenced return their keys, so the view deletes them only after its commit.
"""

from __future__ import annotations

import logging
import re
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..auth.models import User
from ..content.audit import record
from ..content.models import AuditEntry, Clip, Indicator
from ..db import utcnow
from ..errors import DomainError
from ..storage import CHUNK, LocalStorage
from .captions import normalised, validate_webvtt
from .images import poster_webp
from .references import unused_keys
from .video import (
    ToolFailed,
    check_video,
    duration_of,
    make_low_variant,
    make_phone_rendition,
    make_poster,
)

log = logging.getLogger(__name__)
UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]")


class ClipError(DomainError):
    """A clip action that cannot be done as asked (the message says why)."""


@dataclass(frozen=True)
class Tools:
    """The ffmpeg and ffprobe executables found (None when not installed)."""

    ffmpeg: str | None
    ffprobe: str | None

    @property
    def can_process(self) -> bool:
        """True when clips can get a poster and a low-data variant."""
        return self.ffmpeg is not None


@dataclass(frozen=True)
class Work:
    """What a processing job must make for one clip (read before the slow part)."""

    clip_id: int
    source: str  # the original's storage key
    size: int
    duration: float | None
    need_poster: bool
    need_phone: bool
    need_low: bool


@dataclass(frozen=True)
class Outcome:
    """What processing made: storage keys, the duration, or the reason it failed."""

    duration: float | None = None
    poster_path: str | None = None
    poster_webp_path: str | None = None
    low_path: str | None = None
    low_size: int | None = None
    phone_path: str | None = None
    phone_size: int | None = None
    error: str = ""


def clean_name(name: str | None) -> str:
    """An uploaded file's name as the trainer sent it, without control characters; it is only
    ever shown (escaped), never used as a path."""
    return UNSAFE_NAME.sub("", name or "").strip()[:255]


def get_clip(session: Session, clip_id: int) -> Clip | None:
    """A clip the studio shows (not archived), with its indicator."""
    clip = session.get(Clip, clip_id)
    return clip if clip is not None and clip.archived_at is None else None


def upload_clip(
    session: Session,
    storage: LocalStorage,
    indicator: Indicator,
    stream: BinaryIO,
    original_name: str | None,
    tools: Tools,
    user_id: int,
) -> Clip:
    """Check an uploaded video by content, store it, add it as a draft clip (BadVideo if not a
    video). With ffmpeg installed it is "processing" until the job has run."""
    storage.incoming.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=storage.incoming) as folder:
        upload = Path(folder) / "upload"
        with upload.open("wb") as handle:
            while chunk := stream.read(CHUNK):
                handle.write(chunk)
        info = check_video(upload, tools.ffprobe)
        stored = storage.save_file(upload, info.container)
    clip = session.scalar(
        select(Clip).where(Clip.indicator_id == indicator.id, Clip.path == stored.key)
    )
    if clip is not None and clip.archived_at is None:
        raise ClipError(_l("This clip is uploaded already for this indicator."))
    if clip is None:
        last = session.scalar(
            select(func.max(Clip.position)).where(Clip.indicator_id == indicator.id)
        )
        clip = Clip(indicator=indicator, path=stored.key, position=(last or 0) + 1)
        session.add(clip)
    clip.archived_at = None  # an archived clip uploaded again comes back as a draft
    clip.published = False
    clip.size = stored.size
    clip.duration = info.duration
    clip.original_name = clean_name(original_name)
    clip.state = "processing" if tools.can_process else "ready"
    clip.error = ""
    session.flush()
    record(
        session,
        user_id=user_id,
        action="clip.upload",
        indicator_id=indicator.id,
        clip_id=clip.id,
        name=clip.original_name,
        size=stored.size,
    )
    return clip


def plan_processing(session: Session, clip_id: int) -> Work | None:
    """What is still missing for a clip (None when it is gone or complete)."""
    clip = session.get(Clip, clip_id)
    if clip is None or clip.archived_at is not None:
        return None
    # A clip without a phone rendition was processed before renditions were stripped of
    # their metadata (or never): its low-data version is made again too.
    need_phone = clip.phone_path is None
    work = Work(
        clip_id=clip.id,
        source=clip.path,
        size=clip.size,
        duration=clip.duration,
        need_poster=clip.poster_path is None,
        need_phone=need_phone,
        need_low=need_phone or clip.low_path is None or clip.low_path == clip.path,
    )
    if work.duration and not (work.need_poster or work.need_phone or work.need_low):
        return None if clip.state != "processing" else work
    return work


def make_outputs(storage: LocalStorage, work: Work, tools: Tools) -> Outcome:
    """Run ffprobe/ffmpeg for a clip and store the poster, the phone rendition and the
    low-data variant, each without the original's metadata.

    Never raises for a bad clip or a failing tool: the outcome carries the reason. The
    original upload is never served to volunteers, even when it is the lighter file.
    """
    if tools.ffmpeg is None:
        return Outcome(error="ffmpeg is not installed")
    source = storage.path(work.source)
    try:
        duration = work.duration
        if tools.ffprobe and not duration:
            duration = duration_of(tools.ffprobe, source)
        storage.incoming.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=storage.incoming) as folder:
            poster = low = phone = poster_webp_key = None
            if work.need_poster:
                make_poster(tools.ffmpeg, source, Path(folder) / "poster.jpg", duration)
                poster = storage.save_file(Path(folder) / "poster.jpg")
                poster_webp_key = poster_webp(storage, poster.key)
            if work.need_low:
                make_low_variant(tools.ffmpeg, source, Path(folder) / "low.mp4")
                low = storage.save_file(Path(folder) / "low.mp4")
            if work.need_phone:
                make_phone_rendition(tools.ffmpeg, source, Path(folder) / "phone.mp4")
                phone = storage.save_file(Path(folder) / "phone.mp4")
    except ToolFailed as error:  # plain tool text: jobs run outside any request's language
        return Outcome(error=str(error))
    except OSError as error:
        log.error("clip %s: could not store the outputs: %s", work.clip_id, error)
        return Outcome(error=f"could not store the outputs: {error.strerror or error}")
    return Outcome(
        duration,
        poster.key if poster else None,
        poster_webp_key,
        low.key if low else None,
        low.size if low else None,
        phone.key if phone else None,
        phone.size if phone else None,
    )


def add_webp_posters(session: Session, storage: LocalStorage) -> int:
    """Give every clip with a JPEG poster but no WebP one (stored before WebP posters were
    made) its WebP poster; how many were made. Pillow only: no ffmpeg needed."""
    stmt = select(Clip).where(Clip.poster_path.is_not(None), Clip.poster_webp_path.is_(None))
    made = 0
    for clip in session.scalars(stmt):
        if clip.poster_path and storage.exists(clip.poster_path):
            clip.poster_webp_path = poster_webp(storage, clip.poster_path)
            made += 1
    return made


def apply_outcome(
    session: Session, clip_id: int, outcome: Outcome
) -> tuple[Clip | None, list[str]]:
    """Record a processing outcome: "ready", or "failed" with the reason (a clip that was
    ready already stays ready and only notes the reason), and the storage keys no longer
    used (a low-data version made before, replaced), for the caller to delete after its
    commit. Running it twice changes nothing."""
    clip = session.get(Clip, clip_id)
    if clip is None or clip.archived_at is not None:
        return None, []
    if outcome.error:
        clip.error = outcome.error
        if clip.state == "processing":
            clip.state = "failed"
        return clip, []
    clip.duration = clip.duration or outcome.duration
    clip.poster_path = clip.poster_path or outcome.poster_path
    clip.poster_webp_path = clip.poster_webp_path or outcome.poster_webp_path
    replaced: list[str | None] = []
    if clip.phone_path is None and outcome.phone_path:
        clip.phone_path, clip.phone_size = outcome.phone_path, outcome.phone_size
    if outcome.low_path and outcome.low_path != clip.low_path:
        replaced.append(clip.low_path if clip.low_path != clip.path else None)
        clip.low_path, clip.low_size = outcome.low_path, outcome.low_size
    clip.state, clip.error = "ready", ""
    session.flush()
    return clip, unused_keys(session, replaced)


def attach_captions(
    session: Session, storage: LocalStorage, clip: Clip, data: bytes, user_id: int
) -> list[str]:
    """Validate and store WebVTT captions for a clip; keys no longer used (BadCaptions if bad)."""
    cues = validate_webvtt(data)
    stored = storage.save(BytesIO(normalised(data)), "vtt")
    old, clip.captions_path = clip.captions_path, stored.key
    session.flush()
    record(
        session,
        user_id=user_id,
        action="clip.captions",
        indicator_id=clip.indicator_id,
        clip_id=clip.id,
        cues=cues,
    )
    return unused_keys(session, [old] if old and old != stored.key else [])


def shown_clip(session: Session, indicator_id: int) -> Clip | None:
    """The clip volunteers see on the indicator's lesson: its one published clip (the
    uq_clips_shown index allows no second one)."""
    return session.scalar(
        select(Clip).where(Clip.indicator_id == indicator_id, Clip.published.is_(True))
    )


SHOWN_ALREADY = _l(
    "Volunteers see another clip of this indicator now. Use “Show this clip instead” to replace it."
)
CHANGED_MEANWHILE = _l(
    "Someone changed the clip volunteers see at the same moment. Check the clip page and try again."
)


def _publish(session: Session, clip: Clip) -> None:
    """Set the clip published, flushed in a savepoint: the unique index on the shown clip
    refuses it when another request published one in the meantime."""
    try:
        with session.begin_nested():
            clip.published = True
    except IntegrityError:
        raise ClipError(CHANGED_MEANWHILE) from None


def publish_clip(session: Session, clip: Clip, user_id: int) -> None:
    """Show the clip to volunteers; only a ready clip may be published, and only while the
    indicator shows no other clip (show_clip_instead replaces it). Volunteers see it once its
    phone rendition is made (never the original upload)."""
    if clip.state != "ready":
        raise ClipError(_l("Only a ready clip can be published (wait for processing to end)."))
    shown = shown_clip(session, clip.indicator_id)
    if shown is not None and shown.id != clip.id:
        raise ClipError(SHOWN_ALREADY)
    _publish(session, clip)
    record(
        session, user_id=user_id, action="clip.publish", indicator_id=clip.indicator_id,
        clip_id=clip.id,
    )  # fmt: skip


def show_clip_instead(session: Session, clip: Clip, user_id: int) -> list[int]:
    """Make this ready clip the one volunteers see, unpublishing the one shown so far (a
    conditional UPDATE, then the publish under the unique index: of two trainers replacing at
    once, one wins and the other is told). The ids of the clips taken back to draft."""
    if clip.state != "ready":
        raise ClipError(_l("Only a ready clip can be published (wait for processing to end)."))
    replaced = list(
        session.scalars(
            update(Clip)
            .where(
                Clip.indicator_id == clip.indicator_id,
                Clip.id != clip.id,
                Clip.published.is_(True),
            )
            .values(published=False)
            .returning(Clip.id),
            execution_options={"synchronize_session": "fetch"},
        )
    )
    _publish(session, clip)
    for old in replaced:
        record(
            session, user_id=user_id, action="clip.unpublish", indicator_id=clip.indicator_id,
            clip_id=old, replaced_by=clip.id,
        )  # fmt: skip
    record(
        session, user_id=user_id, action="clip.publish", indicator_id=clip.indicator_id,
        clip_id=clip.id, replaced=replaced,
    )  # fmt: skip
    return replaced


def unpublish_clip(session: Session, clip: Clip, user_id: int) -> None:
    """Take the clip back to draft: volunteers no longer see it."""
    clip.published = False
    record(
        session, user_id=user_id, action="clip.unpublish", indicator_id=clip.indicator_id,
        clip_id=clip.id,
    )  # fmt: skip


def was_published(session: Session, clip: Clip) -> bool:
    """True when volunteers may have seen the clip: published from content files, or ever
    published in the studio."""
    if not clip.original_name:
        return True
    stmt = select(AuditEntry.detail).where(
        AuditEntry.action == "clip.publish", AuditEntry.indicator_id == clip.indicator_id
    )
    return any((detail or {}).get("clip_id") == clip.id for detail in session.scalars(stmt))


def delete_clip(session: Session, clip: Clip, user_id: int) -> tuple[bool, list[str]]:
    """Delete a draft clip, or archive it when volunteers may have seen it. Returns (archived,
    storage keys no longer used). A published clip is refused."""
    if clip.published:
        raise ClipError(_l("Unpublish it first: volunteers can see it now."))
    detail: dict[str, Any] = {"clip_id": clip.id, "name": clip.original_name}
    if was_published(session, clip):
        clip.archived_at = utcnow()
        record(
            session, user_id=user_id, action="clip.archive", indicator_id=clip.indicator_id,
            **detail,
        )  # fmt: skip
        return True, []
    keys = [
        clip.path, clip.poster_path, clip.poster_webp_path, clip.captions_path, clip.low_path,
        clip.phone_path,
    ]  # fmt: skip
    record(session, user_id=user_id, action="clip.delete", indicator_id=clip.indicator_id, **detail)
    session.delete(clip)
    session.flush()
    return False, unused_keys(session, keys)


def toggle_save_data(session: Session, user: User) -> bool:
    """Switch a user's save-data choice; the new value."""
    user.save_data = not user.save_data
    return user.save_data
