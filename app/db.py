"""Database: the declarative Base, the session per app context, UTC datetimes."""

from __future__ import annotations

import functools
import re
import select
import threading
import weakref
from datetime import UTC, datetime
from inspect import iscoroutinefunction
from typing import Any

from flask import Flask
from flask_sqlalchemy_lite import SQLAlchemy
from sqlalchemy import DateTime, Engine, MetaData, String, event, make_url, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy()


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A datetime stored as UTC and always returned timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite enforces foreign keys only when asked, per connection; it also learns the
    Thai collation that `thai_order` names."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Write-ahead logging: readers never wait for a writer, and a commit appends to the
        # log instead of rewriting pages and syncing twice (a quiz submit's commit was a
        # quarter of its time). NORMAL sync is safe in WAL mode: a power cut can lose the
        # last commits, never corrupt the file. (An in-memory database stays "memory".)
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        dbapi_connection.create_collation(SQLITE_THAI_COLLATION, _thai_compare)


# Thai dictionary order. A leading vowel (เ แ โ ใ ไ) is written before the consonant it
# follows in speech, and dictionaries sort by that consonant: เกษม sorts as ก-เ-ษ-ม, after
# every other word starting with ก and before ข. Tone marks and the silencer only break
# ties. PostgreSQL sorts with ICU's Thai collation (the server must have ICU: check
# `SELECT collname FROM pg_collation WHERE collname = 'th-TH-x-icu'`); SQLite with
# `thai_sort_key`, registered per connection.
POSTGRES_THAI_COLLATION = "th-TH-x-icu"
SQLITE_THAI_COLLATION = "thai"
_LEADING_VOWEL = re.compile("([\u0e40-\u0e44])([\u0e01-\u0e2e])")
_TIE_BREAKERS = dict.fromkeys(map(ord, "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d"))


def thai_sort_key(text: str) -> tuple[str, str]:
    """A key that sorts Thai text in dictionary order (see above); other text by code point."""
    swapped = _LEADING_VOWEL.sub(r"\2\1", text or "")
    return swapped.translate(_TIE_BREAKERS), swapped


# SQLite calls the collation for every comparison of a sort (some 13 per row for a page in
# the middle of a 7,000-volunteer province): keys of the names seen lately are kept, so each
# name is keyed about once (0.5 s of CPU down to about 0.1 s for such a page).
_cached_key = functools.lru_cache(maxsize=16384)(thai_sort_key)


def _thai_compare(left: str, right: str) -> int:
    """SQLite's collation callback: -1, 0 or 1 by thai_sort_key."""
    a, b = _cached_key(left), _cached_key(right)
    return (a > b) - (a < b)


class thai_order(FunctionElement):  # noqa: N801 - reads like the SQL it renders
    """ORDER BY a text column in Thai dictionary order: `column COLLATE <Thai collation>`
    on PostgreSQL and SQLite, so sorting (and so paging) happens in the query."""

    type = String()
    inherit_cache = True


