"""`flask media ...` commands."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import or_, select

from ..content.models import Clip
from ..db import get_session
from ..storage import get_storage
from .clips import add_webp_posters
from .tasks import current_tools, queue_processing

cli = AppGroup("media", help="Clips and infographics: background processing.")


@cli.command("process-pending")
@click.option("--retry-failed", is_flag=True, help="Also try the failed clips again.")
def process_pending(retry_failed: bool) -> None:
    """Queue processing for clips still processing (a lost job) or without a phone rendition
    or low-data variant (shipped clips); the worker makes what is missing. Posters stored before
    lessons showed WebP get their WebP version first."""
    session = get_session()
    made = add_webp_posters(session, get_storage())
    session.commit()
    click.echo(f"WebP posters made: {made}")
    if not current_tools().can_process:
        click.echo("clips queued for processing: none (ffmpeg is not installed)")
        return
    states = ["processing", "failed"] if retry_failed else ["processing"]
    stmt = (
        select(Clip.id)
        .where(Clip.archived_at.is_(None))
        .where(
            or_(
                Clip.state.in_(states),
                (Clip.state == "ready") & (Clip.low_path.is_(None) | Clip.phone_path.is_(None)),
            )
        )
        .order_by(Clip.id)
    )
    ids = list(get_session().scalars(stmt))
    queued = sum(queue_processing(clip_id) for clip_id in ids)
    click.echo(f"clips queued for processing: {queued} of {len(ids)}")
