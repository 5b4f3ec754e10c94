"""Clip renditions: what volunteers are served reveals nothing of the phone that recorded the
clip (no place, time, title or device tags), costs little (at most 720p, about 1 Mbit/s,
playable before it has fully arrived), and the original upload stays in the studio."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.auth.models import Role
from app.content.models import Clip, Indicator
from app.db import get_session
from app.media.tasks import queue_processing
from app.media.video import make_phone_rendition
from app.storage import get_storage

from ..conftest import ROOT, thai
from .test_clips import run_jobs

LATITUDE = "+18.7756"  # Nan, as a phone's GPS writes it (ISO 6709)
LOCATION = f"{LATITUDE}+100.7730/"
TITLE = "บ้านนางสาวตัวอย่าง หมู่ 3"
RECORDER = "Core Media Video"  # an iPhone's handler name
REVEALING = ("location", "title", "creation_time", "com.apple", "comment", "artist", "date")
RENDITIONS = ("phone_path", "low_path")
PREPARING = "The video is being prepared. Please come back later."


def top_boxes(path: Path) -> list[str]:
    """The types of an MP4's top-level boxes, in file order (read from the box headers)."""
    kinds = []
    with path.open("rb") as handle:
        size_total = path.stat().st_size
        at = 0
        while at + 8 <= size_total:
            handle.seek(at)
            header = handle.read(16)
            size, kind = int.from_bytes(header[:4], "big"), header[4:8].decode("latin-1")
            if size == 1:
                size = int.from_bytes(header[8:16], "big")
            elif size == 0:
                size = size_total - at
            kinds.append(kind)
            at += size
    return kinds


def probe(path: Path) -> dict:
    """ffprobe's tags (container and streams), picture size and bit rates of a file."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", "-show_entries",
         "format=bit_rate:format_tags:stream=codec_type,codec_name,width,height,profile,"
         "r_frame_rate:"
         "stream_tags", str(path)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(out)


def revealing_tags(data: dict) -> dict[str, str]:
    """Tags (container or stream) that say where, when, what or on which device."""
    found = {}
    for part in [data.get("format", {}), *data.get("streams", [])]:
        for name, value in (part.get("tags") or {}).items():
            if any(word in name.lower() for word in REVEALING) or value == RECORDER:
                found[name] = value
    return found


@pytest.fixture(scope="session")
def gps_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-second 1280x720 MP4 at about 4 Mbit/s as a phone leaves it: GPS location, title,
    creation time, Apple tags and the recording app's handler name; moov after mdat."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed (make ffmpeg)")
    target = tmp_path_factory.mktemp("gps") / "phone.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y",
         "-f", "lavfi", "-i", "testsrc=size=1280x720:rate=25:duration=2",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
         "-vf", "noise=alls=20:allf=t", "-c:v", "libx264", "-preset", "ultrafast",
         "-b:v", "4M", "-minrate", "4M", "-maxrate", "4M", "-bufsize", "2M",
         "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
         "-metadata", f"location={LOCATION}", "-metadata", f"title={TITLE}",
         "-metadata", "creation_time=2026-11-30T08:15:00Z",
         "-metadata", f"com.apple.quicktime.location.ISO6709={LOCATION}",
         "-metadata:s:v", f"handler_name={RECORDER}",
         "-metadata:s:v", "creation_time=2026-11-30T08:15:00Z",
         "-movflags", "use_metadata_tags", str(target)],
        check=True, timeout=120,
    )  # fmt: skip
    tags = revealing_tags(probe(target))
    assert tags.get("location") == LOCATION and RECORDER in tags.values()
    boxes = top_boxes(target)
    assert boxes.index("mdat") < boxes.index("moov")  # as phones write it: moov at the end
    return target


@pytest.fixture(autouse=True)
def english_ui(client: FlaskClient) -> None:
    """The trainer's test client reads the English UI."""
    client.post("/language", data={"lang": "en"})


