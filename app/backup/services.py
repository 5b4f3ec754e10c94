"""Make and restore a backup: one directory holding the database, the media store and a manifest.

    <name>/manifest.json       what is in the backup (no secrets, no personal data)
    <name>/database.sqlite3    SQLite: a consistent copy (the online backup API)
    <name>/database.dump       PostgreSQL: `pg_dump --format=custom`
    <name>/media/<key>         every stored media file, under its content-hash key

The directory is 0700 and every file 0600: the database holds personal data. Restoring
checks everything (manifest, revision, dump checksum, every media file's hash) before it
changes anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, inspect, text
from sqlalchemy.engine import URL

from ..schema import MIGRATIONS
from ..storage import INCOMING, KEY

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
MEDIA_DIR = "media"
CHUNK = 1024 * 1024
DIR_MODE = 0o700
FILE_MODE = 0o600


class BackupError(Exception):
    """A backup that cannot be made or restored; the message says why (English CLI text)."""


@dataclass
class RestoreReport:
    """What a restore did."""

    kind: str
    tables: int
    rows: int
    media_files: int
    media_copied: int
    revision: str | None
    notes: list[str] = field(default_factory=list)


# --- small helpers -------------------------------------------------------------------------


def _mkdir_private(path: Path) -> None:
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    path.chmod(DIR_MODE)


def _open_private(path: Path) -> Any:
    """A new file, 0600 from its first byte."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return os.fdopen(fd, "wb")


def sha256_of(path: Path) -> str:
    """The SHA-256 (hex) of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def code_head() -> str | None:
    """The Alembic head revision of this code."""
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def known_revisions() -> set[str]:
    """Every revision in this code's migration history."""
    return {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def app_version() -> str:
    """The installed package's version, or "unknown"."""
    try:
        return metadata.version("bmn-learn")
    except metadata.PackageNotFoundError:
        return "unknown"


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def row_counts(connection: Connection) -> dict[str, int]:
    """Rows per table, every table of the database's default schema."""
    names = sorted(inspect(connection).get_table_names())
    return {
        name: int(connection.scalar(text(f"SELECT count(*) FROM {_quote(connection, name)}")))
        for name in names
    }


def _revision(connection: Connection, counts: dict[str, int]) -> str | None:
    if "alembic_version" not in counts:
        return None
    return connection.scalar(text("SELECT version_num FROM alembic_version"))


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment carrying it
    (a password on a command line is visible to every user of the machine)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found on PATH: install the PostgreSQL client tools"
            f" (Debian: apt-get install postgresql-client) whose major version is at least"
            f" the server's."
        )
    return found


def _media_files(root: Path) -> list[tuple[str, Path]]:
    """Every stored file under a media root, as (key, path); part files are left out."""
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        key = path.relative_to(root).as_posix()
        if key.startswith(INCOMING + "/") or not KEY.fullmatch(key):
            continue
        found.append((key, path))
    return found


def _key_sha(key: str) -> str:
    return key.split("/", 1)[1].split(".", 1)[0]


# --- create ----------------------------------------------------------------------------------


