"""Video files: ffprobe checks, the container signature fallback, poster, phone rendition and
low-data variant.

Plain functions of paths and tool names; nothing here touches the database or the request.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l

from ..errors import DomainError

MP4_FORMATS = {"mov", "mp4", "m4a", "3gp", "3g2", "mj2"}  # ffprobe's "mov,mp4,m4a,..." family
WEBM_FORMATS = {"matroska", "webm"}
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
DOCTYPE_ID = b"\x42\x82"
HEAD_BYTES = 4096
PROBE_TIMEOUT = 60
TRANSCODE_TIMEOUT = 3600
# The low-data variant: at most 360 px high (width keeps the aspect, both even), H.264/AAC.
# CRF keeps simple pictures (slides, talking heads) far below the cap; the VBV cap (350k with
# a one-second buffer that starts a quarter full) keeps busy pictures under 400 kbit/s on
# average even for clips of a couple of seconds.
LOW_HEIGHT = 360
LOW_VIDEO = [
    "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-crf", "28",
    "-maxrate", "350k", "-bufsize", "350k", "-x264-params", "vbv-init=0.25",
]  # fmt: skip
LOW_AUDIO = ["-c:a", "aac", "-b:a", "64k", "-ac", "1"]
# The phone rendition every volunteer gets by default: H.264 main (old Android phones play it),
# at most 1280x720 (720x1280 upright), never upscaled, about 1 Mbit/s (CRF, capped by the VBV),
# at most 30 frames a second, AAC 96 kbit/s stereo.
PHONE_LONG, PHONE_SHORT = 1280, 720
PHONE_VIDEO = [
    "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-crf", "23",
    "-maxrate", "1000k", "-bufsize", "1000k", "-x264-params", "vbv-init=0.5",
    "-fpsmax", "30",
]  # fmt: skip
PHONE_AUDIO = ["-c:a", "aac", "-b:a", "96k", "-ac", "2"]
# What a served rendition must not carry from the phone that recorded it: no container or
# stream tags (location, creation_time, com.apple.quicktime.*, title, the handler names of
# the recording app), no chapters, no data or subtitle tracks (GPS tracks ride in those);
# only the first picture and the first sound are mapped. -fflags +bitexact leaves out
# ffmpeg's own version tags. The moov atom goes
# first (+faststart): a phone starts playing before the whole file has arrived.
STRIP = [
    "-map_metadata", "-1", "-map_metadata:s", "-1", "-map_chapters", "-1", "-dn", "-sn",
    "-metadata:s:v", "handler_name=", "-metadata:s:a", "handler_name=",
    "-fflags", "+bitexact", "-movflags", "+faststart",
]  # fmt: skip


class BadVideo(DomainError):
    """An upload that is not an MP4 or WebM video this app can use."""


class ToolFailed(Exception):
    """ffmpeg or ffprobe failed; the message is its last error line."""


@dataclass(frozen=True)
class VideoInfo:
    """What a check learned about a video: container ("mp4"/"webm"), and from ffprobe the
    duration in seconds and the picture size (None when only the signature was checked)."""

    container: str
    duration: float | None = None
    width: int | None = None
    height: int | None = None


def find_tool(name: str) -> str | None:
    """The executable's path when installed (a name on PATH or a path), else None."""
    return shutil.which(name)


def last_line(text: str, paths: tuple[Path, ...] = ()) -> str:
    """The last non-empty line of a tool's output (its error, with -v error), kept short,
    with the server's file paths cut out."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = lines[-1] if lines else "no output"
    for path in paths:
        line = line.replace(f"{path}: ", "").replace(str(path), path.name)
    return line[:300]


def _run(args: list[str], timeout: float, *paths: Path) -> subprocess.CompletedProcess[str]:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as error:
        raise ToolFailed(f"{Path(args[0]).name} took longer than {timeout:.0f} s") from error
    if done.returncode != 0:
        raise ToolFailed(last_line(done.stderr, paths))
    return done


def read_probe(ffprobe: str, path: Path) -> dict:
    """ffprobe's JSON for a file: formats, streams, durations (ToolFailed if unreadable)."""
    args = [
        ffprobe, "-v", "error", "-of", "json", "-show_entries",
        "format=format_name,duration:stream=codec_type,width,height,duration:"
        "stream_disposition=attached_pic",
        str(path),
    ]  # fmt: skip
    try:
        return json.loads(_run(args, PROBE_TIMEOUT, path).stdout or "{}")
    except json.JSONDecodeError as error:
        raise ToolFailed("ffprobe gave no readable answer") from error


def _video_streams(data: dict) -> list[dict]:
    return [
        s
        for s in data.get("streams", [])
        if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")
    ]


def duration_of(ffprobe: str, path: Path) -> float | None:
    """A video's duration in seconds, for the processing job (ToolFailed if unreadable)."""
    data = read_probe(ffprobe, path)
    streams = _video_streams(data)
    return _seconds(data.get("format", {}).get("duration")) or (
        _seconds(streams[0].get("duration")) if streams else None
    )


