"""The generated media in content/indicators/NN/media/ are complete, small and well formed.

Built by scripts/build_media.py; these checks need neither the app nor ffmpeg.
"""

import csv
import re
from pathlib import Path

import pytest
import yaml
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
INDICATORS = ROOT / "content" / "indicators"
NUMBERS = range(1, 39)
MAX_CLIP = 400 * 1024
MAX_INFOGRAPHIC = 150 * 1024
NO_CRITERION = "เกณฑ์ตามคู่มือการจัดเก็บข้อมูล จปฐ. ปี 2566-2570"
THAI = re.compile(r"[\u0e01-\u0e5b]")
CUE_TIMING = re.compile(
    r"^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})$", re.MULTILINE
)


def media_dir(number: int) -> Path:
    return INDICATORS / f"{number:02d}" / "media"


def load_meta(number: int) -> dict:
    path = media_dir(number) / "media.yaml"
    assert path.is_file(), f"{path} is missing: run scripts/build_media.py"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def seconds(h: str, m: str, s: str, ms: str) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


@pytest.mark.parametrize("number", NUMBERS)
def test_media_yaml_describes_the_indicator(number):
    meta = load_meta(number)
    assert meta["version"] == 1
    assert meta["indicator"] == number
    assert meta["clip"]["file"] == "clip.mp4"
    assert meta["clip"]["poster"] == "poster.jpg"
    assert meta["clip"]["captions"] == "captions.th.vtt"
    assert meta["clip"]["duration"] > 0
    assert meta["infographic"]["file"] == "infographic.png"
    assert THAI.search(meta["infographic"]["alt_th"])
    assert meta["infographic"]["alt_en"].strip()
    assert re.fullmatch(r"[0-9a-f]{64}", meta["source_hash"])


@pytest.mark.parametrize("number", NUMBERS)
def test_clip_is_a_small_mp4(number):
    meta = load_meta(number)
    clip = media_dir(number) / meta["clip"]["file"]
    assert clip.stat().st_size <= MAX_CLIP
    with clip.open("rb") as fh:
        assert fh.read(8)[4:8] == b"ftyp"


@pytest.mark.parametrize("number", NUMBERS)
def test_infographic_is_a_small_png_of_the_stated_size(number):
    meta = load_meta(number)
    path = media_dir(number) / meta["infographic"]["file"]
    assert path.stat().st_size <= MAX_INFOGRAPHIC
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == (meta["infographic"]["width"], meta["infographic"]["height"])


@pytest.mark.parametrize("number", NUMBERS)
def test_poster_is_a_jpeg(number):
    meta = load_meta(number)
    path = media_dir(number) / meta["clip"]["poster"]
    assert path.read_bytes()[:3] == b"\xff\xd8\xff"
    with Image.open(path) as image:
        assert image.format == "JPEG"


@pytest.mark.parametrize("number", NUMBERS)
def test_captions_are_thai_webvtt_covering_the_clip(number):
    meta = load_meta(number)
    text = (media_dir(number) / meta["clip"]["captions"]).read_text(encoding="utf-8")
    assert text.startswith("WEBVTT")
    cues = [block for block in text.split("\n\n")[1:] if "-->" in block]
    assert cues, "no cue"
    assert any(THAI.search(cue.split("-->", 1)[1]) for cue in cues)
    ends = [seconds(*m.groups()[4:]) for m in CUE_TIMING.finditer(text)]
    assert len(ends) == len(cues)
    assert ends[-1] == pytest.approx(meta["clip"]["duration"], abs=0.05)


def criteria() -> dict[int, str]:
    with (ROOT / "content" / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        return {int(row["number"]): row["criterion_th"].strip() for row in csv.DictReader(fh)}


def statuses() -> dict[int, str]:
    with (ROOT / "content" / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        return {int(row["number"]): row["status"] for row in csv.DictReader(fh)}


@pytest.mark.parametrize("number", NUMBERS)
def test_captions_state_the_csv_criterion_and_never_invent_one(number):
    """The narrator says the list's criterion where it has one (over one or more cues); without
    one, a provisional clip says it awaits the 2566-2570 manual and a carried-over clip teaches
    the 2560-2564 form, naming its edition."""
    meta = load_meta(number)
    text = (media_dir(number) / meta["clip"]["captions"]).read_text(encoding="utf-8")
    said = "".join(
        line for line in text.splitlines()[1:] if "-->" not in line and not line.isdigit()
    ).replace(" ", "")
    criterion = criteria()[number]
    if criterion:
        assert criterion.replace(" ", "") in said
    elif statuses()[number] == "provisional":
        assert "รอคู่มือการจัดเก็บข้อมูลจปฐ.ปี2566-2570" in said
    else:
        assert "ฉบับ2560-2564" in said