def create_backup(engine: Engine, media_root: Path, out_dir: Path) -> Path:
    """Write a backup of the database and the media store into a new directory under
    `out_dir`; its path. A half-written backup is removed."""
    _mkdir_private(out_dir)
    stamp = datetime.now(UTC)
    target = out_dir / f"bmn-backup-{stamp:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
    work = out_dir / f".{target.name}.part"
    _mkdir_private(work)
    try:
        kind = engine.dialect.name
        if kind == "sqlite":
            dump, counts, revision = _dump_sqlite(engine, work / SQLITE_FILE)
        elif kind == "postgresql":
            dump, counts, revision = _dump_postgresql(engine, work / PG_FILE)
        else:
            raise BackupError(f"backups of {kind} databases are not supported")
        media_count, media_bytes, skipped = _copy_media(media_root, work / MEDIA_DIR)
        manifest = {
            "format": FORMAT,
            "app_version": app_version(),
            "alembic_revision": revision,
            "database": {
                "kind": kind,
                "file": dump.name,
                "sha256": sha256_of(dump),
                "bytes": dump.stat().st_size,
            },
            "created_at": stamp.isoformat(timespec="seconds"),
            "row_counts": counts,
            "media": {"files": media_count, "bytes": media_bytes, "skipped_bad_files": skipped},
        }
        with _open_private(work / MANIFEST) as handle:
            handle.write(json.dumps(manifest, indent=2, sort_keys=True).encode())
        os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def _dump_sqlite(engine: Engine, dump: Path) -> tuple[Path, dict[str, int], str | None]:
    """SQLite's online backup API: a consistent copy even while the app writes."""
    source_path = engine.url.database
    if not source_path or source_path == ":memory:":
        raise BackupError("the SQLite database is in memory: nothing on disk to back up")
    if not Path(source_path).is_file():
        raise BackupError(f"the SQLite database file does not exist: {source_path}")
    _open_private(dump).close()
    source = sqlite3.connect(source_path, timeout=30)  # read only by the backup (WAL too)
    copy = sqlite3.connect(dump)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    dump.chmod(FILE_MODE)
    copied = create_engine(f"sqlite:///{dump}")
    try:
        with copied.connect() as connection:
            counts = row_counts(connection)
            revision = _revision(connection, counts)
    finally:
        copied.dispose()
    return dump, counts, revision


