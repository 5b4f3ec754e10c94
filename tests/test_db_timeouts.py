"""Database time limits (issue 14, defect 6): a database that accepts connections but never
answers fails a request within the connect timeout, and /healthz answers within 2 s."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.db import db


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server that accepts every connection and never says a word; yields its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def silent_app(port: int, **config):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "WTF_CSRF_ENABLED": False,
            "DATABASE_URL": f"postgresql+psycopg://nobody@127.0.0.1:{port}/none",
            **config,
        }
    )


def test_healthz_answers_within_2_s_when_the_database_never_answers(silent_server):
    client = silent_app(silent_server, DB_CONNECT_TIMEOUT=3).test_client()
    for _ in range(5):  # again and again: hanging probes do not pile up into longer waits
        started = time.monotonic()
        response = client.get("/healthz")
        assert time.monotonic() - started < 2
        assert response.status_code == 503
        assert response.get_json() == {"status": "error", "database": "unreachable"}


def test_a_page_fails_within_the_connect_timeout(silent_server):
    client = silent_app(silent_server, DB_CONNECT_TIMEOUT=1).test_client()
    started = time.monotonic()
    with pytest.raises(OperationalError, match="timeout"):  # TESTING: the 500 propagates
        client.get("/indicators/1")  # a public page that reads the database
    assert time.monotonic() - started < 5


def test_the_healthz_answers_200_again_once_the_database_does(client):
    for _ in range(3):
        assert client.get("/healthz").status_code == 200


def test_the_time_limits_reach_the_database(app, database_url):
    with app.app_context():
        with db.engine.connect() as connection:
            if make_url(database_url).get_backend_name() == "postgresql":
                assert connection.scalar(text("SHOW statement_timeout")) == "30s"
            else:
                assert connection.scalar(text("PRAGMA busy_timeout")) == 10_000


def test_the_limits_are_configurable(database_url):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "DATABASE_URL": database_url,
            "DB_STATEMENT_TIMEOUT": 2,
            "DB_BUSY_TIMEOUT": 2,
        }
    )
    with app.app_context():
        with db.engine.connect() as connection:
            if make_url(database_url).get_backend_name() == "postgresql":
                assert connection.scalar(text("SHOW statement_timeout")) == "2s"
                with pytest.raises(Exception, match="statement timeout"):
                    connection.execute(text("SELECT pg_sleep(5)"))
            else:
                assert connection.scalar(text("PRAGMA busy_timeout")) == 2_000
        db.engine.dispose()
