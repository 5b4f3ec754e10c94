"""`flask content ...`: load, export and check the content tree, import the indicator list."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from ..content.audit import pending_studio_changes, record
from ..content.files import read_indicator_csv
from ..content.models import BASICS
from ..content.recording import confirmed_recordings
from ..content.services import Changes, upsert_indicators
from ..content.yamlfile import ContentError
from ..db import get_session
from ..storage import get_storage
from .check import check_content
from .export import ExportError, export_content
from .load import load_content

cli = AppGroup("content", help="Learning content: indicators, lessons, quizzes.")


def _summary(changes: Changes) -> str:
    if not changes.total:
        return "no changes"
    parts = [f"{n} new {k}" for k, n in sorted(changes.created.items())]
    parts += [f"{n} changed {k}" for k, n in sorted(changes.updated.items())]
    return ", ".join(parts)


@contextmanager
def _all_or_nothing(session: Session, verb: str) -> Iterator[None]:
    """Commit what the block did, or on a ContentError roll it all back and say why."""
    try:
        yield
    except ContentError as error:
        session.rollback()
        raise click.ClickException(f"nothing {verb}: {error}") from error
    session.commit()


@cli.command("load")
@click.option("--force", is_flag=True, help="Load even over studio changes not yet exported.")
@click.option(
    "--skip-if-studio-changes",
    is_flag=True,
    help="Do nothing (exit 0) when studio changes are not yet exported (make run uses this).",
)
def content_load(force: bool, skip_if_studio_changes: bool) -> None:
    """Validate content/ and quizzes/ and load them in one transaction."""
    session = get_session()
    pending = pending_studio_changes(session)
    if pending and not force:
        message = (
            f"{pending} studio change(s) made since the last load or export would be "
            "overwritten; run `flask content export` first (then review and commit the files), "
            "or pass --force to discard them"
        )
        if skip_if_studio_changes:
            click.echo(f"content: not loaded: {message}")
            return
        raise click.ClickException(f"nothing loaded: {message}")
    with _all_or_nothing(session, "loaded"):
        changes = load_content(
            session,
            Path(current_app.config["CONTENT_ROOT"]),
            Path(current_app.config["QUIZ_ROOT"]),
            get_storage(),
        )
        record(session, user_id=None, action="content.load", changes=changes.total)
    click.echo(f"content: {_summary(changes)}")


@cli.command("export")
@click.option(
    "--to",
    "to",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write DIR/content and DIR/quizzes instead of the configured folders.",
)
def content_export(to: Path | None) -> None:
    """Write the published content back into content/ and quizzes/ (the load formats)."""
    content_root = Path(current_app.config["CONTENT_ROOT"])
    quiz_root = Path(current_app.config["QUIZ_ROOT"])
    targets = (to / "content", to / "quizzes") if to else (content_root, quiz_root)
    try:
        report = export_content(get_session(), *targets, get_storage(), reference=content_root)
    except ExportError as error:
        raise click.ClickException(f"nothing exported: {error}") from error
    if to is None:  # the configured folders now hold the studio's changes
        record(get_session(), user_id=None, action="content.export", written=len(report.written))
        get_session().commit()
    for warning in report.warnings:
        click.echo(f"warning: {warning}")
    click.echo(
        f"export: {len(report.written)} written, {report.unchanged} unchanged, "
        f"{len(report.removed)} removed"
    )


@cli.command("check")
def content_check() -> None:
    """Report, per indicator, what is missing or weak; exit 1 on any gap."""
    reports = check_content(
        Path(current_app.config["CONTENT_ROOT"]),
        Path(current_app.config["QUIZ_ROOT"]),
        confirmed_recordings(get_session()),
    )
    for report in reports:
        name = "basics" if report.number == BASICS else f"{report.number:02d}"
        click.echo(f"{name}: " + ("ok" if not report.gaps else "; ".join(report.gaps)))
    gaps = sum(bool(r.gaps) for r in reports)
    click.echo(f"{len(reports) - gaps} complete, {gaps} with gaps")
    if gaps:
        raise SystemExit(1)


@cli.command("import-indicators")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_indicators(path: str) -> None:
    """Replace the indicator wording with an official list (same columns), by number."""
    session = get_session()
    changes = Changes()
    with _all_or_nothing(session, "imported"):
        upsert_indicators(session, read_indicator_csv(Path(path)), changes, source="import")
    click.echo(f"indicators: {_summary(changes)}")
