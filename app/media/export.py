"""Which of an indicator's published clips and infographics a content folder can hold, and
its media.yaml: one clip and one infographic within the file limits of content/README.md."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..content.models import Clip, Indicator, Infographic
from ..content.text import text_hash
from .captions import normalised
from .files import (
    MAX_CLIP_BYTES,
    MAX_INFOGRAPHIC_BYTES,
    ClipFile,
    InfographicFile,
    Media,
    media_yaml,
)

MEDIA_NAMES = ("clip.mp4", "poster.jpg", "captions.th.vtt")
IMAGE_SUFFIXES = ("png", "jpg", "jpeg", "webp")


@dataclass
class MediaPlan:
    """An indicator's media folder: file name -> storage key, media.yaml (None: no media)."""

    files: dict[str, str] = field(default_factory=dict)
    yaml: bytes | None = None
    warnings: list[str] = field(default_factory=list)


def _suffix(key: str) -> str:
    return key.rsplit(".", 1)[-1]


def clip_file_of(clip: Clip) -> tuple[str | None, int]:
    """The stored file a content folder holds for a clip, and its size: a shipped clip's own
    file, an upload's phone rendition (never the upload itself: it keeps the recording
    phone's metadata, and content files are committed)."""
    if not clip.original_name:
        return clip.path, clip.size
    return clip.phone_path, clip.phone_size or 0


def clip_problem(clip: Clip) -> str | None:
    """Why a clip cannot go in a content folder (None: it can)."""
    if clip.state != "ready" or not clip.poster_path or not clip.captions_path:
        return "content files need a ready clip with poster and captions"
    key, size = clip_file_of(clip)
    if key is None:
        return "an uploaded clip goes in content files once its phone version is made"
    if _suffix(key) != "mp4" or not clip.duration:
        return "content files hold MP4 clips of known duration only"
    if size > MAX_CLIP_BYTES:
        return f"{size // 1024} KB is over the {MAX_CLIP_BYTES // 1024} KB of content files"
    return None


def image_problem(image: Infographic) -> str | None:
    """Why an infographic cannot go in a content folder (None: it can)."""
    if _suffix(image.path) not in IMAGE_SUFFIXES:
        return "content files hold PNG, JPEG or WebP infographics only"
    if image.size > MAX_INFOGRAPHIC_BYTES:
        limit = MAX_INFOGRAPHIC_BYTES // 1024
        return f"{image.size // 1024} KB is over the {limit} KB of content files"
    return None


def _kept_files(row: Any) -> list[tuple[str, str]]:
    """(what, storage key) of every file of a clip or an infographic."""
    if isinstance(row, Clip):
        files = [
            ("video", row.path),
            ("poster", row.poster_path),
            ("WebP poster", row.poster_webp_path),
            ("captions", row.captions_path),
            ("low-data video", row.low_path if row.low_path != row.path else None),
        ]
    else:
        files = [("image", row.path)]
        for variant in row.variants or []:
            files += [
                (f"{variant['width']} px {kind}", variant.get(kind)) for kind in ("webp", "jpeg")
            ]
    return [(what, key) for what, key in files if key]


def _pick(
    rows: list[Any],
    problem: Callable[[Any], str | None],
    kind: str,
    number: int,
    notes: list,
    where: Callable[[str], str] = str,
) -> Any | None:
    """The published row to export: one loaded from files first (a later load would
    unpublish it otherwise), else the first upload that fits. Each file of the others gets a
    note saying why it was not exported and where it is kept (where: storage key -> place)."""
    published = [r for r in rows if r.published and r.archived_at is None]
    ordered = sorted(published, key=lambda r: (bool(r.original_name), r.position, r.id))
    chosen = next((r for r in ordered if problem(r) is None), None)
    for row in published:
        if row is not chosen:
            reason = problem(row) or "a content folder holds one; the others stay in the studio"
            name = f" “{row.original_name}”" if row.original_name else ""
            for what, key in _kept_files(row):
                notes.append(
                    f"{number:02d}: {kind} {row.id}{name} not exported ({reason}): "
                    f"its {what} is kept at {where(key)}"
                )
    return chosen


TEXT_MEDIA = (".vtt",)  # text media: line endings do not change their content


def file_sha256(path: Path) -> str | None:
    """The SHA-256 (hex) of a file's bytes, of text media (captions) with LF line endings;
    None when there is no such file."""
    if not path.is_file():
        return None
    data = path.read_bytes()
    return hashlib.sha256(normalised(data) if path.suffix in TEXT_MEDIA else data).hexdigest()


def reference_hashes(folders: list[Path], files: Mapping[str, str]) -> tuple[str, str] | None:
    """source_hash and text_hash of the first media.yaml among folders that names exactly
    these files with exactly these bytes (name -> storage key, keyed by sha256)."""
    for folder in folders:
        try:
            meta = yaml.safe_load((folder / "media.yaml").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if not isinstance(meta, dict):
            continue
        named = {
            name
            for part in ("clip", "infographic")
            if isinstance(meta.get(part), dict)
            for key, name in meta[part].items()
            if key in ("file", "poster", "captions")
        }
        if named == set(files) and all(
            file_sha256(folder / name) == Path(key).stem for name, key in files.items()
        ):
            return str(meta.get("source_hash") or ""), str(meta.get("text_hash") or "")
    return None


def plan_media(
    indicator: Indicator,
    references: list[Path],
    row: dict[str, Any] | None,
    lesson: bytes | None,
    where: Callable[[str], str] = str,
) -> MediaPlan:
    """The media folder of one indicator. Media identical to a reference folder's keep its
    hashes; other media were chosen for the text exported with them, so text_hash is that
    text's (row: the indicators.csv row, None for the survey basics)."""
    plan = MediaPlan()
    number = indicator.number
    clip = _pick(indicator.clips, clip_problem, "clip", number, plan.warnings, where)
    image = _pick(
        indicator.infographics, image_problem, "infographic", number, plan.warnings, where
    )
    clip_file = image_file = None
    if clip is not None:
        key, size = clip_file_of(clip)
        plan.files.update(
            zip(MEDIA_NAMES, (key, clip.poster_path, clip.captions_path), strict=True)
        )
        clip_file = ClipFile(*MEDIA_NAMES, duration=clip.duration, size=size)
    if image is not None:
        name = f"infographic.{_suffix(image.path)}"
        plan.files[name] = image.path
        image_file = InfographicFile(
            name, image.width, image.height, image.alt_th, image.alt_en, image.size
        )
    if not plan.files:
        return plan
    hashes = reference_hashes(references, plan.files)
    if hashes is None:
        lesson_text = lesson.decode() if lesson is not None else None
        hashes = ("", text_hash(row, lesson_text) if row is not None else "")
    plan.yaml = media_yaml(Media(clip_file, image_file, *hashes), number)
    return plan
