"""Media storage: content-addressed files behind one small interface (local disk by default).

A stored file's key is `<first two hex digits>/<sha256>.<suffix>`, so the same bytes are kept
once, a key never changes meaning (pages may cache it for a year) and a key names no path
outside the root. Files are written under `.incoming/` and renamed into place only when
complete: a crash mid-upload leaves at most a part file there, never a half file behind a key,
and `clean_incoming` removes abandoned part files.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import Flask, Response, current_app, send_file

KEY = re.compile(r"[0-9a-f]{2}/[0-9a-f]{64}\.[a-z0-9]{2,5}")
SUFFIX = re.compile(r"[a-z0-9]{2,5}")
INCOMING = ".incoming"
CHUNK = 1024 * 1024


class BadKey(ValueError):
    """A key that is not of the form this storage hands out."""


@dataclass(frozen=True)
class Stored:
    """A file as stored: its key, its size in bytes and its SHA-256 (hex)."""

    key: str
    size: int
    sha256: str


class MediaStorage(Protocol):
    """What the rest of the app may ask of a media store."""

    def save(self, stream: BinaryIO, suffix: str) -> Stored: ...
    def save_file(self, path: Path, suffix: str | None = None) -> Stored: ...
    def exists(self, key: str) -> bool: ...
    def path(self, key: str) -> Path: ...
    def delete(self, key: str) -> None: ...
    def clean_incoming(self, older_than_seconds: float) -> int: ...


def check_key(key: str) -> str:
    """The key itself when well formed; BadKey otherwise (never a path outside the root)."""
    if not KEY.fullmatch(key):
        raise BadKey(key)
    return key


class LocalStorage:
    """Files under one root directory on the local disk."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    @property
    def incoming(self) -> Path:
        """Where part files are written before they are complete."""
        return self.root / INCOMING

    def path(self, key: str) -> Path:
        """The file behind a key (which may not exist)."""
        return self.root / check_key(key)

    def exists(self, key: str) -> bool:
        """True when the key's file is stored."""
        return self.path(key).is_file()

    @contextmanager
    def _part_file(self) -> Iterator[tuple[Path, BinaryIO]]:
        self.incoming.mkdir(parents=True, exist_ok=True)
        part = self.incoming / f"{uuid.uuid4().hex}.part"
        try:
            with part.open("wb") as handle:
                yield part, handle
        finally:
            part.unlink(missing_ok=True)  # renamed away on success; removed on any failure

    def save(self, stream: BinaryIO, suffix: str) -> Stored:
        """Store a stream's bytes; the same bytes give the same key (stored once)."""
        suffix = suffix.lower().lstrip(".")
        if not SUFFIX.fullmatch(suffix):
            raise ValueError(f"bad suffix {suffix!r}")
        digest = hashlib.sha256()
        size = 0
        with self._part_file() as (part, handle):
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                handle.write(chunk)
                size += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
            sha = digest.hexdigest()
            key = f"{sha[:2]}/{sha}.{suffix}"
            target = self.root / key
            if not target.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(part, target)  # atomic on one filesystem
        return Stored(key, size, sha)

    def save_file(self, path: Path, suffix: str | None = None) -> Stored:
        """Store a copy of a file (its own suffix unless one is given)."""
        with path.open("rb") as handle:
            return self.save(handle, suffix or path.suffix)

    def delete(self, key: str) -> None:
        """Remove a stored file (callers check nothing refers to it first)."""
        self.path(key).unlink(missing_ok=True)

    def clean_incoming(self, older_than_seconds: float) -> int:
        """Remove part files abandoned longer ago than the given age; how many were removed."""
        if not self.incoming.is_dir():
            return 0
        cutoff = time.time() - older_than_seconds
        removed = 0
        for part in self.incoming.iterdir():
            if part.is_file() and part.stat().st_mtime < cutoff:
                part.unlink(missing_ok=True)
                removed += 1
        return removed

    def copy_out(self, key: str, target: Path) -> None:
        """Write a stored file to a path outside the store (content export)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.path(key), target)


def send_stored(
    path: Path, key: str, *, accel: str = "", mimetype: str | None = None, max_age: int = 0,
    conditional: bool = False, etag: str | bool = True,
) -> Response:  # fmt: skip
    """A stored file as the answer, after the caller's access check. Streamed by the app, or,
    when `accel` names the proxy's internal location for this store (MEDIA_ACCEL_REDIRECT,
    e.g. "/_protected_media/"), an empty answer whose X-Accel-Redirect header tells nginx to
    send the file itself (with ranges and conditional requests). Content type and cache
    headers are the same either way; the caller may adjust them on the response."""
    if not accel:
        return send_file(
            path, mimetype=mimetype, conditional=conditional, etag=etag, max_age=max_age
        )
    response = current_app.response_class(b"", mimetype=mimetype or _guess_type(path))
    response.headers["X-Accel-Redirect"] = f"{accel.rstrip('/')}/{check_key(key)}"
    if max_age > 0:  # as send_file does
        response.cache_control.public = True
        response.expires = int(time.time() + max_age)
    else:
        response.cache_control.no_cache = True
    response.cache_control.max_age = max_age
    return response


def _guess_type(path: Path) -> str:
    """The content type send_file would give a file."""
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def init_app(app: Flask) -> None:
    """Make the configured store available as get_storage()."""
    app.extensions["media_storage"] = LocalStorage(app.config["MEDIA_ROOT"])


def get_storage() -> LocalStorage:
    """The current app's media store."""
    return current_app.extensions["media_storage"]