def probe(ffprobe: str, path: Path) -> VideoInfo:
    """Check an upload with ffprobe: a known container, a video stream, a duration above 0."""
    try:
        data = read_probe(ffprobe, path)
    except ToolFailed as error:
        raise BadVideo(
            _l("This is not a video file we can read (%(reason)s).", reason=str(error))
        ) from error
    formats = set(data.get("format", {}).get("format_name", "").split(","))
    if formats & MP4_FORMATS:
        container = "mp4"
    elif formats & WEBM_FORMATS:
        container = "webm"
    else:
        raise BadVideo(
            _l(
                "Only MP4 and WebM clips are accepted; this file is another format (%(kind)s).",
                kind=",".join(sorted(formats - {""})) or "?",
            )
        )
    videos = _video_streams(data)
    if not videos:
        raise BadVideo(_l("The file has no video picture (is it sound only?)."))
    duration = _seconds(data["format"].get("duration")) or _seconds(videos[0].get("duration"))
    if not duration:
        raise BadVideo(_l("The clip has no length: it is empty or cut short."))
    return VideoInfo(container, duration, videos[0].get("width"), videos[0].get("height"))


def _seconds(value: str | None) -> float | None:
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    return seconds if seconds and seconds > 0 else None


def sniff(head: bytes) -> VideoInfo:
    """Check a file's first bytes when ffprobe is missing: an ISO BMFF `ftyp` box at offset 4
    (MP4, MOV) or an EBML header whose DocType is webm."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return VideoInfo("mp4")
    if head.startswith(EBML_MAGIC):
        at = head.find(DOCTYPE_ID, 4, 64)
        if at != -1 and len(head) > at + 3:
            size = head[at + 2] & 0x7F  # a one-byte EBML size (0x84 = 4 bytes follow)
            if head[at + 3 : at + 3 + size] == b"webm":
                return VideoInfo("webm")
    raise BadVideo(_l("Only MP4 and WebM clips are accepted; this file is neither."))


def check_video(path: Path, ffprobe: str | None) -> VideoInfo:
    """Check an uploaded file by content: ffprobe when installed, else its signature."""
    if path.stat().st_size == 0:
        raise BadVideo(_l("The file is empty."))
    if ffprobe:
        return probe(ffprobe, path)
    with path.open("rb") as handle:
        return sniff(handle.read(HEAD_BYTES))


def poster_time(duration: float | None) -> float:
    """Where to take the poster frame: at 1 s, or 10% in for clips shorter than 10 s."""
    return 1.0 if duration is None or duration >= 10 else round(duration / 10, 3)


def make_poster(ffmpeg: str, source: Path, target: Path, duration: float | None) -> None:
    """Write a JPEG poster frame (at most 480 px high) from the clip, without the clip's tags
    (ffmpeg's JPEG has no EXIF; -map_metadata -1 keeps it so)."""
    for at in (poster_time(duration), 0.0):
        args = [
            ffmpeg, "-v", "error", "-y", "-ss", str(at), "-i", str(source), "-frames:v", "1",
            "-map_metadata", "-1", "-fflags", "+bitexact",
            "-vf", "scale=-2:'min(480,trunc(ih/2)*2)'", "-q:v", "4", str(target),
        ]  # fmt: skip
        _run(args, PROBE_TIMEOUT, source, target)
        if target.is_file() and target.stat().st_size:
            return
    raise ToolFailed("no picture could be taken from the clip for its poster")


def make_low_variant(ffmpeg: str, source: Path, target: Path) -> None:
    """Write the low-data MP4: at most 360p, about 350 kbit/s video at most, no metadata,
    +faststart."""
    scale = f"scale=-2:'min({LOW_HEIGHT},trunc(ih/2)*2)',format=yuv420p"
    _transcode(ffmpeg, source, target, scale, [*LOW_VIDEO, *LOW_AUDIO])


def phone_scale() -> str:
    """The phone rendition's picture: inside 1280x720 (720x1280 when upright) keeping the
    aspect, never larger than the source, both sides even, 4:2:0."""
    landscape = "gte(iw,ih)"
    width = f"'if({landscape},min(iw,{PHONE_LONG}),min(iw,{PHONE_SHORT}))'"
    height = f"'if({landscape},min(ih,{PHONE_SHORT}),min(ih,{PHONE_LONG}))'"
    return (
        f"scale=w={width}:h={height}:force_original_aspect_ratio=decrease"
        ":force_divisible_by=2,format=yuv420p"
    )


def make_phone_rendition(ffmpeg: str, source: Path, target: Path) -> None:
    """Write the phone rendition (the default a volunteer plays): at most 720p, about
    1 Mbit/s, H.264 main and AAC, no metadata, +faststart."""
    _transcode(ffmpeg, source, target, phone_scale(), [*PHONE_VIDEO, *PHONE_AUDIO])


def _transcode(ffmpeg: str, source: Path, target: Path, scale: str, codecs: list[str]) -> None:
    args = [
        ffmpeg, "-v", "error", "-y", "-i", str(source),
        "-map", "0:v:0", "-map", "0:a:0?", "-vf", scale, *codecs, *STRIP, "-f", "mp4",
        str(target),
    ]  # fmt: skip
    _run(args, TRANSCODE_TIMEOUT, source, target)
