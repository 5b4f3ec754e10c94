"""Backup benchmark: the time of `flask backup create` and `flask backup restore` on the
national-size database (bench/national.py builds it, or reuses it while the sizes match).

SQLite always (bench/.data/national.sqlite3); PostgreSQL too when DATABASE_URL is set: the
benchmark database is `<that database>_bench` (never the test database itself) and the restore
goes into `<that database>_bench_restore`, created empty and dropped afterwards. The media
store is synthetic (`--media-files` random files of `--media-mb` MB each), as the national
database has no media.

    .venv/bin/python bench/backup_time.py [--scale 0.25] [--rebuild] [--media-files 40]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bmn_hl .venv/bin/python ...
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import national  # noqa: E402
from sqlalchemy import create_engine, make_url, text  # noqa: E402

from app.backup.services import create_backup, read_manifest, restore_backup  # noqa: E402


def _pg_sink(dbname: str) -> type:
    """national.Sink writing into our database instead of `bmn_bench`."""

    class Sink(national.Sink):
        def __init__(self, url: str) -> None:
            if not url.startswith("postgresql"):
                super().__init__(url)
                return
            import psycopg

            self.url, self.pg = url, True
            self.conn = psycopg.connect(f"host=127.0.0.1 user=postgres dbname={dbname}")

    return Sink


def _recreate(admin_url: str, name: str, drop_only: bool = False) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if not drop_only:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def _ensure(admin_url: str, name: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        found = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not found:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def _media(root: Path, files: int, megabytes: float) -> None:
    """A synthetic content-addressed store (reused when it has the wanted number of files)."""
    have = [p for p in root.rglob("*.bin") if p.is_file()] if root.is_dir() else []
    if len(have) == files:
        return
    shutil.rmtree(root, ignore_errors=True)
    for _ in range(files):
        data = os.urandom(int(megabytes * 1024 * 1024))
        sha = hashlib.sha256(data).hexdigest()
        path = root / sha[:2] / f"{sha}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure(url: str, target_url: str, media: Path, work: Path) -> dict[str, Any]:
    """Create a backup of `url` and restore it into the empty `target_url`; seconds and sizes."""
    engine = create_engine(url)
    started = time.perf_counter()
    backup = create_backup(engine, media, work / "backups")
    created = time.perf_counter() - started
    engine.dispose()
    manifest = read_manifest(backup)
    target = create_engine(target_url)
    restored_media = work / "restored-media"
    started = time.perf_counter()
    report = restore_backup(target, restored_media, backup)
    restored = time.perf_counter() - started
    target.dispose()
    return {
        "create_s": created,
        "restore_s": restored,
        "rows": report.rows,
        "attempts": manifest["row_counts"].get("attempts", 0),
        "dump_mb": manifest["database"]["bytes"] / 1e6,
        "backup_mb": _size(backup) / 1e6,
        "media_files": report.media_files,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.25, help="of the national size")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--media-files", type=int, default=40)
    parser.add_argument("--media-mb", type=float, default=2.0)
    args = parser.parse_args(argv)
    sizes = national.SIZES
    sizes["villages"] = max(int(sizes["villages"] * args.scale), sizes["provinces"])
    sizes["volunteers"] = int(sizes["volunteers"] * args.scale)
    national.DATA.mkdir(parents=True, exist_ok=True)
    urls = [national.SQLITE_URL]
    pg_target = None
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgresql"):
        parsed = make_url(base)
        name = f"{parsed.database}_bench"
        _ensure(base, name)
        pg_url = parsed.set(database=name).render_as_string(hide_password=False)
        pg_target = parsed.set(database=f"{name}_restore").render_as_string(hide_password=False)
        urls.append(pg_url)
        national.Sink = _pg_sink(name)  # type: ignore[misc]
        # national.build runs `createdb bmn_bench`; ours exists already, so skip that.
        national.subprocess = types.SimpleNamespace(run=lambda *a, **k: None)  # type: ignore[assignment]
    print(f"scale {args.scale}: checking the cached databases")
    started = time.perf_counter()
    built = national.build(urls, args.rebuild)
    took = time.perf_counter() - started
    print(f"  rebuilt: {', '.join(built) or 'none (reused)'} ({took:.0f} s)")
    media = national.DATA / "backup-media"
    _media(media, args.media_files, args.media_mb)
    for url in urls:
        with tempfile.TemporaryDirectory(dir=national.DATA) as tmp:
            work = Path(tmp)
            if url.startswith("postgresql"):
                assert pg_target is not None
                _recreate(base, make_url(pg_target).database)
                target_url = pg_target
            else:
                target_url = f"sqlite:///{work / 'restored.sqlite3'}"
            try:
                figures = measure(url, target_url, media, work)
            finally:
                if url.startswith("postgresql"):
                    _recreate(base, make_url(pg_target).database, drop_only=True)
        kind = url.split(":")[0].split("+")[0]
        print(
            f"{kind}: create {figures['create_s']:.1f} s, restore {figures['restore_s']:.1f} s;"
            f" {figures['rows']:,} rows ({figures['attempts']:,} attempts),"
            f" dump {figures['dump_mb']:.0f} MB, backup {figures['backup_mb']:.0f} MB"
            f" with {figures['media_files']} media files"
        )


if __name__ == "__main__":
    main()
