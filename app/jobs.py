"""The background job queue: Huey on SQLite by default, on Redis when JOBS_URL says so.

Features declare job functions with `@job` at import time; `init_app` gives each app its own
Huey instance (app.extensions["huey"]) and registers every job on it, wrapped so that it runs
inside an app context of that app. `flask jobs worker` runs the consumer.

A job that a worker took off the queue is gone from it: a worker killed mid-job (SIGKILL, out of
memory, its machine lost) would lose the job for good. The worker therefore keeps a lease on
every job it runs, in the queue's own storage, renewed every third of JOBS_LEASE_SECONDS and
removed when the job ends; any worker queues a job again whose lease ran out, or whose owner was
a process on this machine that no longer exists (so a restarted worker takes it back at once).
Jobs must therefore be safe to run twice (clip processing makes only what is still missing).
"""

from __future__ import annotations

import functools
import logging
import os
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from huey import RedisHuey, SqliteHuey
from huey import signals as huey_signals
from huey.api import Huey, Task, TaskWrapper
from huey.exceptions import HueyException
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

DEFAULT_QUEUE = "bmn-learn"
LEASE = "lease:"
RECLAIMS = "reclaims:"
# A job whose worker died this many times in a row is dropped (logged), not queued again: it
# may be what kills the worker.
MAX_RECLAIMS = 3
# Signals after which a job is no longer running here. An interrupted job (the worker stopped
# mid-job) keeps its lease, so that a worker takes it back.
_STILL_RUNNING = {
    huey_signals.SIGNAL_ENQUEUED,
    huey_signals.SIGNAL_SCHEDULED,
    huey_signals.SIGNAL_EXECUTING,
    huey_signals.SIGNAL_INTERRUPTED,
}
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


def _text(key: str | bytes) -> str:
    return key.decode() if isinstance(key, bytes) else key


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Leases:
    """The leases of the jobs this worker process runs, and the taking back of lost jobs."""

    def __init__(self, huey: Huey, seconds: float) -> None:
        self.huey = huey
        self.seconds = seconds
        self.owner = {"host": socket.gethostname(), "pid": os.getpid(), "id": uuid.uuid4().hex}
        self.running: dict[str, Task] = {}
        self.lock = threading.Lock()

    def install(self) -> None:
        """Hook into the queue: a lease when a job starts, none when it ends."""
        self.huey.pre_execute("lease")(self.take)
        self.huey.signal()(self.release)

    def _write(self, task: Task) -> None:
        reclaims = self.huey.get(RECLAIMS + task.id, peek=True) or 0
        lease = {
            **self.owner,
            "task": self.huey.serialize_task(task),
            "expires": time.time() + self.seconds,
            "reclaims": reclaims,
        }
        self.huey.put(LEASE + task.id, lease)

    def take(self, task: Task) -> None:
        with self.lock:
            self.running[task.id] = task
            self._write(task)

    def release(self, signal: str, task: Task, *args: Any, **kwargs: Any) -> None:
        if signal in _STILL_RUNNING:
            return
        with self.lock:  # never a renewal after this: a finished job is not taken back
            if self.running.pop(task.id, None) is not None:
                self.huey.delete(LEASE + task.id)
                self.huey.delete(RECLAIMS + task.id)

    def renew(self) -> None:
        with self.lock:
            for task in self.running.values():
                self._write(task)

    def lost(self, lease: dict[str, Any], now: float) -> bool:
        """True when the lease's worker is gone: its lease ran out, or it was a process on
        this machine that no longer exists (a new process may have its pid: the id tells).
        This process's own leases are never lost: it renews them."""
        if lease["id"] == self.owner["id"]:
            return False
        if lease["expires"] < now:
            return True
        if lease["host"] != self.owner["host"]:
            return False
        return lease["pid"] == self.owner["pid"] or not _process_exists(lease["pid"])

    def reclaim(self) -> int:
        """Queue again every job whose worker is gone; how many were queued."""
        queued = 0
        now = time.time()
        for key, raw in self.huey.storage.result_items().items():
            key = _text(key)
            if not key.startswith(LEASE) or not self.lost(
                self.huey.serializer.deserialize(raw), now
            ):
                continue
            lease = self.huey.get(key)  # taken atomically: one worker wins
            if lease is None:
                continue
            if not self.lost(lease, now):  # renewed meanwhile
                self.huey.put(key, lease)
                continue
            try:
                task = self.huey.deserialize_task(lease["task"])
            except HueyException as error:  # a job this version no longer has
                log.error("lost job dropped: %s", error)
                continue
            reclaims = lease["reclaims"] + 1
            if reclaims > MAX_RECLAIMS:
                log.error(
                    "job %s %s dropped: its worker died %d times", task.name, task.id, MAX_RECLAIMS
                )
                self.huey.delete(RECLAIMS + task.id)
                continue
            self.huey.put(RECLAIMS + task.id, reclaims)
            self.huey.enqueue(task)
            queued += 1
            log.warning(
                "job %s %s%r queued again: its worker stopped (pid %s on %s)",
                task.name, task.id, task.args, lease["pid"], lease["host"],
            )  # fmt: skip
        return queued

    def keep(self) -> None:
        """Take lost jobs back now, then renew and look again every third of the lease."""
        while True:
            try:
                self.renew()
                self.reclaim()
            except (RedisError, sqlite3.Error, OSError) as error:
                log.error("job leases: the queue cannot be reached: %s", error)
            time.sleep(self.seconds / 3)

    def start(self) -> None:
        self.install()
        threading.Thread(target=self.keep, name="job-leases", daemon=True).start()


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
    Leases(huey, float(current_app.config["JOBS_LEASE_SECONDS"])).start()
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
