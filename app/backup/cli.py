"""`flask backup create` and `flask backup restore`: the database and the media store."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..db import db
from .services import BackupError, create_backup, restore_backup

cli = AppGroup("backup", help="Back up and restore the database and the media files.")


@cli.command("create")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory to write the backup into (default: <instance>/backups).",
)
def create(out: Path | None) -> None:
    """Write a consistent backup (database, media, manifest) into a new 0700 directory."""
    out = out or Path(current_app.instance_path) / "backups"
    try:
        path = create_backup(db.engine, Path(current_app.config["MEDIA_ROOT"]), out)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(str(path))


@cli.command("restore")
@click.argument("backup", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds rows.")
def restore(backup: Path, force: bool) -> None:
    """Restore a backup made by `flask backup create` into this app's database and media."""
    try:
        report = restore_backup(
            db.engine, Path(current_app.config["MEDIA_ROOT"]), backup, force=force
        )
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"restored {report.kind} database: {report.rows} rows in {report.tables} tables"
        f" (revision {report.revision or 'none'})"
    )
    click.echo(f"media files: {report.media_files} in the backup, {report.media_copied} copied")
    for note in report.notes:
        click.echo(f"note: {note}")
