"""Media storage: content-addressed keys, part files renamed into place, cleaning abandoned
uploads, and /media/<key> with range requests, the hash as ETag and a year's cache."""

from __future__ import annotations

import hashlib
import io
import os
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from app.content.models import Clip, Indicator
from app.db import get_session
from app.storage import BadKey, LocalStorage, check_key, get_storage

DATA = b"BMN Learn media bytes " * 1000


@pytest.fixture
def storage(tmp_path: Path) -> LocalStorage:
    """An empty media store in a temp folder."""
    return LocalStorage(tmp_path / "media")


def stored_files(storage: LocalStorage) -> list[Path]:
    """Every complete file in the store (part files under .incoming excluded)."""
    return sorted(p for p in storage.root.rglob("*") if p.is_file() and ".incoming" not in p.parts)


def part_files(storage: LocalStorage) -> list[Path]:
    """Part files left under .incoming."""
    return sorted(storage.incoming.glob("*")) if storage.incoming.is_dir() else []


class BreaksMidway(io.RawIOBase):
    """A stream that yields some bytes, then fails as a dropped connection would."""

    def __init__(self, good: bytes):
        self.good = io.BytesIO(good)
        self.calls = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.calls += 1
        if self.calls > 1:
            raise ConnectionResetError("client went away")
        return self.good.read(size)


def test_a_key_is_the_sha256_of_the_bytes(storage):
    stored = storage.save(io.BytesIO(DATA), "MP4")
    sha = hashlib.sha256(DATA).hexdigest()
    assert stored.key == f"{sha[:2]}/{sha}.mp4"
    assert (stored.size, stored.sha256) == (len(DATA), sha)
    assert storage.path(stored.key).read_bytes() == DATA


def test_the_same_bytes_are_stored_once(storage, tmp_path):
    source = tmp_path / "clip.webm"
    source.write_bytes(DATA)
    first = storage.save(io.BytesIO(DATA), "webm")
    second = storage.save_file(source)
    assert first == second
    assert stored_files(storage) == [storage.path(first.key)]
    assert part_files(storage) == []


def test_a_failure_mid_write_leaves_no_file_behind_a_key_and_no_part_file(storage):
    with pytest.raises(ConnectionResetError):
        storage.save(BreaksMidway(DATA), "mp4")
    assert stored_files(storage) == []
    assert part_files(storage) == []
    sha = hashlib.sha256(DATA).hexdigest()
    assert not storage.exists(f"{sha[:2]}/{sha}.mp4")


def test_clean_incoming_removes_only_part_files_older_than_the_age(storage):
    kept = storage.save(io.BytesIO(DATA), "mp4")
    storage.incoming.mkdir(parents=True, exist_ok=True)
    old, fresh = storage.incoming / "old.part", storage.incoming / "fresh.part"
    old.write_bytes(b"abandoned")
    fresh.write_bytes(b"still uploading")
    day_ago = time.time() - 24 * 3600
    os.utime(old, (day_ago, day_ago))
    assert storage.clean_incoming(3600) == 1
    assert not old.exists() and fresh.exists()
    assert storage.exists(kept.key)  # complete files are never touched


def test_clean_incoming_without_any_upload_yet(storage):
    assert storage.clean_incoming(0) == 0


@pytest.mark.parametrize(
    "key",
    [
        "../etc/passwd",
        "ab/../../secret.mp4",
        "/etc/passwd",
        "AB/" + "A" * 64 + ".mp4",
        "ab/" + "a" * 63 + ".mp4",
        "ab/" + "a" * 64,
        "ab/" + "a" * 64 + ".mp4/../../x",
        "indicators/02/media/media.yaml",
    ],
)
def test_keys_not_handed_out_by_the_store_are_refused(storage, key):
    with pytest.raises(BadKey):
        check_key(key)
    with pytest.raises(BadKey):
        storage.path(key)
    with pytest.raises(BadKey):
        storage.delete(key)


@pytest.mark.parametrize("suffix", ["", "../mp4", "m p4", "toolong"])
def test_a_bad_suffix_is_refused_before_anything_is_written(storage, suffix):
    with pytest.raises(ValueError):
        storage.save(io.BytesIO(DATA), suffix)
    assert stored_files(storage) == []


def test_delete_and_copy_out(storage, tmp_path):
    stored = storage.save(io.BytesIO(DATA), "vtt")
    target = tmp_path / "export" / "captions.th.vtt"
    storage.copy_out(stored.key, target)
    assert target.read_bytes() == DATA
    storage.delete(stored.key)
    assert not storage.exists(stored.key)
    storage.delete(stored.key)  # deleting twice is harmless


# --- Served at /media/<key> -----------------------------------------------------------------


@pytest.fixture
def served(app, make_indicator) -> tuple[str, bytes]:
    """A clip's phone rendition in the app's media store (the video volunteers are given):
    its key and bytes."""
    data = os.urandom(4096) + b"WEBVTT"
    number = make_indicator()
    with app.app_context():
        session = get_session()
        key = get_storage().save(io.BytesIO(data), "mp4").key
        indicator = session.scalar(select(Indicator).where(Indicator.number == number))
        session.add(
            Clip(indicator_id=indicator.id, path=key, phone_path=key, phone_size=len(data),
                 size=len(data))
        )  # fmt: skip
        session.commit()
        return key, data


def test_media_is_served_with_the_hash_as_etag_and_a_years_immutable_cache(client, served):
    key, data = served
    with client.get(f"/media/{key}") as response:
        assert response.status_code == 200 and response.data == data
        assert response.mimetype == "video/mp4"
        assert response.headers["ETag"].strip('"') == Path(key).stem
        cache = response.cache_control
        assert cache.max_age == 365 * 24 * 3600 and cache.immutable and cache.public
        assert response.headers["Accept-Ranges"] == "bytes"
        etag = response.headers["ETag"]
    with client.get(f"/media/{key}", headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304 and again.data == b""


def test_media_answers_range_requests_with_206(client, served):
    key, data = served
    with client.get(f"/media/{key}", headers={"Range": "bytes=1000-1999"}) as part:
        assert part.status_code == 206
        assert part.headers["Content-Range"] == f"bytes 1000-1999/{len(data)}"
        assert part.data == data[1000:2000]
    with client.get(f"/media/{key}", headers={"Range": "bytes=-6"}) as tail:
        assert tail.status_code == 206 and tail.data == b"WEBVTT"


@pytest.mark.parametrize(
    "path",
    [
        "00/" + "0" * 64 + ".mp4",  # well formed, never stored
        "ab/not-a-hash.mp4",
        "../app/config.py",
        "indicators.csv",
    ],
)
def test_unknown_or_malformed_keys_are_404(client, served, path):
    assert client.get(f"/media/{path}").status_code == 404


def test_a_stored_file_under_an_unknown_type_is_404(app, client):
    with app.app_context():
        key = get_storage().save(io.BytesIO(b"#!/bin/sh\necho hi\n"), "sh").key
    assert client.get(f"/media/{key}").status_code == 404
