"""Soak test (issue 16): the volunteer flow at half the measured capacity for N minutes.

Built on bench/load.py (the same database preparation, gunicorn with production settings on
127.0.0.1, the asyncio client and the flow). A short closed-loop probe measures the capacity
first (flows/s at full load); the soak then runs open loop at half of it (or --rate) for
--minutes, and after every minute samples each gunicorn worker's RSS (/proc/<pid>/status), the
database connections (PostgreSQL: pg_stat_activity for the database; SQLite: the workers' open
file descriptors on the database file) and Redis's connected_clients (a private redis-server
holds the rate limits and the job queue). Prints a table per minute and a verdict: 5xx count,
RSS slope (MiB/min, least squares over the minutes after the first), connection growth.

    .venv/bin/python bench/soak.py --minutes 10
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bmn_soak \
        .venv/bin/python bench/soak.py --minutes 10
    .venv/bin/python bench/soak.py --minutes 2 --rate 8 --probe-seconds 0
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402
from private import PrivateRedis  # noqa: E402

# Above this many MiB a minute of summed worker RSS, or with more connections at the end than
# after the first minute, the verdict is "grows".
RSS_SLOPE_LIMIT = 1.0


@dataclass
class Sample:
    minute: int
    flows: int
    requests: int
    seconds: float
    server_errors: int
    other_errors: int
    dropped: int
    p95_flow_ms: float
    rss_mib: list[float]
    db_connections: int
    redis_clients: int


def workers_of(master: int) -> list[int]:
    """The pids of gunicorn's workers (the master's children), in pid order."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == master:
                found.append(int(entry.name))
    return sorted(found)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def db_connections(url: str, pids: list[int]) -> int:
    """Connections to the app's database: pg_stat_activity's backends for the database (this
    probe's own excepted), or the workers' open descriptors on the SQLite file."""
    if url.startswith("postgresql"):
        import psycopg
        from sqlalchemy import make_url

        parsed = make_url(url)
        with psycopg.connect(
            host=parsed.host, port=parsed.port or 5432, user=parsed.username,
            password=parsed.password, dbname="postgres",
        ) as connection:  # fmt: skip
            row = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
                " AND pid <> pg_backend_pid()",
                (parsed.database,),
            ).fetchone()
        return int(row[0]) if row else 0
    target = url.removeprefix("sqlite:///")
    count = 0
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == target:
                    count += 1
            except OSError:
                continue
    return count


def redis_clients(url: str) -> int:
    import redis

    with redis.Redis.from_url(url, socket_timeout=2) as client:
        return int(client.info("clients")["connected_clients"]) - 1  # not this probe


def slope(values: list[float]) -> float:
    """Least-squares slope per step (0 for fewer than two values)."""
    n = len(values)
    if n < 2:
        return 0.0
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    num = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
    return num / sum((x - mean_x) ** 2 for x in range(n))


def server_errors(phase: load.Phase) -> int:
    """Answers with a 5xx status (the error keys are "<step> <status>")."""
    total = 0
    for key, count in phase.errors.items():
        status = key.rsplit(" ", 1)[-1]
        if status.isdigit() and int(status) >= 500:
            total += count
    return total


def table(samples: list[Sample]) -> str:
    workers = max((len(s.rss_mib) for s in samples), default=0)
    head = " min  flows  req/s  5xx other dropped  p95 flow ms"
    head += "".join(f"  RSS w{i + 1}" for i in range(workers)) + "  db conns  redis clients"
    lines = [head]
    for s in samples:
        line = (
            f"{s.minute:4d} {s.flows:6d} {s.requests / s.seconds:6.1f} {s.server_errors:4d}"
            f" {s.other_errors:5d} {s.dropped:7d} {s.p95_flow_ms:12.1f}"
        )
        line += "".join(f" {value:7.1f}" for value in s.rss_mib)
        lines.append(line + f" {s.db_connections:9d} {s.redis_clients:14d}")
    return "\n".join(lines)