def upload(client: FlaskClient, video: Path, name: str):
    """Upload a file as a clip of indicator 0 (the body built in memory: Werkzeug's test
    builder spools a large one to a temporary file it never closes)."""
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(video.read_bytes()), name)})
    return client.post(
        "/studio/indicators/0/clips/new",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def read_clip(app: Flask) -> Clip:
    """The one clip, read fresh (detached)."""
    with app.app_context():
        session = get_session()
        clip = session.scalars(select(Clip)).one()
        session.expunge(clip)
        return clip


@pytest.fixture
def processed(app: Flask, client: FlaskClient, trainer: int, basics: int, gps_video: Path) -> Clip:
    """The phone's clip uploaded by a trainer, processed by the job and published."""
    assert upload(client, gps_video, "IMG_0042.mp4").status_code == 302
    assert run_jobs(app) == 1
    clip = read_clip(app)
    assert clip.state == "ready" and clip.error == ""
    published = client.post(f"/studio/clips/{clip.id}/publish", follow_redirects=True)
    assert "Published" in published.get_data(as_text=True)
    return read_clip(app)


@pytest.fixture
def volunteer(app: Flask, make_user: Callable, login: Callable) -> FlaskClient:
    """A logged-in volunteer's own client."""
    own = app.test_client()
    login(own, make_user(Role.VOLUNTEER))
    return own


def stored(app: Flask, key: str) -> Path:
    """A storage key's file."""
    with app.app_context():
        return get_storage().path(key)


def test_every_served_rendition_is_stripped_small_and_faststart(app, processed, gps_video):
    source = probe(gps_video)
    source_rate = int(source["format"]["bit_rate"])
    assert source_rate > 3_000_000
    for column, most_height in (("phone_path", 720), ("low_path", 360)):
        key = getattr(processed, column)
        assert key and key != processed.path, column
        file = stored(app, key)
        data = probe(file)
        assert revealing_tags(data) == {}, column
        raw = file.read_bytes()
        assert LATITUDE.encode() not in raw and TITLE.encode() not in raw, column
        assert RECORDER.encode() not in raw, column
        video = next(s for s in data["streams"] if s["codec_type"] == "video")
        assert video["codec_name"] == "h264"
        assert video["profile"] in ("Main", "Constrained Baseline")
        assert video["height"] <= most_height and video["width"] * 720 == video["height"] * 1280
        assert int(data["format"]["bit_rate"]) < source_rate / 3, column
        boxes = top_boxes(file)
        assert boxes.index("moov") < boxes.index("mdat"), (column, boxes)  # +faststart
    phone = probe(stored(app, processed.phone_path))
    assert next(s for s in phone["streams"] if s["codec_type"] == "video")["height"] == 720
    assert int(phone["format"]["bit_rate"]) < 1_400_000  # about 1 Mbit/s with 96k of sound
    assert processed.phone_size == stored(app, processed.phone_path).stat().st_size
    for poster in (processed.poster_path, processed.poster_webp_path):
        raw = stored(app, poster).read_bytes()
        assert b"Exif" not in raw and LATITUDE.encode() not in raw, poster


def test_a_smaller_source_is_never_upscaled(app, client, trainer, basics, make_video):
    small = make_video("mp4", size="320x240", seconds=2)
    assert upload(client, small, "small.mp4").status_code == 302
    run_jobs(app)
    data = probe(stored(app, read_clip(app).phone_path))
    video = next(s for s in data["streams"] if s["codec_type"] == "video")
    assert (video["width"], video["height"]) == (320, 240)


def test_an_upright_60_fps_clip_stays_upright_within_720x1280_at_30_fps(tmp_path, gps_video):
    source = tmp_path / "upright.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi",
         "-i", "testsrc=size=900x1600:rate=60:duration=1", "-c:v", "libx264",
         "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         "-metadata", f"location={LOCATION}", str(source)],
        check=True, timeout=120,
    )  # fmt: skip
    make_phone_rendition("ffmpeg", source, tmp_path / "phone.mp4")
    data = probe(tmp_path / "phone.mp4")
    video = next(s for s in data["streams"] if s["codec_type"] == "video")
    assert (video["width"], video["height"]) == (720, 1280)
    assert video["r_frame_rate"] == "30/1" and revealing_tags(data) == {}


def test_volunteers_get_only_the_renditions_and_never_the_original(
    app, client, processed, volunteer
):
    raw, phone, low = processed.path, processed.phone_path, processed.low_path
    page = volunteer.get("/indicators/0").get_data(as_text=True)
    assert f'<source src="/media/{phone}"' in page and raw not in page
    saving = volunteer.get("/indicators/0", headers={"Save-Data": "on"}).get_data(as_text=True)
    assert f'<source src="/media/{low}"' in saving and raw not in saving
    volunteer.post("/save-data", data={"next": "/indicators/0"})
    chosen = volunteer.get("/indicators/0").get_data(as_text=True)
    assert f'<source src="/media/{low}"' in chosen and raw not in chosen
    for key in (phone, low):
        with volunteer.get(f"/media/{key}") as served:
            assert served.status_code == 200 and "public" in served.headers["Cache-Control"]
    assert volunteer.get(f"/media/{raw}").status_code == 404
    assert app.test_client().get(f"/media/{raw}").status_code == 404  # nor to visitors
    with client.get(f"/media/{raw}") as original:  # the trainer's client
        assert original.status_code == 200 and original.data == stored(app, raw).read_bytes()
        assert "private" in original.headers["Cache-Control"]
        assert "public" not in original.headers["Cache-Control"]
    studio = client.get(f"/studio/clips/{processed.id}").get_data(as_text=True)
    assert raw in studio and phone in studio


def test_the_offline_list_saves_the_low_version_and_never_the_original(app, processed, volunteer):
    data = volunteer.get("/offline/list?scope=basics").get_json()
    clips = [item["url"] for item in data["clips"]]
    files = [item["url"] for item in data["files"]]
    assert clips == [f"/media/{processed.low_path}"]
    assert not any(processed.path in url for url in clips + files + list(data["aliases"]))
    assert data["aliases"][f"/media/{processed.phone_path}"] == f"/media/{processed.low_path}"