def _dump_postgresql(engine: Engine, dump: Path) -> tuple[Path, dict[str, int], str | None]:
    """pg_dump from an exported snapshot, so the row counts describe exactly the dump."""
    pg_dump = _tool("pg_dump")
    conninfo, env = _libpq(engine.url)
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            counts = row_counts(connection)
            revision = _revision(connection, counts)
            with _open_private(dump) as handle:
                done = subprocess.run(
                    [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--dbname={conninfo}"],
                    stdout=handle,
                    stderr=subprocess.PIPE,
                    env=env,
                    check=False,
                )
    if done.returncode != 0:
        raise BackupError("pg_dump failed: " + done.stderr.decode(errors="replace").strip())
    return dump, counts, revision


def _copy_media(root: Path, target: Path) -> tuple[int, int, int]:
    """Copy every stored file whose bytes match its key; (files, bytes, files skipped)."""
    _mkdir_private(target)
    count = size = skipped = 0
    for key, path in _media_files(root):
        destination = target / key
        _mkdir_private(destination.parent)
        digest = hashlib.sha256()
        with path.open("rb") as source, _open_private(destination) as handle:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                handle.write(chunk)
        if digest.hexdigest() != _key_sha(key):
            destination.unlink()  # a damaged file in the store: not copied, counted
            skipped += 1
            continue
        count += 1
        size += destination.stat().st_size
    return count, size, skipped


# --- restore ---------------------------------------------------------------------------------


def read_manifest(backup: Path) -> dict[str, Any]:
    """The backup's manifest, checked for the fields restore needs."""
    path = backup / MANIFEST
    if not path.is_file():
        raise BackupError(f"{backup} is not a backup: it has no {MANIFEST}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        database = manifest["database"]
        if manifest["format"] != FORMAT:
            raise BackupError(f"backup format {manifest['format']} is not supported")
        for name in ("kind", "file", "sha256"):
            database[name]  # noqa: B018 - present or KeyError
        manifest["media"]["files"]  # noqa: B018
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"the manifest of {backup} is damaged ({error})") from error
    return manifest


def verify_backup(backup: Path, manifest: dict[str, Any]) -> list[str]:
    """Check the backup before anything is changed: the revision, the dump's checksum and
    every media file. Notes for the operator (e.g. run `flask db upgrade` afterwards)."""
    notes: list[str] = []
    revision = manifest.get("alembic_revision")
    head = code_head()
    if revision is None:
        notes.append("the backup's database has no Alembic revision (made without migrations)")
    elif revision != head:
        if revision not in known_revisions():
            raise BackupError(
                f"the backup was made at Alembic revision {revision}, unknown to this code"
                f" (head {head}): restore it with the version of the app that made it"
            )
        notes.append(
            f"the backup is at revision {revision}, older than this code's {head}:"
            " run `flask db upgrade` now"
        )
    database = manifest["database"]
    dump = backup / Path(database["file"]).name
    if not dump.is_file():
        raise BackupError(f"the database dump {dump.name} is missing from the backup")
    if sha256_of(dump) != database["sha256"]:
        raise BackupError(
            f"the database dump {dump.name} does not match its checksum: the backup is damaged;"
            " nothing was restored"
        )
    files = _media_files(backup / MEDIA_DIR)
    for key, path in files:
        if sha256_of(path) != _key_sha(key):
            raise BackupError(
                f"media file {key} does not match its hash: the backup is damaged;"
                " nothing was restored"
            )
    if len(files) != manifest["media"]["files"] or sum(p.stat().st_size for _, p in files) != (
        manifest["media"].get("bytes", 0)
    ):
        raise BackupError(
            f"the backup holds {len(files)} media files, its manifest says"
            f" {manifest['media']['files']}: the backup is incomplete; nothing was restored"
        )
    return notes


def database_rows(engine: Engine) -> int:
    """How many rows the database holds, over all its tables."""
    with engine.connect() as connection:
        return sum(row_counts(connection).values())


def restore_backup(
    engine: Engine, media_root: Path, backup: Path, *, force: bool = False
) -> RestoreReport:
    """Restore a backup into this app's database and media store. Refuses a database that
    has rows unless `force`; checks the whole backup first, so a refused or damaged backup
    changes nothing."""
    manifest = read_manifest(backup)
    kind = manifest["database"]["kind"]
    if kind != engine.dialect.name:
        raise BackupError(
            f"the backup is of a {kind} database; this app uses {engine.dialect.name}"
        )
    notes = verify_backup(backup, manifest)
    rows = database_rows(engine)
    if rows and not force:
        raise BackupError(
            f"the database already holds {rows} rows: restore into an empty database,"
            " or pass --force to replace everything in it"
        )
    if kind == "postgresql":
        _tool("pg_restore")  # before anything is written
    copied = _restore_media(backup / MEDIA_DIR, media_root)
    dump = backup / Path(manifest["database"]["file"]).name
    engine.dispose()  # no pooled connection holds the old database open
    if kind == "sqlite":
        _restore_sqlite(engine, dump)
    else:
        _restore_postgresql(engine, dump)
    engine.dispose()
    counts = manifest.get("row_counts", {})
    return RestoreReport(
        kind=kind,
        tables=len(counts),
        rows=sum(counts.values()),
        media_files=manifest["media"]["files"],
        media_copied=copied,
        revision=manifest.get("alembic_revision"),
        notes=notes,
    )


def _restore_media(source: Path, root: Path) -> int:
    """Put every file back under its key (written aside, renamed into place); how many were
    copied (files already there with the same bytes are kept)."""
    copied = 0
    for key, path in _media_files(source):
        target = root / key
        if target.is_file() and sha256_of(target) == _key_sha(key):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        incoming = root / INCOMING
        incoming.mkdir(parents=True, exist_ok=True)
        part = incoming / f"{uuid.uuid4().hex}.part"  # the store's own file mode, as on upload
        try:
            with path.open("rb") as data, part.open("wb") as handle:
                shutil.copyfileobj(data, handle, CHUNK)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(part, target)
        finally:
            part.unlink(missing_ok=True)
        copied += 1
    return copied


def _restore_sqlite(engine: Engine, dump: Path) -> None:
    """The backup API again, into the app's database file: one step, all or nothing."""
    target_path = engine.url.database
    if not target_path or target_path == ":memory:":
        raise BackupError("the SQLite database is in memory: nothing on disk to restore into")
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    target = sqlite3.connect(target_path, timeout=30)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _restore_postgresql(engine: Engine, dump: Path) -> None:
    """pg_restore in one transaction: objects of the dump are dropped first when present
    (--clean --if-exists), so an empty schema made by `flask db upgrade` is fine."""
    pg_restore = _tool("pg_restore")
    conninfo, env = _libpq(engine.url)
    done = subprocess.run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={conninfo}",
            str(dump),
        ],
        capture_output=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(
            "pg_restore failed and rolled back (the database is unchanged): "
            + done.stderr.decode(errors="replace").strip()
        )
