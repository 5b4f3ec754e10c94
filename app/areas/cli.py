"""`flask areas ...` commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..db import get_session
from .services import AreaFileError, load_areas, read_area_csv

group = AppGroup("areas", help="Administrative areas (districts, subdistricts, villages).")


@group.command("load")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--demo-villages", default=0, show_default=True, help="Demo villages per subdistrict."
)
def load(path: str | None, demo_villages: int) -> None:
    """Load districts and subdistricts from a CSV (default: Nan's list) in one transaction."""
    csv_path = Path(path or current_app.config["AREAS_CSV"])
    session = get_session()
    try:
        counts = load_areas(session, read_area_csv(csv_path), demo_villages)
    except AreaFileError as error:
        session.rollback()
        raise click.ClickException(str(error)) from error
    session.commit()
    click.echo(
        "areas: {districts} new districts, {subdistricts} new subdistricts, "
        "{villages} new demo villages".format(**counts)
    )