def test_until_the_phone_version_is_made_volunteers_see_a_note_not_the_original(
    app, volunteer, basics, gps_video
):
    with app.app_context():  # a shipped clip just loaded, before `media process-pending`
        session = get_session()
        key = get_storage().save_file(gps_video)
        session.add(Clip(indicator_id=basics, path=key.key, size=key.size, state="ready"))
        session.commit()
    page = volunteer.get("/indicators/0").get_data(as_text=True)
    assert thai(app, PREPARING) in page
    assert "<video" not in page and key.key not in page
    assert volunteer.get(f"/media/{key.key}").status_code == 404
    assert volunteer.get("/offline/list?scope=basics").get_json()["clips"] == []


def test_shipped_and_older_clips_get_stripped_renditions_from_process_pending(
    app, runner, basics, gps_video
):
    with app.app_context():
        session = get_session()
        source = get_storage().save_file(gps_video)
        # Processed before renditions: its "low-data version" was the original itself.
        clip = Clip(
            indicator_id=basics, path=source.key, size=source.size, state="ready",
            duration=2.0, low_path=source.key, low_size=source.size,
        )  # fmt: skip
        session.add(clip)
        session.commit()
    result = runner.invoke(args=["media", "process-pending"])
    assert "queued for processing: 1 of 1" in result.output
    assert run_jobs(app) == 1
    clip = read_clip(app)
    assert clip.phone_path and clip.low_path and source.key not in (clip.phone_path, clip.low_path)
    for column in RENDITIONS:
        assert revealing_tags(probe(stored(app, getattr(clip, column)))) == {}
    assert stored(app, source.key).is_file()  # the original stays for the studio
    again = runner.invoke(args=["media", "process-pending"])
    assert "queued for processing: 0 of 0" in again.output


def test_a_low_version_made_before_stripping_is_replaced_and_deleted(app, basics, gps_video):
    with app.app_context():
        session = get_session()
        storage = get_storage()
        source = storage.save_file(gps_video)
        made_before = b"\x00\x00\x00\x18ftypmp42 old low " + LOCATION.encode()
        old_low = storage.save(io.BytesIO(made_before), "mp4")
        clip = Clip(
            indicator_id=basics, path=source.key, size=source.size, state="ready",
            duration=2.0, low_path=old_low.key, low_size=old_low.size,
        )  # fmt: skip
        session.add(clip)
        session.commit()
        assert queue_processing(clip.id)
    assert run_jobs(app) == 1
    clip = read_clip(app)
    assert clip.phone_path and clip.low_path != old_low.key
    with app.app_context():
        assert not get_storage().exists(old_low.key)


def test_a_retried_job_changes_nothing(app, processed, media_root):
    columns = ("state", "phone_path", "phone_size", "low_path", "low_size", "poster_path")
    first = [getattr(processed, c) for c in columns]
    files = sorted(p for p in media_root.rglob("*") if p.is_file())
    with app.app_context():
        assert queue_processing(processed.id) and queue_processing(processed.id)
    assert run_jobs(app) == 2
    again = read_clip(app)
    assert [getattr(again, c) for c in columns] == first
    assert sorted(p for p in media_root.rglob("*") if p.is_file()) == files


def test_an_exported_upload_writes_its_phone_version_and_loads_back_unchanged(
    app, content, tmp_path, gps_video
):
    from app.content_io.export import export_content
    from app.content_io.load import load_content

    small = tmp_path / "small.mp4"  # within the content files' 400 KB, tags and all
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(gps_video), "-t", "1", "-vf", "scale=320:180",
         "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-movflags",
         "use_metadata_tags", str(small)],
        check=True, timeout=120,
    )  # fmt: skip
    with app.app_context():
        session = get_session()
        indicator = session.scalar(select(Indicator).where(Indicator.number == 7))
        shipped = indicator.clips[0]
        key = get_storage().save_file(small)
        upload = Clip(
            indicator=indicator, path=key.key, size=key.size, state="processing",
            original_name="IMG_0042.mp4", published=False, position=9,
            captions_path=shipped.captions_path,
        )  # fmt: skip
        session.add(upload)
        session.commit()
        assert queue_processing(upload.id)
    assert run_jobs(app) == 1
    with app.app_context():
        session = get_session()
        upload = session.get(Clip, upload.id)
        upload.indicator.clips[0].published = False
        upload.published = True
        session.commit()
        phone = get_storage().path(upload.phone_path).read_bytes()
        root = tmp_path / "out"
        export_content(session, root / "content", root / "quizzes", get_storage(),
                       reference=ROOT / "content")  # fmt: skip
        written = (root / "content/indicators/07/media/clip.mp4").read_bytes()
        assert written == phone and LATITUDE.encode() not in written
        changes = load_content(session, root / "content", root / "quizzes", get_storage())
        assert changes.total == 0
        session.rollback()
