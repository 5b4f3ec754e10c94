"""Clip renditions: what a phone downloads per clip, against the raw upload.

Run: `.venv/bin/python bench/clip_renditions.py`. Needs ffmpeg. Makes a 30-second 1280x720
MP4 at about 4 Mbit/s as a phone leaves it (a GPS location and a title tag, moov at the end;
cached under /tmp/bmn-bench/), then runs the processing job's own transcodes on it (the phone
rendition and the low-data version, app/media/video.py) and prints each file's size, bit rate,
picture size, box order and tags, and how long each transcode took on this machine.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.media.video import make_low_variant, make_phone_rendition  # noqa: E402

CACHE = Path("/tmp/bmn-bench")
SECONDS = 30
LOCATION = "+18.7756+100.7730/"


def make_source() -> Path:
    """The 30-second phone clip (made once, then reused from /tmp)."""
    clip = CACHE / "clip-30s-720p-4mbit-gps.mp4"
    if clip.is_file():
        return clip
    CACHE.mkdir(parents=True, exist_ok=True)
    print("making a 30 s 1280x720 4 Mbit/s test clip with ffmpeg (once) ...", flush=True)
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=30:duration={SECONDS}",
         "-f", "lavfi", "-i", f"sine=frequency=440:duration={SECONDS}",
         "-vf", "noise=alls=12:allf=t", "-c:v", "libx264", "-preset", "veryfast",
         "-b:v", "4M", "-minrate", "4M", "-maxrate", "4M", "-bufsize", "4M",
         "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-shortest",
         "-metadata", f"location={LOCATION}", "-metadata", "title=IMG_0042",
         "-metadata", "creation_time=2026-11-30T08:15:00Z", str(clip)],
        check=True,
    )  # fmt: skip
    return clip


def describe(path: Path) -> str:
    """Size, bit rate, picture size, whether moov comes first, and the revealing tags."""
    data = json.loads(
        subprocess.run(
            [
                "ffprobe",
                "-v",
                "error",
                "-of",
                "json",
                "-show_entries",
                "format=bit_rate:format_tags:stream=codec_type,width,height:stream_tags",
                str(path),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout  # fmt: skip
    )
    video = next(s for s in data["streams"] if s["codec_type"] == "video")
    tags = [
        name
        for part in [data["format"], *data["streams"]]
        for name in (part.get("tags") or {})
        if any(w in name.lower() for w in ("location", "title", "creation_time", "com.apple"))
    ]
    head = path.read_bytes()[:4096]
    moov, mdat = head.find(b"moov"), head.find(b"mdat")
    faststart = moov != -1 and (mdat == -1 or moov < mdat)
    size = path.stat().st_size
    return (
        f"{size / 1e6:6.2f} MB, {int(data['format']['bit_rate']) / 1000:5.0f} kbit/s, "
        f"{video['width']}x{video['height']}, moov first: {'yes' if faststart else 'no '}, "
        f"revealing tags: {', '.join(sorted(set(tags))) or 'none'}"
    )


def main() -> int:
    """Transcode the source both ways and print the figures."""
    if shutil.which("ffmpeg") is None:
        print("ffmpeg is not installed (make ffmpeg)")
        return 1
    source = make_source()
    print(f"source (raw upload)   {describe(source)}")
    with tempfile.TemporaryDirectory(prefix="bmn-bench-") as folder:
        makers = (("phone rendition", make_phone_rendition), ("low-data", make_low_variant))
        for name, make in makers:
            target = Path(folder) / f"{name.split()[0]}.mp4"
            start = time.perf_counter()
            make("ffmpeg", source, target)
            took = time.perf_counter() - start
            print(f"{name:<21} {describe(target)}; transcode {took:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
