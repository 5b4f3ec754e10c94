"""Models and migrations agree: upgrade head on an empty database, then Alembic's check."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, text

import app.models  # noqa: F401
from app.db import Base

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def _config(connection) -> Config:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@pytest.fixture
def empty_connection(tmp_path: Path):
    """A connection to an empty database: a new SQLite file, or a fresh PostgreSQL schema."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgresql"):
        schema = f"mig_{uuid.uuid4().hex[:8]}"
        engine = create_engine(url)
        with engine.begin() as setup:
            setup.execute(text(f"CREATE SCHEMA {schema}"))
        with engine.connect() as connection:
            connection.execute(text(f"SET search_path TO {schema}"))
            connection.commit()
            connection.dialect.default_schema_name = schema
            yield connection
        with engine.begin() as teardown:
            teardown.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()
    else:
        engine = create_engine(f"sqlite:///{tmp_path / 'migrate.sqlite3'}")
        with engine.connect() as connection:
            yield connection
        engine.dispose()


def test_upgrade_head_creates_every_table_and_matches_models(empty_connection):
    config = _config(empty_connection)
    command.upgrade(config, "head")
    empty_connection.commit()
    tables = set(inspect(empty_connection).get_table_names())
    assert set(Base.metadata.tables) <= tables
    command.check(config)  # raises when models and migrations drift apart


def test_downgrade_to_base_removes_the_schema(empty_connection):
    config = _config(empty_connection)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    empty_connection.commit()
    assert set(inspect(empty_connection).get_table_names()) <= {"alembic_version"}
