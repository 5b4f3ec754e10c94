"""The content/ folder's file formats, parsed into frozen dataclasses (see content/README.md)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from .models import BASICS, LESSON_SECTIONS, STATUSES
from .yamlfile import (
    ContentError,
    Located,
    parse_yaml,
    read_text,
    require_int,
    require_text,
    require_version,
)

INDICATOR_COLUMNS = [
    "number",
    "category",
    "category_th",
    "category_en",
    "title_th",
    "title_en",
    "target_group_th",
    "criterion_th",
    "status",
]
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_CLIP_BYTES = 400 * 1024
MAX_INFOGRAPHIC_BYTES = 150 * 1024


@dataclass(frozen=True)
class IndicatorRow:
    """One row of the indicator list."""

    number: int
    category: int
    category_th: str
    category_en: str
    title_th: str
    title_en: str
    target_group_th: str
    criterion_th: str
    status: str


@dataclass(frozen=True)
class Lesson:
    """An indicator's lesson text, one Markdown string per section."""

    indicator: int
    measures: str
    target_group: str
    how_to_ask: str
    how_to_record: str
    pitfalls: str
    title_th: str = ""  # only the survey basics lesson (number 0) carries its own title
    title_en: str = ""


@dataclass(frozen=True)
class Faq:
    """One FAQ card."""

    slug: str
    order: int
    title: str
    body: str


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
    text_hash: str  # the text the media were made from (see text.text_hash)


def read_indicator_csv(path: Path) -> list[IndicatorRow]:
    """Parse the indicator list; numbers must be 1..N without gaps, categories consistent."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != INDICATOR_COLUMNS:
            raise ContentError(path, None, f"columns must be {','.join(INDICATOR_COLUMNS)}", 1)
        rows: list[IndicatorRow] = []
        categories: dict[int, tuple[str, str]] = {}
        for line, raw in enumerate(reader, start=2):
            values = {k: (raw.get(k) or "").strip() for k in INDICATOR_COLUMNS}
            for field in ("number", "category"):
                if not values[field].isdigit() or int(values[field]) < 1:
                    raise ContentError(path, field, "must be a positive whole number", line)
            for field in ("category_th", "category_en", "title_th", "title_en"):
                if not values[field]:
                    raise ContentError(path, field, "is empty", line)
            if values["status"] not in STATUSES:
                raise ContentError(path, "status", f"must be one of {', '.join(STATUSES)}", line)
            row = IndicatorRow(
                **{
                    **values,
                    "number": int(values["number"]),
                    "category": int(values["category"]),
                }
            )
            names = (row.category_th, row.category_en)
            if categories.setdefault(row.category, names) != names:
                raise ContentError(
                    path, "category_th", f"category {row.category} is named differently", line
                )
            if row.number != len(rows) + 1:
                raise ContentError(path, "number", f"expected {len(rows) + 1} (in order)", line)
            rows.append(row)
    if not rows:
        raise ContentError(path, None, "has no indicators")
    return rows


def _check_indicator(doc: Located, number: int) -> None:
    require_version(doc)
    if doc.data.get("indicator") != number:
        raise doc.error("indicator", f"must be {number} (the folder's number)")


def read_lesson(path: Path, number: int) -> Lesson:
    """Parse indicators/NN/lesson.yaml."""
    doc = parse_yaml(path)
    _check_indicator(doc, number)
    titles = ("title_th", "title_en") if number == BASICS else ()
    unknown = set(doc.data) - {"version", "indicator", *LESSON_SECTIONS, *titles}
    if unknown:
        field = sorted(unknown)[0]
        allowed = ", ".join((*titles, *LESSON_SECTIONS))
        raise doc.error(field, f"unknown field (allowed: {allowed})")
    optional = {"target_group", "pitfalls"}
    texts = {s: require_text(doc, s, optional=s in optional) for s in LESSON_SECTIONS}
    texts.update({t: require_text(doc, t) for t in titles})
    return Lesson(indicator=number, **texts)


def read_faq(path: Path) -> Faq:
    """Parse one faq/<slug>.md card: YAML front matter between '---' lines, then Markdown."""
    text = read_text(path)
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ContentError(path, None, "must start with '---' front matter", 1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ContentError(path, None, "front matter is not closed with '---'", 1) from None
    doc = parse_yaml(path, "\n".join(lines[1:end]), line_offset=1)
    require_version(doc)
    slug = path.stem
    if not SLUG.fullmatch(slug):
        raise ContentError(path, None, "file name must be a slug: a-z, 0-9 and '-'")
    body = "\n".join(lines[end + 1 :]).strip()
    if not body:
        raise ContentError(path, "body", "is empty", end + 2)
    return Faq(
        slug=slug,
        order=require_int(doc, "order", 0, 999),
        title=require_text(doc, "title"),
        body=body,
    )


def read_faqs(folder: Path) -> list[Faq]:
    """Every card in indicators/NN/faq/, ordered; slugs are unique by construction."""
    if not folder.is_dir():
        return []
    cards = [read_faq(p) for p in sorted(folder.glob("*.md"))]
    return sorted(cards, key=lambda c: (c.order, c.slug))


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
    _check_indicator(doc, number)
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
