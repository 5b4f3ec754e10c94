"""The app rides out its PostgreSQL and its Redis restarting (issue 16): after the restart the
same app (no new process, no new engine) answers again, on private servers made for this test
(bench/private.py: the machine's shared PostgreSQL and Redis are never restarted).
bench/faults.py does the same under gunicorn and a steady client, counting failed requests."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app, jobs
from app.auth.services import create_user
from app.db import Base, db, get_session

from .conftest import PASSWORD, app_config

PRIVATE = Path(__file__).resolve().parent.parent / "bench" / "private.py"
PHONE = "0899000001"  # generated: no real person


def bench_private() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_private", PRIVATE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_private"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Any, Any]]:
    """A private PostgreSQL cluster (with database bmn_faults) and a private Redis."""
    private = bench_private()
    if private.postgres_bin() is None:
        pytest.skip(
            "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin): apt-get install postgresql"
        )
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed: apt-get install redis-server")
    with private.PrivatePostgres() as pg, private.PrivateRedis() as redis:
        pg.create_database("bmn_faults")
        yield pg, redis


@pytest.fixture
def faulty_app(servers: tuple[Any, Any], tmp_path: Path) -> Iterator[Flask]:
    """The app on the private servers (rate limits and the job queue in Redis), with a user."""
    pg, redis = servers
    config = app_config(pg.url("bmn_faults"), tmp_path / "media", redis.url)
    application = create_app({**config, "RATELIMIT_STORAGE_URI": redis.url})
    with application.app_context():
        Base.metadata.drop_all(db.engine)
        Base.metadata.create_all(db.engine)
        session = get_session()
        create_user(session, full_name="ทดสอบ ระบบ", phone=PHONE, password=PASSWORD)
        session.commit()
    yield application
    with application.app_context():
        get_session().close()
        db.engine.dispose()
    application.extensions["huey"].storage.conn.close()


def log_in(client: FlaskClient, password: str = PASSWORD) -> int:
    return client.post("/login", data={"phone": PHONE, "password": password}).status_code


def test_pages_answer_again_after_postgresql_restarts(
    faulty_app: Flask, servers: tuple[Any, Any]
) -> None:
    pg, _redis = servers
    client = faulty_app.test_client()
    assert log_in(client) == 302
    assert client.get("/account/password").status_code == 200  # a pooled connection now
    pg.restart()  # fast: that connection is cut
    for _ in range(3):
        assert client.get("/account/password").status_code == 200
    assert log_in(faulty_app.test_client()) == 302


def test_logins_and_the_job_queue_work_again_after_redis_restarts(
    faulty_app: Flask, servers: tuple[Any, Any]
) -> None:
    _pg, redis = servers
    assert log_in(faulty_app.test_client(), "wrong-password-1") == 200  # a failure counted
    with faulty_app.app_context():
        assert jobs.enqueue("process_clip", 1)
    redis.restart()  # the counts and the queued job are gone with it
    assert log_in(faulty_app.test_client()) == 302
    assert log_in(faulty_app.test_client(), "wrong-password-1") == 200
    with faulty_app.app_context():
        assert jobs.enqueue("process_clip", 2)
        assert jobs.get_huey().pending_count() == 1
