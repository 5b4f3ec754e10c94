"""`flask volunteers ...` commands."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from .importfile import KEEP_SECONDS, purge_uploads, upload_folder

cli = AppGroup("volunteers", help="Volunteer accounts and their import files.")


@cli.command("purge-imports")
def purge_imports() -> None:
    """Delete checked import files older than an hour (run it from a timer or cron)."""
    count = purge_uploads(upload_folder(current_app))
    click.echo(f"{count} import files older than {KEEP_SECONDS // 60} minutes deleted.")
