"""Infographic upload in the studio: refusals with reasons, clean stored files, variants in
srcset on the lesson page, alt texts, draft/publish/delete, access, shipped infographics."""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app import create_app
from app.auth.models import Role
from app.content.models import AuditEntry, Category, Indicator, Infographic
from app.content_io.load import load_content
from app.db import get_session
from app.storage import get_storage

from .test_images import bomb_png, drawing, encode, gps_jpeg, has_metadata, png_bytes

NUMBER = 7
SIZES = "(min-width: 46rem) 44.5rem, calc(100vw - 1.5rem)"
XSS_ALT = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
XSS_NAME = "<svg onload=alert(3)>.png"


@pytest.fixture
def indicator(app: Flask) -> int:
    """An indicator of its own (no shipped media); returns its number."""
    with app.app_context():
        session = get_session()
        session.add(Category(number=1, name_th="สุขภาพ", name_en="Health"))
        session.add(
            Indicator(
                number=NUMBER,
                category_number=1,
                title_th="ตัวชี้วัดทดสอบ",
                title_en="Test indicator",
                status="official",
            )
        )
        session.commit()
    return NUMBER


def upload(
    client: FlaskClient,
    data: bytes,
    name: str = "infographic.png",
    alt_th: str = "อินโฟกราฟิกทดสอบ",
    alt_en: str = "Test infographic",
    number: int = NUMBER,
):
    """POST an infographic upload as the browser's form does."""
    return client.post(
        f"/studio/indicators/{number}/infographics/new",
        data={"file": (io.BytesIO(data), name), "alt_th": alt_th, "alt_en": alt_en},
        content_type="multipart/form-data",
    )


def uploaded_id(response) -> int:
    """The new infographic's id from the redirect to its studio page."""
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/studio/infographics/(\d+)$", response.headers["Location"]).group(1))


def image_row(app: Flask, infographic_id: int) -> Infographic | None:
    """The infographic as stored (detached: read its plain attributes only)."""
    with app.app_context():
        session = get_session()
        row = session.get(Infographic, infographic_id)
        if row is not None:
            session.expunge(row)
        return row


def count(app: Flask, model: type, **where) -> int:
    """Rows of a model matching column values."""
    with app.app_context():
        stmt = select(func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return get_session().scalar(stmt)


def audit_actions(app: Flask) -> list[str]:
    """The audit trail's actions, oldest first."""
    with app.app_context():
        return list(get_session().scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def keys_of(row: Infographic) -> list[str]:
    """Every storage key of an infographic: the original and all variants."""
    return [row.path] + [v[k] for v in row.variants for k in ("webp", "jpeg")]


# --- Upload ---------------------------------------------------------------------------------


def test_an_upload_is_stored_clean_as_a_draft_with_width_variants(app, client, trainer, indicator):
    response = upload(client, png_bytes(1500, 3000), name="../../สรุป ตัวชี้วัด.png")
    infographic_id = uploaded_id(response)
    row = image_row(app, infographic_id)
    assert row.published is False and row.archived_at is None
    assert (row.width, row.height) == (1500, 3000)
    assert [(v["width"], v["height"]) for v in row.variants] == [
        (360, 720), (720, 1440), (1080, 2160),
    ]  # fmt: skip
    assert row.original_name == "สรุป ตัวชี้วัด.png"  # shown only; folders dropped
    assert (row.alt_th, row.alt_en) == ("อินโฟกราฟิกทดสอบ", "Test infographic")
    with app.app_context():
        storage = get_storage()
        assert all(storage.exists(key) for key in keys_of(row))
        assert storage.path(row.path).stat().st_size == row.size
    assert audit_actions(app) == ["infographic.upload"]
    page = client.get(f"/studio/infographics/{infographic_id}").get_data(as_text=True)
    assert "1500 × 3000" in page and "1080 × 2160" in page


def test_uploads_go_last_in_order(app, client, trainer, indicator):
    first = uploaded_id(upload(client, png_bytes(400, 400)))
    second = uploaded_id(upload(client, png_bytes(400, 500)))
    assert image_row(app, second).position > image_row(app, first).position


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"notes about indicator 7, not a picture\n" * 40, "notes.png", "not a PNG, JPEG or WebP"),
        (png_bytes(800, 1200)[:3000], "cut-short.png", "damaged or incomplete"),
        (bomb_png(), "bomb.png", "20000 × 20000 pixels"),
        (encode(drawing(40, 40), "GIF"), "a.gif", "not a PNG, JPEG"),
        (b"", "empty.png", "The file is empty"),
    ],
    ids=["text-named-png", "truncated-png", "bomb", "gif", "empty"],
)
def test_unfit_files_are_refused_with_the_reason(
    app, client, trainer, indicator, data, name, reason
):
    response = upload(client, data, name=name)
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    assert reason in page
    assert count(app, Infographic) == 0 and audit_actions(app) == []


