"""Clips in the studio: upload checked by content, processing job, captions, publish, delete,
save data on the lesson page, and who may open the clip pages."""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import Role, User
from app.content.models import AuditEntry, Clip
from app.db import get_session
from app.jobs import run_pending
from app.media import clips
from app.media.clips import ClipError
from app.media.tasks import queue_processing
from app.storage import get_storage

VTT = (
    b"WEBVTT\n\n00:00.000 --> 00:01.000\n<i>\xe0\xb8\xaa\xe0\xb8\xa7\xe0\xb8\xb1\xe0\xb8\xaa</i>\n"
)


@pytest.fixture(autouse=True)
def english_ui(client: FlaskClient) -> None:
    """The test client reads the English UI (the messages these tests look for)."""
    client.post("/language", data={"lang": "en"})


def post_clip(
    client: FlaskClient, data: bytes | Path, name: str = "clip.mp4", *, xhr: bool = False
):
    """Upload a file as a clip of indicator 0."""
    body = data.read_bytes() if isinstance(data, Path) else data
    headers = {"X-Requested-With": "XMLHttpRequest"} if xhr else {}
    return client.post(
        "/studio/indicators/0/clips/new",
        data={"file": (io.BytesIO(body), name)},
        content_type="multipart/form-data",
        headers=headers,
    )


def run_jobs(app: Flask) -> int:
    """Run every queued job, as the worker would."""
    return run_pending(app.extensions["huey"])


def clip_field(app: Flask, clip_id: int, name: str):
    """One column of a clip, read fresh."""
    with app.app_context():
        return getattr(get_session().get(Clip, clip_id), name)


def only_clip_id(app: Flask) -> int:
    """The id of the one clip in the database."""
    with app.app_context():
        ids = list(get_session().scalars(select(Clip.id)))
    assert len(ids) == 1, ids
    return ids[0]


def clip_count(app: Flask) -> int:
    """How many clip rows exist."""
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(Clip))


@pytest.fixture
def ready_clip(
    app: Flask, client: FlaskClient, trainer: int, basics: int, make_video: Callable
) -> int:
    """A small uploaded clip of indicator 0, processed (ready) but still a draft; its id."""
    assert post_clip(client, make_video("mp4", size="320x240", seconds=2)).status_code == 302
    run_jobs(app)
    clip_id = only_clip_id(app)
    assert clip_field(app, clip_id, "state") == "ready"
    return clip_id


def publish(client: FlaskClient, clip_id: int):
    """Publish a clip through its page."""
    return client.post(f"/studio/clips/{clip_id}/publish", follow_redirects=True)


