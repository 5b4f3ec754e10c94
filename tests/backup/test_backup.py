"""`flask backup create` / `flask backup restore`: a backup restores every row and media file,
refuses what it must, and keeps no secrets."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, make_url, select, text

from app import create_app
from app.auth.models import Role, User
from app.backup.services import MANIFEST, MEDIA_DIR, code_head
from app.db import Base, get_session
from tests.conftest import app_config


def every_row(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every model table, in primary-key order."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def media_files(root: Path) -> dict[str, bytes]:
    """Every stored file under a media root (part files left out), by key."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".incoming" not in p.relative_to(root).parts
    }


@pytest.fixture
def target(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """A second, empty instance: its own database (schema only, as after `flask db upgrade`)
    and an empty media store. PostgreSQL: a scratch database `<test db>_restore`."""
    url = make_url(database_url)
    admin = None
    if url.get_backend_name() == "postgresql":
        name = f"{url.database}_restore"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        target_url = url.set(database=name).render_as_string(hide_password=False)
    else:
        name = ""
        target_url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    engine = create_engine(target_url)
    Base.metadata.create_all(engine)
    engine.dispose()
    media = tmp_path / "restored-media"
    media.mkdir()
    instance = create_app(
        app_config(target_url, media, f"sqlite:///{tmp_path / 'target-jobs.sqlite3'}")
    )
    yield instance
    with instance.app_context():
        from app.db import db

        db.engine.dispose()
    if admin is not None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_backup(app: Flask, out: Path) -> Path:
    result = app.test_cli_runner().invoke(args=["backup", "create", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return Path(result.output.strip().splitlines()[-1])


def restore(instance: Flask, backup: Path, *flags: str) -> Any:
    return instance.test_cli_runner().invoke(args=["backup", "restore", str(backup), *flags])


@pytest.fixture
def people(app: Flask, content: None, make_user) -> list[int]:
    """A volunteer and an officer, so personal data is in the database."""
    return [
        make_user(full_name="บุญมี ใจดี"),
        make_user(Role.OFFICER, full_name="สมชาย เจ้าหน้าที่", area_code="5501"),
    ]


def test_restore_into_an_empty_instance_round_trips_every_row_and_media_file(
    app, people, database_url, media_root, target, tmp_path
):
    backup = make_backup(app, tmp_path / "backups")

    result = restore(target, backup)

    assert result.exit_code == 0, result.output
    assert "restored" in result.output
    target_url = target.config["DATABASE_URL"]
    before, after = every_row(database_url), every_row(target_url)
    assert sum(map(len, before.values())) > 100  # the content state, users included
    assert after == before
    source_media = media_files(media_root)
    assert source_media  # the content state has clips and images
    assert media_files(Path(target.config["MEDIA_ROOT"])) == source_media
    with target.app_context():
        names = set(get_session().scalars(select(User.full_name)))
    assert {"บุญมี ใจดี", "สมชาย เจ้าหน้าที่"} <= names


def test_restore_over_a_database_with_rows_is_refused_unless_forced(
    app, people, database_url, target, tmp_path
):
    backup = make_backup(app, tmp_path / "backups")
    assert restore(target, backup).exit_code == 0
    with target.app_context():
        session = get_session()
        session.get(User, people[0]).full_name = "แก้ไขหลังสำรอง"
        session.commit()

    refused = restore(target, backup)

    assert refused.exit_code != 0
    assert "already holds" in refused.output and "--force" in refused.output
    with target.app_context():
        assert get_session().get(User, people[0]).full_name == "แก้ไขหลังสำรอง"

    forced = restore(target, backup, "--force")

    assert forced.exit_code == 0, forced.output
    assert every_row(target.config["DATABASE_URL"]) == every_row(database_url)


def test_a_corrupted_dump_is_refused_and_changes_nothing(app, people, target, tmp_path):
    backup = make_backup(app, tmp_path / "backups")
    manifest = json.loads((backup / MANIFEST).read_text())
    dump = backup / manifest["database"]["file"]
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    before = every_row(target.config["DATABASE_URL"])

    result = restore(target, backup, "--force")

    assert result.exit_code != 0
    assert "checksum" in result.output and "nothing was restored" in result.output
    assert every_row(target.config["DATABASE_URL"]) == before
    assert not any(before.values())
    assert media_files(Path(target.config["MEDIA_ROOT"])) == {}


def test_a_damaged_media_file_is_refused_and_changes_nothing(app, people, target, tmp_path):
    backup = make_backup(app, tmp_path / "backups")
    first = next(p for p in (backup / MEDIA_DIR).rglob("*") if p.is_file())
    first.write_bytes(first.read_bytes() + b"x")

    result = restore(target, backup)

    assert result.exit_code != 0
    assert "does not match its hash" in result.output
    assert not any(every_row(target.config["DATABASE_URL"]).values())
    assert media_files(Path(target.config["MEDIA_ROOT"])) == {}


def test_a_backup_from_unknown_newer_code_is_refused(app, people, target, tmp_path):
    backup = make_backup(app, tmp_path / "backups")
    manifest_path = backup / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest["alembic_revision"] = "ffffffffffff"
    manifest_path.write_text(json.dumps(manifest))

    result = restore(target, backup)

    assert result.exit_code != 0
    assert "unknown to this code" in result.output
    assert not any(every_row(target.config["DATABASE_URL"]).values())


def test_the_manifest_describes_the_backup_and_holds_no_secrets(
    app, people, database_url, media_root, tmp_path
):
    backup = make_backup(app, tmp_path / "backups")
    text_ = (backup / MANIFEST).read_text()
    manifest = json.loads(text_)

    rows = every_row(database_url)
    assert {name: len(r) for name, r in rows.items()}.items() <= manifest["row_counts"].items()
    assert manifest["database"]["kind"] == make_url(database_url).get_backend_name()
    assert manifest["media"]["files"] == len(media_files(media_root))
    assert manifest["media"]["bytes"] == sum(map(len, media_files(media_root).values()))
    assert manifest["created_at"].endswith("+00:00")
    assert "alembic_revision" in manifest and "app_version" in manifest
    with app.app_context():
        phones = list(get_session().scalars(select(User.phone)))
    url = make_url(database_url)
    secrets = [app.config["SECRET_KEY"], database_url, str(url.database), "บุญมี", *phones]
    if url.password:
        secrets.append(url.password)
    for secret in secrets:
        assert secret not in text_


def test_backup_files_are_private(app, people, tmp_path):
    backup = make_backup(app, tmp_path / "backups")

    assert stat.S_IMODE((tmp_path / "backups").stat().st_mode) == 0o700
    assert stat.S_IMODE(backup.stat().st_mode) == 0o700
    paths = list(backup.rglob("*"))
    assert any(p.is_file() for p in paths)
    for path in paths:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path


def test_an_older_revision_restores_and_says_to_upgrade(app, people, target, tmp_path):
    from alembic.script import ScriptDirectory

    from app.schema import MIGRATIONS

    head = code_head()
    older = ScriptDirectory(str(MIGRATIONS)).get_revision(head).down_revision
    backup = make_backup(app, tmp_path / "backups")
    manifest_path = backup / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest["alembic_revision"] = older
    manifest_path.write_text(json.dumps(manifest))

    result = restore(target, backup)

    assert result.exit_code == 0, result.output
    assert "flask db upgrade" in result.output


def test_a_missing_pg_dump_is_named(app, database_url, tmp_path, monkeypatch):
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL only")
    monkeypatch.setenv("PATH", str(tmp_path))

    result = app.test_cli_runner().invoke(args=["backup", "create", "--out", str(tmp_path / "b")])

    assert result.exit_code != 0
    assert "pg_dump was not found on PATH" in result.output
    assert not any((tmp_path / "b").iterdir())
    assert os.environ["PATH"] == str(tmp_path)