@compiles(thai_order)
def _thai_order_default(element: thai_order, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(thai_order, "sqlite")
def _thai_order_sqlite(element: thai_order, compiler: Any, **kw: Any) -> str:
    return f"{compiler.process(element.clauses, **kw)} COLLATE {SQLITE_THAI_COLLATION}"


@compiles(thai_order, "postgresql")
def _thai_order_postgresql(element: thai_order, compiler: Any, **kw: Any) -> str:
    return f'{compiler.process(element.clauses, **kw)} COLLATE "{POSTGRES_THAI_COLLATION}"'


def engine_options(url: str, config: dict[str, Any]) -> dict[str, Any]:
    """The engine's options with the time limits of the configuration: a database that
    accepts connections but never answers, or a lock held for ever, fails a request in
    seconds instead of minutes. A limit written in the URL itself wins."""
    parsed = make_url(url)
    # Statement parameters (names, mobiles) never appear in errors or logs.
    options: dict[str, Any] = {"url": url, "hide_parameters": True}
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if "timeout" not in parsed.query:
            options["connect_args"] = {"timeout": float(config["DB_BUSY_TIMEOUT"])}
    elif backend == "postgresql":
        connect_args: dict[str, Any] = {}
        if "connect_timeout" not in parsed.query:
            connect_args["connect_timeout"] = max(1, round(float(config["DB_CONNECT_TIMEOUT"])))
        if "options" not in parsed.query:
            milliseconds = round(float(config["DB_STATEMENT_TIMEOUT"]) * 1000)
            connect_args["options"] = f"-c statement_timeout={milliseconds}"
        options["connect_args"] = connect_args
        options["pool_timeout"] = float(config["DB_POOL_TIMEOUT"])
    return options


def conflict_insert_for(dialect: str, table: Any) -> Any:
    """An INSERT that knows ON CONFLICT, for a database by its dialect name."""
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


def conflict_insert(session: Session, table: Any) -> Any:
    """An INSERT that knows ON CONFLICT, for the session's database."""
    return conflict_insert_for(session.get_bind().dialect.name, table)


def _closed_by_server(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Before a pooled PostgreSQL connection is used: when the server has closed it (it
    restarted, or ended idle sessions), replace it instead of failing the request on it.

    An idle connection never has anything to read, so a readable socket means the server
    said goodbye (its FATAL message, or end of file). That is a local poll, where
    `pool_pre_ping` cost a round trip on every request (issue 16). A server that vanished
    without closing its sockets is found by the first statement instead (SQLAlchemy then
    replaces every pooled connection)."""
    try:
        readable, _w, _x = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError) as error:  # already closed here
        raise DisconnectionError("connection closed") from error
    if readable:
        raise DisconnectionError("the server closed the connection")


def init_app(app: Flask) -> None:
    """Bind the database to the app, with the configured time limits."""
    engines = app.config.setdefault("SQLALCHEMY_ENGINES", {"default": app.config["DATABASE_URL"]})
    default = engines.get("default")
    if isinstance(default, str):
        engines["default"] = engine_options(default, app.config)
    db.init_app(app)
    # Flask-SQLAlchemy-Lite also registers an async teardown for async sessions, which Flask
    # runs through asgiref on every app context: a thread and an event loop per request
    # (~0.5 ms) for sessions this app never makes.
    if not app.config.get("SQLALCHEMY_ASYNC_ENGINES"):
        app.teardown_appcontext_funcs[:] = [
            func for func in app.teardown_appcontext_funcs if not iscoroutinefunction(func)
        ]
    with app.app_context():  # after the async teardown is gone: this context is popped too
        engine = db.engine
    if engine.dialect.name == "postgresql":
        event.listen(engine, "checkout", _closed_by_server)


# Health probes still waiting, per engine: a hung database leaves a few threads waiting until
# the connect timeout, never one per request.
_probes: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()
_probes_lock = threading.Lock()
_MAX_PROBES = 3


def database_answers(engine: Engine, timeout: float) -> bool:
    """True when the database answers `SELECT 1` within `timeout` seconds. The query runs in
    a thread of its own, so the caller never waits longer, whatever the database does."""
    with _probes_lock:
        if _probes.get(engine, 0) >= _MAX_PROBES:
            return False  # earlier probes are still hanging: the database is not answering
        _probes[engine] = _probes.get(engine, 0) + 1
    answered = threading.Event()
    result: list[bool] = []

    def probe() -> None:
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            result.append(True)
        except Exception:  # any failure means "not answering"; the caller logs it
            result.append(False)
        finally:
            with _probes_lock:
                _probes[engine] = _probes.get(engine, 1) - 1
            answered.set()

    threading.Thread(target=probe, name="database-health", daemon=True).start()
    return answered.wait(timeout) and bool(result and result[0])


def get_session() -> Session:
    """The session of the current app context."""
    return db.session
