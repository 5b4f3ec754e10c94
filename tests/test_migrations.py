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


def test_upgrading_a_database_with_content_keeps_it(empty_connection):
    """Each migration runs on a database that has rows (SQLite rebuilds tables in batch mode)."""
    config = _config(empty_connection)
    first = sorted(p.name for p in (MIGRATIONS / "versions").glob("*.py"))[0].split("_")[2]
    command.upgrade(config, first)
    empty_connection.execute(text("INSERT INTO categories VALUES (1, 'สุขภาพ', 'Health')"))
    empty_connection.execute(
        text(
            "INSERT INTO indicators (id, number, category_number, title_th, title_en,"
            " target_group_th, criterion_th, status, wording_source, measures, target_group,"
            " how_to_ask, how_to_record, pitfalls) VALUES (1, 1, 1, 't', 'e', '', '',"
            " 'provisional', 'content', '', '', '', '', '')"
        )
    )
    empty_connection.execute(
        text(
            "INSERT INTO faq_cards (id, indicator_id, slug, position, title_th, body, published)"
            " VALUES (1, 1, 'x', 1, 'ถาม', 'ตอบ', true)"
        )
    )
    empty_connection.commit()
    command.upgrade(config, "head")
    empty_connection.commit()
    row = empty_connection.execute(text("SELECT indicator_id, slug FROM faq_cards")).one()
    assert tuple(row) == (1, "x")
    assert empty_connection.execute(text("SELECT number FROM indicators")).scalar() == 1


def test_downgrading_past_the_basics_lesson_refuses_with_a_reason(empty_connection):
    config = _config(empty_connection)
    command.upgrade(config, "head")
    empty_connection.execute(
        text(
            "INSERT INTO indicators (id, number, category_number, title_th, title_en,"
            " target_group_th, criterion_th, status, wording_source, measures, target_group,"
            " how_to_ask, how_to_record, pitfalls) VALUES (1, 0, NULL, 'พื้นฐาน', 'Basics', '',"
            " '', 'official', 'content', '', '', '', '', '')"
        )
    )
    empty_connection.commit()
    with pytest.raises(RuntimeError, match="survey basics"):
        command.downgrade(config, "base")