def test_a_file_over_the_size_limit_is_refused(app, client, trainer, indicator):
    app.config["IMAGE_MAX_BYTES"] = 20_000
    response = upload(client, png_bytes(1500, 3000) + b"\0" * 20_000)
    assert response.status_code == 400
    assert "the limit for images is" in response.get_data(as_text=True)
    assert count(app, Infographic) == 0


def test_a_request_far_over_the_limit_is_stopped_with_a_message(app, client, trainer, indicator):
    app.config["IMAGE_MAX_BYTES"] = 1000
    # The body written out here: the test client would spool a large one to an open temp file.
    boundary = "bmnboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="alt_th"\r\n\r\nภาพ\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + b"\x89PNG\r\n\x1a\n"
        + b"\0" * (1024 * 1024 + 5000)
        + (f"\r\n--{boundary}--\r\n").encode()
    )
    response = client.post(
        f"/studio/indicators/{NUMBER}/infographics/new",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    assert "limit for images" in response.get_data(as_text=True)
    assert count(app, Infographic) == 0


@pytest.mark.parametrize("alt_th", ["", "   "], ids=["empty", "spaces"])
def test_thai_alt_text_is_required(app, client, trainer, indicator, alt_th):
    response = upload(client, png_bytes(400, 400), alt_th=alt_th)
    assert response.status_code == 400
    assert "alt text is required" in response.get_data(as_text=True)
    assert count(app, Infographic) == 0


def test_english_alt_text_is_optional(app, client, trainer, indicator):
    row = image_row(app, uploaded_id(upload(client, png_bytes(400, 400), alt_en="")))
    assert row.alt_en == ""


def test_no_gps_or_other_metadata_reaches_any_stored_file(app, client, trainer, indicator):
    upload_bytes = gps_jpeg(1600, 1200, orientation=6)
    assert "gps" in has_metadata(upload_bytes)
    row = image_row(app, uploaded_id(upload(client, upload_bytes, name="IMG_0001.jpg")))
    assert (row.width, row.height) == (1200, 1600)  # EXIF orientation 6 applied
    assert row.path.endswith(".jpg")
    with app.app_context():
        storage = get_storage()
        for key in keys_of(row):
            assert has_metadata(storage.path(key).read_bytes()) == [], key


def test_the_same_picture_twice_is_refused(app, client, trainer, indicator):
    uploaded_id(upload(client, png_bytes(500, 500)))
    again = upload(client, png_bytes(500, 500))
    assert again.status_code == 400
    assert "uploaded already" in again.get_data(as_text=True)
    assert count(app, Infographic) == 1


# --- The lesson page ------------------------------------------------------------------------


def lesson(client: FlaskClient, number: int = NUMBER) -> str:
    """The lesson page's HTML."""
    response = client.get(f"/indicators/{number}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_published_upload_is_a_picture_with_srcset_and_sizes(app, client, trainer, indicator):
    client.post("/language", data={"lang": "th"})  # the Thai page a volunteer sees
    infographic_id = uploaded_id(upload(client, png_bytes(1500, 3000)))
    assert 'class="info"' not in lesson(client)  # a draft: not on the lesson page
    client.post(f"/studio/infographics/{infographic_id}/publish")
    page = lesson(client)
    row = image_row(app, infographic_id)
    source = re.search(r'<source type="image/webp"[^>]*>', page).group(0)
    webp = ", ".join(f"/media/{v['webp']} {v['width']}w" for v in row.variants)
    assert f'srcset="{webp}"' in source and f'sizes="{SIZES}"' in source
    img = re.search(r'<img class="info"[^>]*>', page).group(0)
    assert f'src="/media/{row.variants[1]["jpeg"]}"' in img  # the 720-px JPEG fallback
    jpeg = ", ".join(f"/media/{v['jpeg']} {v['width']}w" for v in row.variants)
    assert f'srcset="{jpeg}"' in img and f'sizes="{SIZES}"' in img
    assert 'width="1500" height="3000"' in img and 'alt="อินโฟกราฟิกทดสอบ"' in img
    assert 'loading="lazy"' in img and 'decoding="async"' in img


def test_xss_in_alt_text_and_file_name_is_escaped(app, client, trainer, indicator):
    client.post("/language", data={"lang": "th"})  # the Thai page a volunteer sees
    infographic_id = uploaded_id(upload(client, png_bytes(400, 400), XSS_NAME, alt_th=XSS_ALT))
    client.post(f"/studio/infographics/{infographic_id}/publish")
    for page in (client.get(f"/studio/infographics/{infographic_id}").get_data(as_text=True),
                 lesson(client)):  # fmt: skip
        assert "<script>alert(1)" not in page and "<img src=x" not in page
        assert "<svg onload" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in lesson(client)
    studio = client.get(f"/studio/infographics/{infographic_id}").get_data(as_text=True)
    assert "&lt;svg onload=alert(3)&gt;.png" in studio


# --- Alt texts, publish, delete -------------------------------------------------------------


def test_alt_texts_can_be_edited_and_the_change_is_audited(app, client, trainer, indicator):
    infographic_id = uploaded_id(upload(client, png_bytes(400, 400)))
    url = f"/studio/infographics/{infographic_id}"
    assert client.post(url, data={"alt_th": "", "alt_en": "x"}).status_code == 400
    assert image_row(app, infographic_id).alt_en == "Test infographic"
    response = client.post(url, data={"alt_th": "คำบรรยายใหม่", "alt_en": ""})
    assert response.status_code == 302
    row = image_row(app, infographic_id)
    assert (row.alt_th, row.alt_en) == ("คำบรรยายใหม่", "")
    with app.app_context():
        entry = get_session().scalar(
            select(AuditEntry).where(AuditEntry.action == "infographic.edit")
        )
        assert entry.detail["alt_th"] == ["อินโฟกราฟิกทดสอบ", "คำบรรยายใหม่"]
        assert entry.user_id == trainer


def test_publish_and_unpublish_are_audited(app, client, trainer, indicator):
    infographic_id = uploaded_id(upload(client, png_bytes(400, 400)))
    client.post(f"/studio/infographics/{infographic_id}/publish")
    assert image_row(app, infographic_id).published is True
    assert 'class="info"' in lesson(client)
    client.post(f"/studio/infographics/{infographic_id}/unpublish")
    assert image_row(app, infographic_id).published is False
    assert 'class="info"' not in lesson(client)
    assert audit_actions(app) == [
        "infographic.upload", "infographic.publish", "infographic.unpublish",
    ]  # fmt: skip


def test_a_published_infographic_cannot_be_deleted(app, client, trainer, indicator):
    infographic_id = uploaded_id(upload(client, png_bytes(400, 400)))
    client.post(f"/studio/infographics/{infographic_id}/publish")
    response = client.post(f"/studio/infographics/{infographic_id}/delete", follow_redirects=True)
    assert "Unpublish it first" in response.get_data(as_text=True)
    assert image_row(app, infographic_id).archived_at is None
    assert 'class="info"' in lesson(client)


def test_a_never_published_draft_is_deleted_with_its_files(app, client, trainer, indicator):
    infographic_id = uploaded_id(upload(client, png_bytes(900, 900)))
    keys = keys_of(image_row(app, infographic_id))
    response = client.post(f"/studio/infographics/{infographic_id}/delete")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/studio/indicators/{NUMBER}")
    assert image_row(app, infographic_id) is None
    with app.app_context():
        assert not any(get_storage().exists(key) for key in keys)
    assert audit_actions(app)[-1] == "infographic.delete"


def test_files_another_infographic_uses_are_kept(app, client, trainer, indicator, make_user):
    other = 8
    with app.app_context():
        session = get_session()
        session.add(
            Indicator(number=other, category_number=1, title_th="อีกตัว", title_en="Other",
                      status="official")
        )  # fmt: skip
        session.commit()
    first = uploaded_id(upload(client, png_bytes(600, 600)))
    second = uploaded_id(upload(client, png_bytes(600, 600), number=other))
    client.post(f"/studio/infographics/{first}/delete")
    with app.app_context():
        assert all(get_storage().exists(k) for k in keys_of(image_row(app, second)))


def test_a_once_published_draft_is_archived_not_deleted(app, client, trainer, indicator):
    infographic_id = uploaded_id(upload(client, png_bytes(400, 400)))
    client.post(f"/studio/infographics/{infographic_id}/publish")
    client.post(f"/studio/infographics/{infographic_id}/unpublish")
    client.post(f"/studio/infographics/{infographic_id}/delete")
    row = image_row(app, infographic_id)
    assert row is not None and row.archived_at is not None and row.published is False
    with app.app_context():
        assert all(get_storage().exists(key) for key in keys_of(row))
    assert client.get(f"/studio/infographics/{infographic_id}").status_code == 404
    assert audit_actions(app)[-1] == "infographic.archive"


# --- Access ---------------------------------------------------------------------------------


def infographic_routes() -> list[tuple[str, str]]:
    """(endpoint, method) of every studio.infographics.* route, from the app's URL map."""
    application = create_app({"TESTING": True, "SECRET_KEY": "x"})
    routes = []
    for rule in application.url_map.iter_rules():
        if rule.endpoint.startswith("studio.infographics."):
            routes += [(rule.endpoint, m) for m in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return routes


ROUTES = infographic_routes()


def test_every_infographic_action_has_a_route():
    endpoints = {endpoint for endpoint, _ in ROUTES}
    assert endpoints == {
        "studio.infographics.upload_infographic", "studio.infographics.infographic",
        "studio.infographics.publish_infographic", "studio.infographics.unpublish_infographic",
        "studio.infographics.delete_infographic",
    }  # fmt: skip


@pytest.fixture
def existing(app: Flask, indicator: int, areas, make_user, login) -> int:
    """An infographic uploaded by a trainer (on another client); returns its id."""
    other = app.test_client()
    login(other, make_user(Role.TRAINER))
    return uploaded_id(upload(other, png_bytes(400, 400)))


def route_url(app: Flask, endpoint: str, infographic_id: int) -> str:
    """A route's URL for the test indicator and infographic."""
    values = {"number": NUMBER, "infographic_id": infographic_id}
    with app.test_request_context():
        rule = next(app.url_map.iter_rules(endpoint))
        return app.url_for(endpoint, **{a: values[a] for a in rule.arguments})


@pytest.mark.parametrize(("endpoint", "method"), ROUTES)
@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.OFFICER])
def test_other_roles_get_403(app, client, existing, make_user, login, role, endpoint, method):
    login(client, make_user(role))
    before = (image_row(app, existing).published, count(app, Infographic), audit_actions(app))
    data = {"alt_th": "x", "file": (io.BytesIO(png_bytes(50, 50)), "a.png")}
    url = route_url(app, endpoint, existing)
    assert client.open(url, method=method, data=data).status_code == 403
    after = (image_row(app, existing).published, count(app, Infographic), audit_actions(app))
    assert after == before


@pytest.mark.parametrize(("endpoint", "method"), ROUTES)
def test_anonymous_visitors_are_sent_to_log_in(app, client, existing, endpoint, method):
    url = route_url(app, endpoint, existing)
    response = client.open(url, method=method, data={"alt_th": "x"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert audit_actions(app) == ["infographic.upload"]


# --- Shipped infographics (content load) ----------------------------------------------------


def test_shipped_infographics_get_variants_and_a_second_load_changes_nothing(app, content):
    with app.app_context():
        session = get_session()
        rows = list(session.scalars(select(Infographic).where(Infographic.published)))
        assert len(rows) >= 38
        storage = get_storage()
        for row in rows:
            assert [v["width"] for v in row.variants] == [360, 720], row.path
            assert all(storage.exists(k) for k in keys_of(row))
        changes = load_content(
            session, Path(app.config["CONTENT_ROOT"]), Path(app.config["QUIZ_ROOT"]), storage
        )
        assert changes.total == 0, (changes.created, changes.updated)


def test_missing_variant_files_are_made_again_on_load(app, content):
    with app.app_context():
        session = get_session()
        row = session.scalar(select(Infographic).order_by(Infographic.id).limit(1))
        storage = get_storage()
        lost = row.variants[0]["webp"]
        storage.delete(lost)
        load_content(
            session, Path(app.config["CONTENT_ROOT"]), Path(app.config["QUIZ_ROOT"]), storage
        )
        assert storage.exists(lost)  # the same bytes again, under the same key


def test_the_shipped_lesson_page_offers_360_and_720_px(app, client, content):
    page = lesson(client, 1)
    source = re.search(r'<source type="image/webp"[^>]*>', page).group(0)
    assert re.search(r'srcset="/media/\S+\.webp 360w, /media/\S+\.webp 720w"', source)


def test_a_draft_upload_never_replaces_the_shipped_one(app, client, content, trainer):
    infographic_id = uploaded_id(upload(client, png_bytes(400, 400), number=1))
    row = image_row(app, infographic_id)
    page = lesson(client, 1)
    assert not any(key in page for key in keys_of(row))
    studio = client.get(f"/studio/infographics/{infographic_id}").get_data(as_text=True)
    assert "which is another one now" in studio


def test_shipped_infographics_are_archived_not_deleted(app, client, content, trainer):
    with app.app_context():
        shipped = get_session().scalar(
            select(Infographic.id).join(Indicator).where(Indicator.number == 1)
        )
    client.post(f"/studio/infographics/{shipped}/unpublish")
    client.post(f"/studio/infographics/{shipped}/delete")
    assert image_row(app, shipped).archived_at is not None
    assert 'class="info"' not in lesson(client, 1)
