"""Video checks with the real ffprobe/ffmpeg: probe, signature fallback, poster, low variant."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from app.media.video import (
    BadVideo,
    ToolFailed,
    check_video,
    last_line,
    make_low_variant,
    make_poster,
    poster_time,
    sniff,
)

FFPROBE = "ffprobe"


def stream_info(path: Path, kind: str = "v") -> dict:
    """ffprobe's view of a file's first stream of a kind."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", f"{kind}:0", "-of", "json",
         "-show_entries", "stream=codec_name,width,height,bit_rate", str(path)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    streams = json.loads(out)["streams"]
    return streams[0] if streams else {}


def test_probe_accepts_a_real_mp4(make_video: Callable[..., Path]):
    info = check_video(make_video("mp4"), FFPROBE)
    assert (info.container, info.width, info.height) == ("mp4", 64, 64)
    assert info.duration == pytest.approx(1.0, abs=0.1)


def test_probe_accepts_a_real_webm(make_video: Callable[..., Path]):
    info = check_video(make_video("webm"), FFPROBE)
    assert info.container == "webm"
    assert info.duration == pytest.approx(1.0, abs=0.1)


def test_empty_mp4_is_refused(tmp_path: Path):
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(BadVideo, match="empty"):
        check_video(empty, FFPROBE)


def test_text_renamed_mp4_is_refused_without_showing_server_paths(tmp_path: Path):
    text = tmp_path / "notes.mp4"
    text.write_text("This is a shopping list, not a video.\n" * 20)
    with pytest.raises(BadVideo) as refused:
        check_video(text, FFPROBE)
    assert "not a video" in str(refused.value) or "format" in str(refused.value)
    assert str(tmp_path) not in str(refused.value)


def test_image_renamed_mp4_is_refused(tmp_path: Path):
    image = tmp_path / "photo.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=red:s=64x64",
         "-frames:v", "1", "-f", "image2", "-c:v", "png", str(image)],
        check=True,
    )  # fmt: skip
    with pytest.raises(BadVideo, match="MP4 and WebM"):
        check_video(image, FFPROBE)


def test_truncated_mp4_is_refused(tmp_path: Path, make_video: Callable[..., Path]):
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(make_video("mp4").read_bytes()[:600])
    with pytest.raises(BadVideo):
        check_video(cut, FFPROBE)


def test_signature_fallback_knows_mp4_and_webm(make_video: Callable[..., Path]):
    assert check_video(make_video("mp4"), None).container == "mp4"
    assert check_video(make_video("webm"), None).container == "webm"
    assert check_video(make_video("webm"), None).duration is None  # no ffprobe, no length


@pytest.mark.parametrize(
    "head",
    [
        b"hello, this is text renamed to .mp4",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska",  # EBML, but not webm
        b"\x00\x00\x00\x18moov",
    ],
)
def test_signature_fallback_refuses_other_files(head: bytes):
    with pytest.raises(BadVideo, match="MP4 and WebM"):
        sniff(head)


def test_poster_is_a_jpeg_from_a_second_in(tmp_path: Path, make_video: Callable[..., Path]):
    poster = tmp_path / "poster.jpg"
    make_poster("ffmpeg", make_video("mp4", size="320x240", seconds=3), poster, 3.0)
    assert poster.read_bytes()[:3] == b"\xff\xd8\xff"
    assert poster_time(30) == 1.0
    assert poster_time(3) == pytest.approx(0.3)


def test_low_variant_is_360p_h264_aac_under_400_kbits_with_faststart(
    tmp_path: Path, make_video: Callable[..., Path]
):
    source = make_video("mp4", size="1280x720", seconds=3, bitrate="6M", audio=True)
    low = tmp_path / "low.mp4"
    make_low_variant("ffmpeg", source, low)
    video, audio = stream_info(low, "v"), stream_info(low, "a")
    assert video["codec_name"] == "h264" and audio["codec_name"] == "aac"
    assert (video["width"], video["height"]) == (640, 360)
    assert int(video["bit_rate"]) <= 400_000
    data = low.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat"), "the index must come first (+faststart)"
    assert low.stat().st_size < source.stat().st_size / 5


def test_low_variant_keeps_small_pictures_and_odd_sizes_even(
    tmp_path: Path, make_video: Callable[..., Path]
):
    low = tmp_path / "low.mp4"
    make_low_variant("ffmpeg", make_video("webm", size="202x150"), low)
    video = stream_info(low)
    assert video["height"] == 150 and video["width"] % 2 == 0


def test_a_broken_file_fails_with_ffmpegs_last_error_line(tmp_path: Path):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 500)
    with pytest.raises(ToolFailed) as failed:
        make_low_variant("ffmpeg", broken, tmp_path / "low.mp4")
    assert str(failed.value) and str(tmp_path) not in str(failed.value)


def test_last_line_keeps_the_error_and_hides_paths():
    text = "warning one\n/srv/media/ab/x.mp4: Invalid data found when processing input\n\n"
    assert last_line(text, (Path("/srv/media/ab/x.mp4"),)) == (
        "Invalid data found when processing input"
    )
