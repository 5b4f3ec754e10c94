"""Media behind nginx: with MEDIA_ACCEL_REDIRECT / SUPPORT_PHOTO_ACCEL_REDIRECT set, a file
that passes the access check is answered with an empty body and X-Accel-Redirect (nginx sends
it); without them (the default) the app streams the file. The check is the same either way."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.auth.models import Role
from app.storage import get_storage
from app.support.photos import photo_store, store_photo

from ..media.test_images import gps_jpeg

MEDIA_PREFIX = "/_protected_media/"
PHOTO_PREFIX = "/_protected_support_photos/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # served by suffix: the bytes need not decode
VIDEO = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64  # an upload no clip serves: studio only


def stored(app: Flask, data: bytes, suffix: str) -> str:
    """Store bytes in the media store; their key."""
    with app.app_context():
        return get_storage().save(io.BytesIO(data), suffix).key


def get(client: FlaskClient, url: str) -> tuple[int, bytes, dict[str, str]]:
    """Status, body and headers of a GET (the file closed afterwards)."""
    with client.get(url) as response:
        return response.status_code, response.get_data(), dict(response.headers)


@pytest.mark.parametrize("accel", ["", MEDIA_PREFIX])
def test_a_public_media_file_is_sent_by_the_app_or_handed_to_nginx(
    app: Flask, client: FlaskClient, accel: str
) -> None:
    app.config["MEDIA_ACCEL_REDIRECT"] = accel
    key = stored(app, PNG, "png")
    status, body, headers = get(client, f"/media/{key}")
    assert status == 200
    assert headers["Content-Type"] == "image/png"
    cache = headers["Cache-Control"]
    assert "public" in cache and "max-age=31536000" in cache and "immutable" in cache
    if accel:
        assert headers["X-Accel-Redirect"] == f"/_protected_media/{key}"
        assert body == b""
    else:
        assert "X-Accel-Redirect" not in headers
        assert body == PNG


@pytest.mark.parametrize("accel", ["", MEDIA_PREFIX])
def test_an_original_upload_reaches_trainers_only_in_both_modes(
    app: Flask, client: FlaskClient, make_user: Callable, login: Callable, accel: str
) -> None:
    app.config["MEDIA_ACCEL_REDIRECT"] = accel
    key = stored(app, VIDEO, "mp4")
    status, body, headers = get(client, f"/media/{key}")
    assert status == 404 and "X-Accel-Redirect" not in headers  # anonymous: no file, no hint
    login(client, make_user(Role.VOLUNTEER))
    assert get(client, f"/media/{key}")[0] == 404
    trainer = FlaskClient(app, app.response_class, use_cookies=True)
    login(trainer, make_user(Role.TRAINER))
    status, body, headers = get(trainer, f"/media/{key}")
    assert status == 200 and headers["Content-Type"] == "video/mp4"
    assert "private" in headers["Cache-Control"] and "public" not in headers["Cache-Control"]
    assert body == (b"" if accel else VIDEO)
    assert headers.get("X-Accel-Redirect") == (f"/_protected_media/{key}" if accel else None)


def test_a_missing_media_file_is_a_404_without_a_redirect(app: Flask, client: FlaskClient) -> None:
    app.config["MEDIA_ACCEL_REDIRECT"] = MEDIA_PREFIX
    status, _body, headers = get(client, f"/media/ab/{'ab' * 32}.png")
    assert status == 404 and "X-Accel-Redirect" not in headers


@pytest.mark.parametrize("accel", ["", PHOTO_PREFIX])
def test_a_question_photo_reaches_its_asker_only_and_is_never_cached(
    app: Flask,
    client: FlaskClient,
    zone_volunteer: Callable,
    put_question: Callable,
    login: Callable,
    tmp_path,
    accel: str,
) -> None:
    app.config.update(SUPPORT_PHOTO_ROOT=str(tmp_path / "photos"))
    app.config["SUPPORT_PHOTO_ACCEL_REDIRECT"] = accel
    app.config["MEDIA_ACCEL_REDIRECT"] = MEDIA_PREFIX  # the photos' own setting decides
    asker = zone_volunteer("north")
    with app.app_context():
        key = store_photo(photo_store(), gps_jpeg(), max_bytes=10**7, max_pixels=10**7,
                          max_memory=None)  # fmt: skip
        data = photo_store().path(key).read_bytes()
    question_id = put_question(asker, "north", photo_key=key)
    login(client, asker)
    status, body, headers = get(client, f"/support/photos/{question_id}")
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert headers["Content-Type"].startswith("image/")
    if accel:
        assert headers["X-Accel-Redirect"] == f"/_protected_support_photos/{key}"
        assert body == b""
    else:
        assert "X-Accel-Redirect" not in headers and body == data
    other = FlaskClient(app, app.response_class, use_cookies=True)
    login(other, zone_volunteer("north", full_name="คนอื่น ทดสอบ"))
    status, _body, headers = get(other, f"/support/photos/{question_id}")
    assert status == 404 and "X-Accel-Redirect" not in headers


def test_accel_redirect_is_off_by_default(app: Flask) -> None:
    assert app.config["MEDIA_ACCEL_REDIRECT"] == ""
    assert app.config["SUPPORT_PHOTO_ACCEL_REDIRECT"] == ""
