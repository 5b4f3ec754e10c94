"""Faults (issue 16): the app under a steady client while its PostgreSQL, then its Redis, restart.

Starts a private PostgreSQL cluster and a private redis-server (bench/private.py: the machine's
shared servers are never touched), prepares the database like bench/load.py, and runs gunicorn
with production settings on them (rate limits and the job queue in Redis). A steady client runs
the volunteer flow (bench/load.py) with --users virtual users and, beside it, one user logging
in again and again (a login reads and clears the failure counts in Redis). Every request is
recorded with its start, end and outcome. After --settle seconds PostgreSQL restarts
(`pg_ctl restart -m fast`: open connections are cut); then again with the client paused
(the app idle: its pooled connections are stale when the requests come back); then Redis
restarts (its data is gone); --settle seconds of steady load around each.

For each restart it counts the failed requests (5xx or no answer) that were in flight during it
(started before the restart command returned and ended after it began) and those outside it
(must be 0), and the recovery time: from the restart's start to the first request that started
after it and succeeded. Gunicorn's workers must be the same processes at the end (nothing
restarted them). A job worker (`flask jobs worker`) runs throughout; after both restarts a job
is queued and must run. Exit status 0 when nothing failed outside the restarts, the app
recovered from both and the worker ran the job.

    .venv/bin/python bench/faults.py
    .venv/bin/python bench/faults.py --users 6 --settle 15
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402
from private import PrivatePostgres, PrivateRedis  # noqa: E402
from soak import workers_of  # noqa: E402


@dataclass
class Event:
    start: float
    end: float
    what: str  # "GET /path" (ids left out)
    status: int  # 0: no answer (connection refused or cut)

    @property
    def failed(self) -> bool:
        return self.status == 0 or self.status >= 500


class RecordingClient(load.Client):
    """load.Client that records every request's times and outcome."""

    def __init__(self, host: str, port: int, events: list[Event]) -> None:
        super().__init__(host, port)
        self.events = events

    async def request(self, method: str, path: str, data=None):  # noqa: ANN001, ANN201
        start = time.monotonic()
        what = f"{method} {path.split('/')[1] if '/' in path else path}"
        try:
            answer = await super().request(method, path, data)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            self.events.append(Event(start, time.monotonic(), what, 0))
            await self.close()
            raise
        self.events.append(Event(start, time.monotonic(), what, answer[0]))
        return answer


