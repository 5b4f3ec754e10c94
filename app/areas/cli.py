"""`flask areas ...` commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from ..db import get_session
from .gazetteer import DEMO_VILLAGES_CSV, ZONES_CSV, AreaFileError, read_gazetteer
from .models import Subdistrict
from .services import add_demo_villages, load_gazetteer

cli = AppGroup("areas", help="Administrative areas (districts, subdistricts, villages).")


@cli.command("load")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--demo", is_flag=True, help="Mark the villages of these files as demo villages.")
@click.option(
    "--demo-villages",
    default=0,
    show_default=True,
    help="Instead of the demo village file: generate N demo villages per empty subdistrict.",
)
def load(files: tuple[Path, ...], demo: bool, demo_villages: int) -> None:
    """Load area, zone, village CSVs all or nothing (no FILE: Nan, zones, 923 demo villages)."""
    if not files:
        files = (Path(current_app.config["AREAS_CSV"]), ZONES_CSV)
        if not demo_villages:
            files += (DEMO_VILLAGES_CSV,)
    session = get_session()
    try:
        report = load_gazetteer(session, read_gazetteer(files, demo=demo))
        generated = 0
        if demo_villages:
            everywhere = list(session.scalars(select(Subdistrict).order_by(Subdistrict.code)))
            generated = add_demo_villages(session, everywhere, demo_villages)
    except AreaFileError as error:
        session.rollback()
        count = len(error.problems)
        raise click.ClickException(
            f"{count} problem{'s' if count > 1 else ''}, nothing was loaded:\n{error}"
        ) from error
    session.commit()
    for line in report.lines():
        click.echo(line)
    if demo_villages:
        click.echo(
            f"areas: {report.districts.created} new districts, "
            f"{report.subdistricts.created} new subdistricts, {generated} new demo villages"
        )
