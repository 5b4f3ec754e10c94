"""`flask db ...`: the database schema through Alembic (`migrations/`)."""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command as alembic
from alembic.config import Config as AlembicConfig
from flask.cli import AppGroup

from .db import db

cli = AppGroup("db", help="Database schema migrations (Alembic).")

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config() -> AlembicConfig:
    """Alembic configured for this app's database."""
    config = AlembicConfig(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    # The engine's URL, not the raw setting: a relative SQLite path lives in instance/.
    config.attributes["url"] = db.engine.url.render_as_string(hide_password=False)
    return config


@cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database to a revision (default: head)."""
    alembic.upgrade(alembic_config(), revision)


@cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to a revision."""
    alembic.downgrade(alembic_config(), revision)


@cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration from the difference between models and database."""
    alembic.revision(alembic_config(), message=message, autogenerate=True)


@cli.command("check")
def db_check() -> None:
    """Fail when the models and the migrations disagree."""
    alembic.check(alembic_config())