async def flows(client: RecordingClient, numbers: list[int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            await load.flow(client.request, numbers[len(client.events) % len(numbers)])
        except (load.FlowError, OSError, asyncio.IncompleteReadError, ValueError):
            await asyncio.sleep(0.05)  # as a phone would, a moment before trying again


async def logins(port: int, phone: str, events: list[Event], stop: asyncio.Event) -> None:
    while not stop.is_set():
        client = RecordingClient("127.0.0.1", port, events)
        try:
            await client.login(phone)
        except (SystemExit, OSError, asyncio.IncompleteReadError, ValueError):
            pass  # recorded; SystemExit is load.Client's "login failed"
        finally:
            await client.close()
        await asyncio.sleep(0.2)


@dataclass
class Fault:
    name: str
    start: float
    end: float


def judge(fault: Fault, events: list[Event], next_start: float) -> tuple[int, float, list[str]]:
    """Failed requests in flight during the fault, the recovery time (s), and what failed."""
    during = [e for e in events if e.start <= fault.end and e.end >= fault.start]
    failed = [e for e in during if e.failed]
    after = [e for e in events if fault.end < e.start < next_start and not e.failed]
    recovered = min((e.end for e in after), default=float("nan")) - fault.start
    what = [
        f"{e.what} -> {e.status or 'no answer'} "
        f"({e.start - fault.start:+.2f}..{e.end - fault.start:+.2f} s)"
        for e in failed
    ]
    return len(failed), recovered, what


async def steady(args: argparse.Namespace, port: int, numbers: list[int], pg, redis):  # noqa: ANN001, ANN201
    """The steady client around each restart; the events and the faults. The second
    PostgreSQL restart happens while no request runs (a quiet night): the next requests
    must not meet the connections it cut."""
    events: list[Event] = []
    clients = [RecordingClient("127.0.0.1", port, events) for _ in range(args.users)]
    for i, client in enumerate(clients):
        await client.login(f"0{load.FIRST_PHONE + i}")
    events.clear()
    phone = f"0{load.FIRST_PHONE + args.users}"

    def start(stop: asyncio.Event) -> list[asyncio.Task]:
        tasks = [asyncio.create_task(flows(c, numbers, stop)) for c in clients]
        return [*tasks, asyncio.create_task(logins(port, phone, events, stop))]

    faults = []
    for name, restart, idle in (
        ("PostgreSQL", pg.restart, False),
        ("PostgreSQL (app idle)", pg.restart, True),
        ("Redis", redis.restart, False),
    ):
        stop = asyncio.Event()
        tasks = start(stop)
        await asyncio.sleep(args.settle)
        if idle:
            stop.set()
            await asyncio.gather(*tasks)
            await asyncio.sleep(1)
        began = time.monotonic()
        await asyncio.to_thread(restart)
        faults.append(Fault(name, began, time.monotonic()))
        print(f"{name} restarted in {faults[-1].end - began:.2f} s", flush=True)
        if idle:
            stop = asyncio.Event()
            tasks = start(stop)
        await asyncio.sleep(args.settle)
        stop.set()
        await asyncio.gather(*tasks)
    for client in clients:
        await client.close()
    return events, faults


def queue_probe_job(env: dict[str, str]) -> bool:
    """Queue a clip job for a clip that does not exist (it ends at once), as the app would."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        from app import create_app
        from app.jobs import enqueue

        application = create_app()
        with application.app_context():
            return enqueue("process_clip", 0)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def job_ran(log: Path, timeout: float) -> float:
    """Seconds until the worker's log says the probe job ran (nan: it did not)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if "process_clip" in log.read_text() and " executed in " in log.read_text():
            return time.monotonic() - started
        time.sleep(0.2)
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=4, help="virtual users running the flow")
    parser.add_argument("--settle", type=float, default=10.0, help="seconds around each fault")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bmn-faults-"))
    port = load.free_port()
    with PrivatePostgres() as pg, PrivateRedis() as redis:
        pg.create_database("bmn_faults")
        url = pg.url("bmn_faults")
        env = load.server_env(url, port, tmp, JOBS_URL=redis.url, RATELIMIT_STORAGE_URI=redis.url)
        print(f"private PostgreSQL on port {pg.port}, private Redis on port {redis.port}")
        numbers = load.prepare(env, args.users + 1)
        worker_log = tmp / "worker.log"
        with worker_log.open("wb") as output:
            worker = subprocess.Popen(
                [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "jobs", "worker"],
                cwd=load.ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            server = load.start_server(env, port, args, tmp / "server.log")
            workers = workers_of(server.pid)
            print(f"gunicorn: {args.workers} {args.worker_class} workers, pids {workers}")
            try:
                events, faults = asyncio.run(steady(args, port, numbers, pg, redis))
                queued = queue_probe_job(env)
                ran = job_ran(worker_log, 30) if queued else float("nan")
                worker_alive = worker.poll() is None
            finally:
                after = workers_of(server.pid)
                server.terminate()
                server.wait(timeout=30)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    bad = 0
    print(f"\n{len(events)} requests, {sum(e.failed for e in events)} failed")
    for i, fault in enumerate(faults):
        next_start = faults[i + 1].start if i + 1 < len(faults) else float("inf")
        failed, recovered, what = judge(fault, events, next_start)
        print(
            f"{fault.name} restart ({fault.end - fault.start:.2f} s): {failed} failed requests "
            f"in flight{': ' + ', '.join(what) if what else ''}; "
            f"first success {recovered:.2f} s after the restart began"
        )
        bad += recovered != recovered  # nan: never recovered
    windows = [(f.start, f.end) for f in faults]
    outside = [
        e for e in events if e.failed and not any(e.start <= b and e.end >= a for a, b in windows)
    ]
    print(f"failed outside the restarts: {len(outside)}")
    for e in outside[:10]:
        print(f"  {e.what} -> {e.status or 'no answer'}")
    same = workers == after
    print(f"gunicorn workers {'unchanged' if same else f'changed: {workers} -> {after}'}")
    job = f"ran in {ran:.1f} s" if ran == ran else "did not run"
    state = "running" if worker_alive else "stopped"
    print(f"job worker {state} after the restarts; a job queued after them {job}")
    print(f"logs: {tmp / 'server.log'}, {worker_log}")
    return 0 if not outside and not bad and same and ran == ran else 1


if __name__ == "__main__":
    sys.exit(main())
