"""The background job queue: Huey on SQLite by default, on Redis when JOBS_URL says so.

Features declare job functions with `@job` at import time; `init_app` gives each app its own
Huey instance (app.extensions["huey"]) and registers every job on it, wrapped so that it runs
inside an app context of that app. `flask jobs worker` runs the consumer.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from huey import RedisHuey, SqliteHuey
from huey.api import Huey, TaskWrapper
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

DEFAULT_QUEUE = "bmn-learn"
JOBS: dict[str, Callable[..., Any]] = {}

cli = AppGroup("jobs", help="The background job queue (clip processing).")


def job(func: Callable[..., Any]) -> Callable[..., Any]:
    """Declare a job function (registered on every app's queue by init_app)."""
    JOBS[func.__name__] = func
    return func


def make_huey(app: Flask) -> Huey:
    """The queue JOBS_URL names: "" = SQLite in the instance folder, sqlite:///<file>, redis://."""
    url = app.config["JOBS_URL"]
    name = app.config.get("JOBS_QUEUE", DEFAULT_QUEUE)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url, results=False)
    if url.startswith("sqlite:///"):
        filename = url.removeprefix("sqlite:///")
    elif not url:
        filename = str(Path(app.instance_path) / "jobs.sqlite3")
    else:
        raise RuntimeError(f"JOBS_URL must be empty, sqlite:///<file> or redis://...: {url!r}")
    return SqliteHuey(name, filename=filename, results=False)


def _in_app_context(app: Flask, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        with app.app_context():
            return func(*args, **kwargs)

    return run


def init_app(app: Flask) -> None:
    """Give the app its queue and register every declared job on it (may be called again)."""
    huey = make_huey(app)
    app.extensions["huey"] = huey
    app.extensions["huey_tasks"] = {
        name: huey.task(name=name)(_in_app_context(app, func)) for name, func in JOBS.items()
    }


def get_huey() -> Huey:
    """The current app's queue."""
    return current_app.extensions["huey"]


def enqueue(name: str, *args: Any) -> bool:
    """Queue a job for the worker; False (logged) when the queue cannot be reached."""
    task: TaskWrapper = current_app.extensions["huey_tasks"][name]
    try:
        task(*args)
    except (RedisError, sqlite3.Error, OSError) as error:
        log.error("could not queue job %s%r: %s", name, args, error)
        return False
    return True


def run_pending(huey: Huey, limit: int = 1000) -> int:
    """Run queued jobs in this process until none is left; how many ran."""
    ran = 0
    while ran < limit and (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran


@cli.command("worker")
@click.option("--workers", type=click.IntRange(1, 2), default=1, show_default=True)
@with_appcontext
def worker(workers: int) -> None:
    """Run the job consumer (threads) until stopped."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    huey = get_huey()
    click.echo(f"job worker: {type(huey).__name__} queue {huey.name!r}, {workers} thread(s)")
    # An idle worker looks at a SQLite queue at least every 2 s (Redis wakes it at once).
    consumer = huey.create_consumer(
        workers=workers, worker_type="thread", periodic=False, max_delay=2.0
    )
    consumer.run()


@cli.command("run-pending")
@with_appcontext
def run_pending_command() -> None:
    """Run the queued jobs once, in this process, then exit."""
    click.echo(f"jobs run: {run_pending(get_huey())}")
