"""The media folder's format (content/indicators/NN/media/media.yaml and the files it names):
read into frozen dataclasses, each file checked by its content and size, and written back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..content.yamlfile import Located, file_bytes, flow, parse_yaml, require_indicator, scalar

MAX_CLIP_BYTES = 400 * 1024
MAX_INFOGRAPHIC_BYTES = 150 * 1024


@dataclass(frozen=True)
class ClipFile:
    """A clip and its companions, paths relative to the content root."""

    path: str
    poster: str
    captions: str
    duration: float
    size: int


@dataclass(frozen=True)
class InfographicFile:
    """An infographic, path relative to the content root."""

    path: str
    width: int
    height: int
    alt_th: str
    alt_en: str
    size: int


@dataclass(frozen=True)
class Media:
    """An indicator's generated media."""

    clip: ClipFile | None
    infographic: InfographicFile | None
    source_hash: str
    text_hash: str  # the text the media were made from (see content.text.text_hash)


def _media_file(doc: Located, field: str, folder: Path, root: Path, magic: tuple[bytes, ...]):
    name = doc.data.get(field.split(".")[0], {}).get(field.split(".")[1])
    if not isinstance(name, str) or "/" in name or not name:
        raise doc.error(field, "must be a file name in the media folder")
    file = folder / name
    if not file.is_file():
        raise doc.error(field, f"file {name} is missing")
    head = file.read_bytes()[:12]
    if not any(m in head[: len(m) + 8] for m in magic):
        raise doc.error(field, f"{name} is not the expected file type (checked by content)")
    return file.relative_to(root).as_posix(), file.stat().st_size


def read_media(path: Path, number: int, root: Path) -> Media:
    """Parse indicators/NN/media/media.yaml and check each file by its content and size."""
    doc = parse_yaml(path)
    require_indicator(doc, number)
    folder = path.parent
    clip = infographic = None
    if isinstance(doc.data.get("clip"), dict):
        video, size = _media_file(doc, "clip.file", folder, root, (b"ftyp",))
        if size > MAX_CLIP_BYTES:
            raise doc.error("clip.file", f"is {size // 1024} KB; the limit is 400 KB")
        poster, _ = _media_file(doc, "clip.poster", folder, root, (b"\xff\xd8\xff",))
        captions, _ = _media_file(doc, "clip.captions", folder, root, (b"WEBVTT",))
        duration = doc.data["clip"].get("duration")
        if not isinstance(duration, int | float) or duration <= 0:
            raise doc.error("clip.duration", "must be a positive number of seconds")
        clip = ClipFile(video, poster, captions, float(duration), size)
    elif "clip" in doc.data:
        raise doc.error("clip", "must be a mapping")
    info = doc.data.get("infographic")
    if isinstance(info, dict):
        image, size = _media_file(
            doc, "infographic.file", folder, root, (b"\x89PNG", b"\xff\xd8\xff", b"WEBP")
        )
        if size > MAX_INFOGRAPHIC_BYTES:
            raise doc.error("infographic.file", f"is {size // 1024} KB; the limit is 150 KB")
        dims = {}
        for key in ("width", "height"):
            value = info.get(key)
            if not isinstance(value, int) or value <= 0:
                raise doc.error(f"infographic.{key}", "must be a positive whole number")
            dims[key] = value
        alt = info.get("alt_th")
        if not isinstance(alt, str) or not alt.strip():
            raise doc.error("infographic.alt_th", "is required (what the picture shows)")
        infographic = InfographicFile(
            image, dims["width"], dims["height"], alt.strip(), str(info.get("alt_en") or ""), size
        )
    elif "infographic" in doc.data:
        raise doc.error("infographic", "must be a mapping")
    return Media(
        clip,
        infographic,
        str(doc.data.get("source_hash") or ""),
        str(doc.data.get("text_hash") or ""),
    )


def media_yaml(media: Media, number: int) -> bytes:
    """indicators/NN/media/media.yaml (the layout scripts/build_media.py writes)."""
    lines = ["version: 1", f"indicator: {number}"]
    if media.clip is not None:
        clip = media.clip
        duration = f"{clip.duration:.1f}"
        duration = duration if float(duration) == clip.duration else repr(clip.duration)
        names = (Path(p).name for p in (clip.path, clip.poster, clip.captions))
        values = dict(zip(("file", "poster", "captions"), names, strict=True))
        lines.append(f"clip: {flow({**values, 'duration': duration})}")
    if media.infographic is not None:
        image = media.infographic
        values = {"file": Path(image.path).name, "width": str(image.width)}
        values |= {"height": str(image.height), "alt_th": scalar(image.alt_th, "quoted")}
        lines.append(f"infographic: {flow({**values, 'alt_en': scalar(image.alt_en, 'quoted')})}")
    lines += [f'source_hash: "{media.source_hash}"', f'text_hash: "{media.text_hash}"']
    return file_bytes(lines)