def video_stream(path: Path) -> dict:
    """ffprobe's view of a file's video stream."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-of", "json",
         "-show_entries", "stream=width,height,bit_rate", str(path)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(out)["streams"][0]


def test_upload_page_has_the_ids_the_browser_tests_use(client, trainer, basics):
    html = client.get("/studio/indicators/0/clips/new").get_data(as_text=True)
    for needle in ('id="clip-upload"', 'id="clip-file"', 'type="file"', 'id="upload-progress"'):
        assert needle in html
    assert 'enctype="multipart/form-data"' in html and "js/upload.js" in html


def test_upload_stores_a_processing_draft_and_queues_one_job(
    app, client, trainer, basics, make_video
):
    source = make_video("mp4")
    response = post_clip(client, source, name="สอนถาม <b>1</b>.mp4")
    clip_id = only_clip_id(app)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/studio/clips/{clip_id}")
    with app.app_context():
        session = get_session()
        clip = session.get(Clip, clip_id)
        assert (clip.state, clip.published, clip.size) == (
            "processing",
            False,
            source.stat().st_size,
        )
        assert clip.duration == pytest.approx(1.0, abs=0.1)
        assert clip.original_name == "สอนถาม <b>1</b>.mp4" and clip.path.endswith(".mp4")
        assert get_storage().path(clip.path).read_bytes() == source.read_bytes()
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "clip.upload"))
        assert entry.user_id == trainer and entry.detail["clip_id"] == clip_id
    assert app.extensions["huey"].pending_count() == 1
    page = client.get(f"/studio/clips/{clip_id}").get_data(as_text=True)
    assert 'id="clip-state"' in page and 'data-state="processing"' in page
    assert "สอนถาม &lt;b&gt;1&lt;/b&gt;.mp4" in page  # the file name is shown escaped


def test_an_upload_without_the_csrf_token_is_refused(app, client, trainer, basics, make_video):
    app.config["WTF_CSRF_ENABLED"] = True  # the view skips the app-wide check; its form checks
    response = post_clip(client, make_video("mp4"))
    assert response.status_code == 400 and "page had expired" in response.get_data(as_text=True)
    xhr = post_clip(client, make_video("mp4"), xhr=True)
    assert xhr.status_code == 400 and "CSRF" in xhr.json["error"]
    assert clip_count(app) == 0


def test_a_webm_upload_is_stored_as_webm(app, client, trainer, basics, make_video):
    assert post_clip(client, make_video("webm"), name="clip.webm").status_code == 302
    assert clip_field(app, only_clip_id(app), "path").endswith(".webm")


def test_the_progress_bar_upload_gets_json_with_the_clip_page(
    app, client, trainer, basics, make_video
):
    response = post_clip(client, make_video("mp4"), xhr=True)
    assert response.status_code == 200
    assert response.json == {"url": f"/studio/clips/{only_clip_id(app)}", "state": "processing"}


@pytest.mark.parametrize(
    ("body", "name", "reason"),
    [
        (b"", "empty.mp4", "The file is empty."),
        (b"Shopping list: rice, eggs, fish sauce.\n" * 50, "notes.mp4", "not a video file"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "photo.mp4", "Only MP4 and WebM clips"),
    ],
)
def test_files_that_are_not_videos_are_refused_with_a_reason(
    app, client, trainer, basics, body, name, reason
):
    response = post_clip(client, body, name=name)
    assert response.status_code == 400
    assert reason in response.get_data(as_text=True)
    assert clip_count(app) == 0
    xhr = post_clip(client, body, name=name, xhr=True)
    assert xhr.status_code == 400 and reason in xhr.json["error"]


def test_an_image_renamed_mp4_is_refused(app, client, trainer, basics, tmp_path):
    image = tmp_path / "photo.png"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=red:s=64x64", "-frames:v", "1",
         str(image)],
        check=True,
    )  # fmt: skip
    response = post_clip(client, image, name="photo.mp4")
    assert response.status_code == 400 and "MP4 and WebM" in response.get_data(as_text=True)
    assert clip_count(app) == 0


def test_without_ffprobe_the_container_signature_decides(app, client, trainer, basics, make_video):
    app.config["FFPROBE"] = "/nonexistent/ffprobe"
    app.config["FFMPEG"] = "/nonexistent/ffmpeg"
    refused = post_clip(client, b"plain text\n" * 100, name="notes.mp4")
    assert refused.status_code == 400
    assert "Only MP4 and WebM clips are accepted" in refused.get_data(as_text=True)
    assert post_clip(client, make_video("webm"), name="a.webm").status_code == 302
    clip_id = only_clip_id(app)
    # No ffmpeg: nothing to process, so the clip is ready at once, with what the check knows.
    assert clip_field(app, clip_id, "state") == "ready"
    assert clip_field(app, clip_id, "duration") is None
    assert app.extensions["huey"].pending_count() == 0


def test_without_ffprobe_but_with_ffmpeg_the_job_still_makes_the_outputs(
    app, client, trainer, basics, make_video
):
    app.config["FFPROBE"] = "/nonexistent/ffprobe"
    assert post_clip(client, make_video("mp4")).status_code == 302
    clip_id = only_clip_id(app)
    assert clip_field(app, clip_id, "state") == "processing"
    run_jobs(app)
    assert clip_field(app, clip_id, "state") == "ready"
    assert clip_field(app, clip_id, "poster_path") and clip_field(app, clip_id, "low_path")


def test_a_clip_over_the_size_limit_gets_413_with_a_message(
    app, client, trainer, basics, make_video
):
    app.config["CLIP_MAX_BYTES"] = 20_000
    big = make_video("mp4", size="320x240", seconds=2, bitrate="1M")
    assert big.stat().st_size > 20_000
    response = post_clip(client, big)
    assert response.status_code == 413
    assert "larger than the 20 KB limit" in response.get_data(as_text=True)
    xhr = post_clip(client, big, xhr=True)
    assert xhr.status_code == 413 and "larger than the" in xhr.json["error"]
    assert clip_count(app) == 0


def test_the_clip_limit_is_not_the_page_limit(app, client, trainer, basics, make_video):
    app.config["MAX_CONTENT_LENGTH"] = 10_000  # other forms keep the small limit
    big = make_video("mp4", size="320x240", seconds=2, bitrate="1M")
    assert post_clip(client, big).status_code == 302


def test_the_job_makes_poster_and_a_360p_low_variant_and_sets_ready(
    app, client, trainer, basics, make_video
):
    source = make_video("mp4", size="1280x720", seconds=3, bitrate="6M", audio=True)
    assert post_clip(client, source).status_code == 302
    clip_id = only_clip_id(app)
    assert client.get(f"/studio/clips/{clip_id}/status.json").json["state"] == "processing"
    assert run_jobs(app) == 1
    with app.app_context():
        clip = get_session().get(Clip, clip_id)
        storage = get_storage()
        assert (clip.state, clip.error) == ("ready", "")
        assert storage.path(clip.poster_path).read_bytes()[:3] == b"\xff\xd8\xff"
        low = storage.path(clip.low_path)
        assert clip.low_path != clip.path and clip.low_size == low.stat().st_size
        stream = video_stream(low)
        assert stream["height"] <= 360 and int(stream["bit_rate"]) <= 400_000
        assert clip.low_size < clip.size
    status = client.get(f"/studio/clips/{clip_id}/status.json").json
    assert status["state"] == "ready" and status["poster"].startswith("/media/")
    page = client.get(f"/studio/clips/{clip_id}").get_data(as_text=True)
    assert 'data-state="ready"' in page and 'id="clip-low"' in page


def test_running_the_job_twice_changes_nothing(app, client, trainer, basics, make_video):
    assert post_clip(client, make_video("mp4", size="320x240", seconds=2)).status_code == 302
    clip_id = only_clip_id(app)
    run_jobs(app)
    fields = ("state", "poster_path", "low_path", "low_size", "duration")
    first = [clip_field(app, clip_id, f) for f in fields]
    with app.app_context():
        assert queue_processing(clip_id)
    assert run_jobs(app) == 1
    assert [clip_field(app, clip_id, f) for f in fields] == first


def test_a_broken_file_fails_with_a_readable_reason_and_the_worker_goes_on(
    app, client, trainer, basics, make_video
):
    with app.app_context():
        session = get_session()
        stored = get_storage().save(io.BytesIO(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 999), "mp4")
        broken = Clip(
            indicator_id=basics, path=stored.key, size=stored.size, state="processing",
            original_name="broken.mp4", published=False,
        )  # fmt: skip
        session.add(broken)
        session.commit()
        broken_id = broken.id
        assert queue_processing(broken_id)
    assert post_clip(client, make_video("mp4")).status_code == 302  # queued after it
    assert run_jobs(app) == 2
    assert clip_field(app, broken_id, "state") == "failed"
    reason = clip_field(app, broken_id, "error")
    assert reason and "/" not in reason  # ffmpeg's last line, without server paths
    with app.app_context():
        good = get_session().scalar(select(Clip).where(Clip.id != broken_id))
        assert good.state == "ready"  # the next job ran
    page = client.get(f"/studio/clips/{broken_id}").get_data(as_text=True)
    assert 'data-state="failed"' in page and reason in page
    assert publish(client, broken_id).status_code == 200
    assert clip_field(app, broken_id, "published") is False


def test_drafts_and_processing_clips_never_reach_the_lesson_page(
    app, client, trainer, basics, make_video
):
    assert post_clip(client, make_video("mp4", size="320x240", seconds=2)).status_code == 302
    clip_id = only_clip_id(app)
    assert "<video" not in client.get("/indicators/0").get_data(as_text=True)
    page = publish(client, clip_id).get_data(as_text=True)
    assert "Only a ready clip can be published" in page
    assert clip_field(app, clip_id, "published") is False
    run_jobs(app)
    assert "<video" not in client.get("/indicators/0").get_data(as_text=True)  # ready draft
    assert "Published" in publish(client, clip_id).get_data(as_text=True)
    lesson = client.get("/indicators/0").get_data(as_text=True)
    assert "<video" in lesson and clip_field(app, clip_id, "phone_path") in lesson
    with app.app_context():
        entry = get_session().scalar(select(AuditEntry).where(AuditEntry.action == "clip.publish"))
        assert entry.detail["clip_id"] == clip_id
    client.post(f"/studio/clips/{clip_id}/unpublish")
    assert "<video" not in client.get("/indicators/0").get_data(as_text=True)


def test_a_second_clip_is_shown_only_after_the_trainer_chooses_it(
    app, client, trainer, basics, make_video
):
    for size in ("320x240", "160x120"):
        assert post_clip(client, make_video("mp4", size=size)).status_code == 302
    run_jobs(app)
    with app.app_context():
        first, second = get_session().scalars(select(Clip).order_by(Clip.id))
        keys = first.phone_path, second.phone_path  # what volunteers are given
        ids = first.id, second.id
    publish(client, ids[0])
    volunteer = app.test_client()
    assert keys[0] in volunteer.get("/indicators/0").get_data(as_text=True)
    page = client.get(f"/studio/clips/{ids[1]}").get_data(as_text=True)
    assert "Volunteers see another clip now:" in page
    assert f"/studio/clips/{ids[0]}" in page and f"/studio/clips/{ids[1]}/show" in page
    refused = publish(client, ids[1]).get_data(as_text=True)  # a stale page's Publish
    assert "Show this clip instead" in refused
    assert clip_field(app, ids[1], "published") is False
    lesson = volunteer.get("/indicators/0").get_data(as_text=True)
    assert keys[0] in lesson and keys[1] not in lesson
    done = client.post(f"/studio/clips/{ids[1]}/show", follow_redirects=True)
    assert "Volunteers now see this clip" in done.get_data(as_text=True)
    assert [clip_field(app, i, "published") for i in ids] == [False, True]
    lesson = volunteer.get("/indicators/0").get_data(as_text=True)
    assert keys[1] in lesson and keys[0] not in lesson
    page = client.get(f"/studio/clips/{ids[0]}").get_data(as_text=True)
    assert f"/studio/clips/{ids[1]}" in page  # the replaced clip names the one shown now
    with app.app_context():
        actions = [
            (e.action, e.detail["clip_id"])
            for e in get_session().scalars(select(AuditEntry).order_by(AuditEntry.id))
            if e.action.startswith("clip.")
        ]
    assert actions[-2:] == [("clip.unpublish", ids[0]), ("clip.publish", ids[1])]


def test_the_database_refuses_a_second_shown_clip(app, basics):
    with app.app_context():
        session = get_session()
        session.add_all(
            [Clip(indicator_id=basics, path=f"00/{n}.mp4", size=1, published=True) for n in (1, 2)]
        )
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()


def test_a_replace_that_lost_a_race_is_refused_with_a_reason(
    app, client, trainer, basics, make_video
):
    for size in ("320x240", "160x120"):
        assert post_clip(client, make_video("mp4", size=size)).status_code == 302
    run_jobs(app)
    with app.app_context():
        first, second = get_session().scalars(select(Clip).order_by(Clip.id))
        ids = first.id, second.id
    publish(client, ids[0])
    with app.test_request_context():
        session = get_session()
        clip = session.get(Clip, ids[1])
        # Another request published a clip after this one's check: the index refuses ours.
        with pytest.raises(ClipError, match="เวลาเดียวกัน"):
            clips._publish(session, clip)
        session.rollback()
    assert [clip_field(app, i, "published") for i in ids] == [True, False]


def test_save_data_header_and_switch_choose_the_low_variant(
    app, client, trainer, basics, make_video, make_user, login
):
    source = make_video("mp4", size="1280x720", seconds=3, bitrate="6M", audio=True)
    assert post_clip(client, source).status_code == 302
    clip_id = only_clip_id(app)
    run_jobs(app)
    publish(client, clip_id)
    path, low, poster = (
        clip_field(app, clip_id, f) for f in ("phone_path", "low_path", "poster_webp_path")
    )  # the phone version by default; the WebP poster made beside the JPEG one
    assert poster and poster.endswith(".webp")
    volunteer = app.test_client()
    plain = volunteer.get("/indicators/0")
    assert "Save-Data" in plain.headers["Vary"]
    html = plain.get_data(as_text=True)
    assert f'<source src="/media/{path}"' in html and poster in html
    html = volunteer.get("/indicators/0", headers={"Save-Data": "on"}).get_data(as_text=True)
    assert f'<source src="/media/{low}"' in html and poster in html
    user_id = make_user(Role.VOLUNTEER)
    login(volunteer, user_id)
    html = volunteer.get("/indicators/0").get_data(as_text=True)
    assert f'<source src="/media/{path}"' in html and 'id="save-data-toggle"' in html
    switched = volunteer.post("/save-data", data={"next": "/indicators/0"})
    assert switched.status_code == 302 and switched.headers["Location"] == "/indicators/0"
    with app.app_context():
        assert get_session().get(User, user_id).save_data is True
    html = volunteer.get("/indicators/0").get_data(as_text=True)
    assert f'<source src="/media/{low}"' in html and 'aria-pressed="true"' in html
    volunteer.post("/save-data", data={"next": "https://evil.example/"})
    html = volunteer.get("/indicators/0").get_data(as_text=True)
    assert f'<source src="/media/{path}"' in html


def test_without_ffmpeg_volunteers_are_told_the_clip_is_being_prepared(
    app, client, trainer, basics, make_video
):
    app.config["FFMPEG"] = "/nonexistent/ffmpeg"
    assert post_clip(client, make_video("mp4")).status_code == 302
    clip_id = only_clip_id(app)
    publish(client, clip_id)
    for headers in ({}, {"Save-Data": "on"}):
        html = app.test_client().get("/indicators/0", headers=headers).get_data(as_text=True)
        assert 'id="clip-preparing"' in html and "<video" not in html
        assert clip_field(app, clip_id, "path") not in html  # never the original upload


def test_anonymous_save_data_goes_to_login(client):
    response = client.post("/save-data")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_trainer_uploads_captions_and_the_lesson_offers_them(app, client, ready_clip):
    page = client.post(
        f"/studio/clips/{ready_clip}/captions",
        data={"file": (io.BytesIO(VTT), "captions.vtt")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Captions saved" in page.get_data(as_text=True)
    key = clip_field(app, ready_clip, "captions_path")
    with client.get(f"/media/{key}") as served:
        assert served.mimetype == "text/vtt" and served.data == VTT
    publish(client, ready_clip)
    lesson = client.get("/indicators/0").get_data(as_text=True)
    assert '<track kind="captions"' in lesson and key in lesson


def test_captions_with_a_script_tag_are_refused(app, client, ready_clip):
    page = client.post(
        f"/studio/clips/{ready_clip}/captions",
        data={"file": (io.BytesIO(b"WEBVTT\n\n00:00.000 --> 00:01.000\n<script>x</script>\n"),
                       "evil.vtt")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )  # fmt: skip
    text = page.get_data(as_text=True)
    assert "Captions refused" in text and "&lt;script&gt;" in text and "<script>x" not in text
    assert clip_field(app, ready_clip, "captions_path") is None


def test_a_published_clip_cannot_be_deleted(app, client, ready_clip):
    publish(client, ready_clip)
    page = client.post(f"/studio/clips/{ready_clip}/delete", follow_redirects=True)
    assert "Unpublish it first" in page.get_data(as_text=True)
    assert clip_field(app, ready_clip, "published") is True


def test_deleting_a_never_published_draft_removes_it_and_its_files(app, client, ready_clip):
    columns = ("path", "poster_path", "low_path", "phone_path")
    keys = [clip_field(app, ready_clip, f) for f in columns]
    response = client.post(f"/studio/clips/{ready_clip}/delete")
    assert response.status_code == 302 and response.headers["Location"] == "/studio/indicators/0"
    assert clip_count(app) == 0
    with app.app_context():
        assert not any(get_storage().exists(key) for key in keys)


def test_a_once_published_clip_is_archived_not_deleted(app, client, ready_clip):
    publish(client, ready_clip)
    client.post(f"/studio/clips/{ready_clip}/unpublish")
    client.post(f"/studio/clips/{ready_clip}/delete")
    assert clip_field(app, ready_clip, "archived_at") is not None
    with app.app_context():
        assert get_storage().exists(clip_field(app, ready_clip, "path"))
    assert client.get(f"/studio/clips/{ready_clip}").status_code == 404


def test_process_pending_requeues_lost_jobs_and_shipped_clips_without_a_variant(
    app, runner, basics, make_video
):
    with app.app_context():
        session = get_session()
        stored = get_storage().save_file(make_video("mp4", size="320x240", seconds=2))
        session.add_all(
            [
                Clip(indicator_id=basics, path=stored.key, size=stored.size, state="ready",
                     duration=2.0),  # shipped: published, no low variant yet
                Clip(indicator_id=basics, path="00/" + "0" * 64 + ".mp4", size=1,
                     state="failed", original_name="x.mp4", published=False),
            ]
        )  # fmt: skip
        session.commit()
    result = runner.invoke(args=["media", "process-pending"])
    assert result.exit_code == 0 and "queued for processing: 1 of 1" in result.output
    assert run_jobs(app) == 1
    with app.app_context():
        shipped = get_session().scalar(select(Clip).where(Clip.state == "ready"))
        assert shipped.low_path and shipped.poster_path and shipped.published
    result = runner.invoke(args=["media", "process-pending"])
    assert "queued for processing: 0 of 0" in result.output


STUDIO_CLIP_URLS = [
    ("get", "/studio/indicators/0/clips/new"),
    ("post", "/studio/indicators/0/clips/new"),
    ("get", "/studio/clips/1"),
    ("get", "/studio/clips/1/status.json"),
    ("post", "/studio/clips/1/captions"),
    ("post", "/studio/clips/1/publish"),
    ("post", "/studio/clips/1/unpublish"),
    ("post", "/studio/clips/1/show"),
    ("post", "/studio/clips/1/delete"),
]


def test_every_clip_url_is_listed_here(app):
    adapter = app.url_map.bind("bmn.test")
    listed = {adapter.match(url, method=method.upper())[0] for method, url in STUDIO_CLIP_URLS}
    clip_pages = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("studio.clips.")
    }
    assert clip_pages == listed


@pytest.mark.parametrize(("method", "url"), STUDIO_CLIP_URLS)
@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.OFFICER])
def test_volunteers_and_officers_get_403(client, areas, make_user, login, method, url, role):
    login(client, make_user(role))
    assert getattr(client, method)(url).status_code == 403


@pytest.mark.parametrize(("method", "url"), STUDIO_CLIP_URLS)
def test_anonymous_users_are_sent_to_log_in(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