def verdict(samples: list[Sample]) -> tuple[bool, str]:
    """Pass when no 5xx, the summed worker RSS grows less than RSS_SLOPE_LIMIT MiB a minute
    after the first (warm-up) minute, and no connection count grows after the first minute."""
    errors = sum(s.server_errors for s in samples)
    steady = samples[1:] if len(samples) > 2 else samples
    rss = slope([sum(s.rss_mib) for s in steady])
    per_worker = [slope([s.rss_mib[i] for s in steady]) for i in range(len(steady[0].rss_mib))]
    db_growth = steady[-1].db_connections - steady[0].db_connections
    redis_growth = steady[-1].redis_clients - steady[0].redis_clients
    ok = errors == 0 and rss < RSS_SLOPE_LIMIT and db_growth <= 0 and redis_growth <= 0
    text = (
        f"verdict: {'PASS' if ok else 'FAIL'}: {errors} x 5xx, "
        f"{sum(s.other_errors for s in samples)} other errors, "
        f"RSS slope {rss:+.2f} MiB/min (workers "
        + ", ".join(f"{value:+.2f}" for value in per_worker)
        + f"; limit {RSS_SLOPE_LIMIT}), DB connections {steady[0].db_connections} -> "
        f"{steady[-1].db_connections} (max {max(s.db_connections for s in samples)}), "
        f"Redis clients {steady[0].redis_clients} -> {steady[-1].redis_clients}"
    )
    return ok, text


async def soak(args: argparse.Namespace, env: dict[str, str], port: int, master: int, numbers):  # noqa: ANN001, ANN201
    clients = [load.Client("127.0.0.1", port) for _ in range(args.volunteers)]
    sem = asyncio.Semaphore(8)

    async def login(i: int, client: load.Client) -> None:
        async with sem:
            await client.login(f"0{load.FIRST_PHONE + i}")

    await asyncio.gather(*(login(i, c) for i, c in enumerate(clients)))
    rate = args.rate
    if not rate:
        probe = load.Phase(f"probe: closed loop, {args.concurrency} users")
        cpu0, t0 = load.cpu_seconds(master), time.perf_counter()
        await load.closed_loop(probe, clients[: args.concurrency], numbers, args.probe_seconds)
        probe.seconds = time.perf_counter() - t0
        probe.cpu = load.cpu_seconds(master) - cpu0
        print(load.report(probe), flush=True)
        rate = round(probe.flows / probe.seconds / 2, 2)
        print(f"capacity {probe.flows / probe.seconds:.2f} flows/s: soak at {rate} flows/s")
    samples: list[Sample] = []
    print(f"soak: open loop, {rate} flows/s, {args.minutes} x 60 s", flush=True)
    for minute in range(1, args.minutes + 1):
        phase = load.Phase(f"minute {minute}")
        t0 = time.perf_counter()
        await load.open_loop(phase, clients, numbers, 60.0, rate)
        phase.seconds = time.perf_counter() - t0
        pids = workers_of(master)
        sample = Sample(
            minute=minute,
            flows=phase.flows,
            requests=phase.requests,
            seconds=phase.seconds,
            server_errors=server_errors(phase),
            other_errors=sum(phase.errors.values()) - server_errors(phase),
            dropped=phase.dropped,
            p95_flow_ms=load.pct(phase.flow_times, 95),
            rss_mib=[rss_mib(pid) for pid in pids],
            db_connections=db_connections(env["DATABASE_URL"], pids),
            redis_clients=redis_clients(env["RATELIMIT_STORAGE_URI"]),
        )
        samples.append(sample)
        head, row = table([sample]).splitlines()
        print(f"{head}\n{row}" if minute == 1 else row, flush=True)
        if phase.errors:
            print(f"     errors: {dict(phase.errors)}", flush=True)
    for c in clients:
        await c.close()
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--rate", type=float, default=0.0, help="flows/s (default: half the probe)")
    parser.add_argument("--probe-seconds", type=float, default=30.0)
    parser.add_argument("--concurrency", type=int, default=20, help="the probe's virtual users")
    parser.add_argument("--volunteers", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    if not args.rate and args.probe_seconds <= 0:
        raise SystemExit("give --rate or a probe of some seconds")

    tmp = Path(tempfile.mkdtemp(prefix="bmn-soak-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'soak.sqlite3'}"
    if url.rstrip("/").endswith("/test"):
        raise SystemExit("refusing the database `test`: use a scratch database")
    port = load.free_port()
    with PrivateRedis() as redis:
        env = load.server_env(url, port, tmp, JOBS_URL=redis.url, RATELIMIT_STORAGE_URI=redis.url)
        print(f"database: {url.split('@')[-1]}; Redis {redis.url} (work folder {tmp})")
        numbers = load.prepare(env, args.volunteers)
        server = load.start_server(env, port, args, tmp / "server.log")
        print(f"gunicorn: {args.workers} {args.worker_class} workers x {args.threads} threads "
              f"on 127.0.0.1:{port}; {os.cpu_count()} CPUs, shared", flush=True)  # fmt: skip
        try:
            samples = asyncio.run(soak(args, env, port, server.pid, numbers))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print("\n" + table(samples))
    ok, text = verdict(samples)
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
