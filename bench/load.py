"""Load test of the volunteer flow (issue 16): gunicorn with production settings on 127.0.0.1.

Prepares a database (a SQLite file under a temporary folder, or DATABASE_URL, e.g. a scratch
PostgreSQL database; never `test`) with the app's own CLI (`flask db upgrade`, `areas load`,
`content load`), adds N generated volunteers (phones 0898000000 up: no real person; one shared
password hash), starts gunicorn (APP_ENV=production, a random SECRET_KEY, SERVER_NAME and
TRUSTED_HOSTS 127.0.0.1), waits for /healthz, logs every volunteer in through the login form
(successful logins are not rate limited: only failed ones count), then runs the flow

    lesson page -> start quiz (POST) -> quiz page -> submit (POST, answers read from the form)
    -> result

closed loop (C virtual users, each starting its next flow as soon as one ends) and open loop
(flows arrive at a fixed rate, so overload shows as latency). Prints requests/s, submits/s,
p50/p95/p99 per step, errors by status and server CPU per flow (gunicorn's processes' CPU time
from /proc/<pid>/stat). The HTTP client is a small asyncio HTTP/1.1 client with keep-alive
(reconnecting when the server closes, as sync workers do).

    .venv/bin/python bench/load.py                       # SQLite, 60 s per phase
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bmn_hm .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --duration 120 --concurrency 8 --rate 10 --workers 4
    .venv/bin/python bench/load.py --profile             # cProfile of one submit and one lesson
"""

from __future__ import annotations

import argparse
import asyncio
import html
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PASSWORD = "bench-load-password-1"
FIRST_PHONE = 898_000_000  # 0898000000 up: generated, no real person
STEPS = ("lesson", "start", "quiz", "submit", "result")

# A request: (method, path, form data) -> (status, Location path, body text).
Request = Callable[[str, str, "dict[str, list[str]] | None"], Awaitable[tuple[int, str, str]]]


class FlowError(Exception):
    def __init__(self, step: str, status: int) -> None:
        super().__init__(f"{step}: HTTP {status}")
        self.step = step
        self.status = status


# --- reading the pages ---------------------------------------------------------------------


# A tag scanner, not html.parser: parsing each page with HTMLParser cost the client more CPU
# than the server spent making it, on the same two cores.
_TAG = re.compile(r"<(/?)(form|input|select|option)\b([^>]*)>", re.I)
_ATTR = re.compile(r"""([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


def _attrs(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTR.finditer(text)
    }


def form_fields(page: str, action: str | None = None) -> list[dict[str, str]]:
    """The fields of the first POST form of a page whose action matches (select options as
    radio buttons)."""
    fields: list[dict[str, str]] = []
    inside, select = False, None
    for m in _TAG.finditer(page):
        closing, tag = m.group(1), m.group(2).lower()
        if closing:
            if tag == "form" and inside:
                break
            if tag == "select":
                select = None
            continue
        a = _attrs(m.group(3))
        if tag == "form":
            if a.get("method", "").lower() == "post" and action in (None, a.get("action", "")):
                inside = True
        elif inside and tag == "input" and a.get("name"):
            fields.append(a)
        elif inside and tag == "select" and a.get("name"):
            select = a["name"]
        elif inside and tag == "option" and select and a.get("value"):
            fields.append({"type": "radio", "name": select, "value": a["value"]})
    return fields


def csrf_token(html: str, action: str | None = None) -> str:
    for f in form_fields(html, action):
        if f["name"] == "csrf_token":
            return f.get("value", "")
    return ""  # forms without CSRF (the tests' app)


def quiz_answers(html: str) -> dict[str, list[str]]:
    """Answers to every drawn question as a volunteer would tick them: the first choice of each
    group, "1" in each number box (right or wrong does not matter, the form must accept it).
    The quiz's form is the page's POST form without an action (it posts to itself)."""
    data: dict[str, list[str]] = {}
    for f in form_fields(html, ""):
        name, kind = f["name"], f.get("type", "text").lower()
        if kind == "hidden":
            data[name] = [f.get("value", "")]
        elif kind in ("radio", "checkbox"):
            if name.endswith("_skip"):
                continue
            data.setdefault(name, [f.get("value", "y")])
        elif kind in ("text", "number", ""):
            data[name] = ["1"]
    return data


# --- the flow --------------------------------------------------------------------------------


async def flow(
    request: Request, number: int, timings: dict[str, list[float]] | None = None
) -> None:
    """One volunteer's round: lesson, start quiz, quiz page, submit, result (5 requests).
    Raises FlowError at the first unexpected answer."""

    async def step(name: str, method: str, path: str, data=None, expect=200):  # noqa: ANN001, ANN202
        started = time.perf_counter()
        status, location, body = await request(method, path, data)
        if timings is not None:
            timings[name].append(time.perf_counter() - started)
        if status != expect:
            raise FlowError(name, status)
        return location, body

    lesson = f"/indicators/{number}"
    _loc, html = await step("lesson", "GET", lesson)
    token = csrf_token(html, f"{lesson}/quiz")
    take, _b = await step("start", "POST", f"{lesson}/quiz", {"csrf_token": [token]}, 302)
    if "/attempts/" not in take:
        raise FlowError("start", 302)
    _loc, html = await step("quiz", "GET", take)
    result, _b = await step("submit", "POST", take, quiz_answers(html), 302)
    if not result.endswith("/result"):
        raise FlowError("submit", 302)
    await step("result", "GET", result)


# --- a small asyncio HTTP/1.1 client ---------------------------------------------------------


class Client:
    """One virtual user: its own connection (kept alive while the server allows) and cookies.
    The production session cookie is Secure; this client sends it back over http anyway."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def request(
        self, method: str, path: str, data: dict[str, list[str]] | None = None
    ) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data or {}, doseq=True).encode() if method == "POST" else b""
        head = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Connection: keep-alive",
            "Accept-Language: th",
        ]
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            head += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        raw = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        for attempt in (1, 2):  # a kept-alive connection the server closed meanwhile: once more
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            try:
                self.writer.write(raw)
                await self.writer.drain()
                return await self._response()
            except (ConnectionError, asyncio.IncompleteReadError):
                await self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _response(self) -> tuple[int, str, str]:
        assert self.reader is not None
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        headers: list[tuple[str, str]] = []
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            headers.append((name.strip().lower(), value.strip()))
        h = dict(headers)
        if h.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            while await self.reader.readuntil(b"\r\n") != b"\r\n":
                pass
            payload = b"".join(chunks)
        else:
            payload = await self.reader.readexactly(int(h.get("content-length", "0")))
        for name, value in headers:
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                if "max-age=0" in value.lower() or "01 jan 1970" in value.lower():
                    self.cookies.pop(key.strip(), None)
                else:
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
        if h.get("connection", "").lower() == "close":
            await self.close()
        location = urllib.parse.urlsplit(h.get("location", "")).path
        return status, location, payload.decode("utf-8", "replace")

    async def login(self, phone: str) -> None:
        _s, _l, html = await self.request("GET", "/login")
        data = {"csrf_token": [csrf_token(html)], "phone": [phone], "password": [PASSWORD]}
        status, _l, _b = await self.request("POST", "/login", data)
        if status != 302 or "session" not in self.cookies:
            raise SystemExit(f"login failed: HTTP {status}")


# --- preparing the database and the server ---------------------------------------------------


def run_flask(env: dict[str, str], *args: str) -> None:
    flask = Path(sys.executable).parent / "flask"
    done = subprocess.run(
        [str(flask), "--app", "wsgi", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def prepare(env: dict[str, str], volunteers: int) -> list[int]:
    """Migrate, load areas and content, add the volunteers; the quiz indicators' numbers."""
    for args in (("db", "upgrade"), ("areas", "load"), ("content", "load")):
        run_flask(env, *args)
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        sys.path.insert(0, str(ROOT))
        from sqlalchemy import select, update

        from app import create_app
        from app.areas.models import Village
        from app.auth.models import Role, User
        from app.auth.services import hash_password
        from app.content.models import Indicator
        from app.db import get_session
        from app.quizzes.models import Quiz

        application = create_app()
        with application.app_context():
            session = get_session()
            phones = [f"0{FIRST_PHONE + i}" for i in range(volunteers)]
            villages = list(session.scalars(select(Village.id).order_by(Village.code).limit(50)))
            hashed = hash_password(PASSWORD)
            # A database used before keeps its volunteers (and their attempts): new password.
            session.execute(update(User).where(User.phone.in_(phones)).values(password_hash=hashed))
            known = set(session.scalars(select(User.phone).where(User.phone.in_(phones))))
            session.add_all(
                User(
                    full_name=f"อาสาทดสอบโหลด {i + 1}",
                    phone=phone,
                    password_hash=hashed,
                    role=Role.VOLUNTEER.value,
                    volunteer_type="osm",
                    village_id=villages[i % len(villages)],
                )
                for i, phone in enumerate(phones)
                if phone not in known
            )
            session.commit()
            stmt = select(Indicator.number).join(Quiz, Quiz.indicator_id == Indicator.id)
            numbers = sorted(set(session.scalars(stmt)))
        return numbers
    finally:
        os.environ.clear()
        os.environ.update(saved)


def server_env(url: str, port: int, folder: Path, **extra: str) -> dict[str, str]:
    """The environment of a production server on 127.0.0.1:<port> with this database (a random
    SECRET_KEY, media under folder); extra variables on top."""
    return {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": url,
        "SERVER_NAME": f"127.0.0.1:{port}",
        "TRUSTED_HOSTS": "127.0.0.1",
        "JOBS_URL": os.environ.get("JOBS_URL", ""),
        "BMN_MEDIA_ROOT": str(folder / "media"),
        "MEDIA_ROOT": str(folder / "media"),
        **extra,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict[str, str], port: int, args: argparse.Namespace, log: Path):
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "wsgi:app",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            str(args.threads),
            "--backlog",
            "2048",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped: see {log}")
        try:
            status, _l, _b = asyncio.run(Client("127.0.0.1", port).request("GET", "/healthz"))
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit("the server did not answer /healthz within 60 s")


def cpu_seconds(master: int) -> float:
    """utime + stime of gunicorn's master and its workers (children)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        pid, ppid = int(entry.name), int(fields[1])
        if pid == master or ppid == master:
            total += int(fields[11]) + int(fields[12])
    return total / tick


# --- the phases ------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    flow_times: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    flows: int = 0
    requests: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    client_cpu: float = 0.0
    dropped: int = 0


async def one_flow(phase: Phase, client: Client, numbers: list[int], since: float) -> None:
    timings: dict[str, list[float]] = defaultdict(list)
    try:
        await flow(client.request, random.choice(numbers), timings)
        phase.flows += 1
        phase.flow_times.append(time.perf_counter() - since)
    except FlowError as error:
        phase.errors[f"{error.step} {error.status}"] += 1
    except (OSError, asyncio.IncompleteReadError, ValueError) as error:
        await client.close()
        phase.errors[type(error).__name__] += 1
    for name, values in timings.items():
        phase.timings[name] += values
        phase.requests += len(values)


async def closed_loop(phase: Phase, clients: list[Client], numbers, duration: float) -> None:  # noqa: ANN001
    end = time.perf_counter() + duration

    async def user(client: Client) -> None:
        while time.perf_counter() < end:
            await one_flow(phase, client, numbers, time.perf_counter())

    await asyncio.gather(*(user(c) for c in clients))


async def open_loop(phase: Phase, clients: list[Client], numbers, duration: float, rate: float):  # noqa: ANN001, ANN201
    """A flow every 1/rate s (Poisson arrivals) by a volunteer not busy; when all are busy the
    arrival is counted as dropped. Flow time counts from the arrival."""
    idle: asyncio.Queue[Client] = asyncio.Queue()
    for c in clients:
        idle.put_nowait(c)
    tasks = []

    async def run(client: Client, arrived: float) -> None:
        try:
            await one_flow(phase, client, numbers, arrived)
        finally:
            idle.put_nowait(client)

    start = time.perf_counter()
    next_at = start
    while next_at < start + duration:
        await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
        if idle.empty():
            phase.dropped += 1
        else:
            tasks.append(asyncio.create_task(run(idle.get_nowait(), next_at)))
        next_at += random.expovariate(rate)
    await asyncio.gather(*tasks)


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def report(phase: Phase) -> str:
    submits = len(phase.timings.get("submit", []))
    lines = [
        f"== {phase.name}: {phase.seconds:.0f} s, {phase.flows} flows, {phase.requests} requests",
        f"   requests/s {phase.requests / phase.seconds:.1f}   quiz submits/s "
        f"{submits / phase.seconds:.2f}   flows/s {phase.flows / phase.seconds:.2f}",
        f"   server CPU per flow {1000 * phase.cpu / max(phase.flows, 1):.1f} ms "
        f"({phase.cpu:.1f} s CPU over {phase.seconds:.0f} s); load client's CPU per flow "
        f"{1000 * phase.client_cpu / max(phase.flows, 1):.1f} ms",
        "   ms            p50      p95      p99    count",
    ]
    for name in (*STEPS, "flow"):
        values = phase.flow_times if name == "flow" else phase.timings.get(name, [])
        lines.append(
            f"   {name:<8} {pct(values, 50):8.1f} {pct(values, 95):8.1f} {pct(values, 99):8.1f}"
            f" {len(values):8d}"
        )
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(phase.errors.items())) or "none"
    lines.append(f"   errors: {errors}")
    if phase.dropped:
        lines.append(f"   arrivals dropped (every volunteer busy): {phase.dropped}")
    return "\n".join(lines)


async def run_phases(args: argparse.Namespace, port: int, master: int, numbers: list[int]):  # noqa: ANN201
    clients = [Client("127.0.0.1", port) for _ in range(args.volunteers)]
    started = time.perf_counter()
    sem = asyncio.Semaphore(8)

    async def login(i: int, client: Client) -> None:
        async with sem:
            await client.login(f"0{FIRST_PHONE + i}")

    await asyncio.gather(*(login(i, c) for i, c in enumerate(clients)))
    print(f"{len(clients)} volunteers logged in in {time.perf_counter() - started:.1f} s")
    phases = []
    for name in args.phases.split(","):
        phase = Phase(
            f"closed loop, {args.concurrency} users" if name == "closed"
            else f"open loop, {args.rate} flows/s"
        )  # fmt: skip
        cpu0, t0, own0 = cpu_seconds(master), time.perf_counter(), time.process_time()
        if name == "closed":
            await closed_loop(phase, clients[: args.concurrency], numbers, args.duration)
        else:
            await open_loop(phase, clients, numbers, args.duration, args.rate)
        phase.seconds = time.perf_counter() - t0
        phase.cpu = cpu_seconds(master) - cpu0
        phase.client_cpu = time.process_time() - own0
        print(report(phase), flush=True)
        phases.append(phase)
    for c in clients:
        await c.close()
    return phases


# --- profile ---------------------------------------------------------------------------------


def show(profiler, label: str) -> None:  # noqa: ANN001
    """The top 10 cumulative entries of the app's own code (the WSGI wrappers above a view
    would fill a plain top 10), then the top 10 of the whole by own time."""
    import pstats

    stats = pstats.Stats(profiler)
    stats.total_tt and print(f"\n== cProfile: {label}: {1000 * stats.total_tt:.1f} ms")
    print("-- top 10 cumulative, app code (app/)")
    stats.sort_stats("cumulative").print_stats(r"/app/(?!proxies\.py|web\.py)", 10)
    print("-- top 10 cumulative, templates")
    stats.sort_stats("cumulative").print_stats(r"/templates/", 10)
    print("-- top 10 by own time, everything")
    stats.sort_stats("tottime").print_stats(10)


def profile(env: dict[str, str], numbers: list[int], flows: int, *, timing: bool = False) -> None:
    """cProfile of every step over `flows` rounds in process (Flask's test client, so no HTTP
    server time), with the SQL statements each step sends. With timing, no profiler: the
    process CPU time of each step (what a worker spends, less gunicorn's HTTP parsing), and a
    logged-in GET of /healthz as the floor of any request."""
    import cProfile

    from sqlalchemy import event

    os.environ.update(env)
    from app import create_app
    from app.db import db

    application = create_app()
    client = application.test_client()
    base = f"http://{env['SERVER_NAME']}"
    with application.app_context():
        engine = db.engine
    statements = [0]
    sql: dict[str, list[str]] = defaultdict(list)  # the last flow's statements per step

    def counted(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements[0] += 1
        sql[current[0]].append(" ".join(statement.split())[:160])

    event.listen(engine, "before_cursor_execute", counted)
    profilers: dict[str, cProfile.Profile] = defaultdict(cProfile.Profile)
    counts: dict[str, list[int]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    current = [""]

    def run(step: str, path: str, **kwargs: object):  # noqa: ANN202
        if not timing:
            return profilers[step].runcall(client.open, path, base_url=base, **kwargs)
        started = time.thread_time()
        try:
            return client.open(path, base_url=base, **kwargs)
        finally:
            cpu[step].append(time.thread_time() - started)

    async def request(method: str, path: str, data=None):  # noqa: ANN001, ANN202
        step = current[0] or "login"
        statements[0] = 0
        sql[step] = []
        response = await asyncio.to_thread(run, step, path, method=method, data=data)
        counts[step].append(statements[0])
        location = urllib.parse.urlsplit(response.headers.get("Location", "")).path
        return response.status_code, location, response.get_data(as_text=True)

    async def login() -> None:
        _s, _l, html = await request("GET", "/login")
        data = {"csrf_token": csrf_token(html), "phone": f"0{FIRST_PHONE}", "password": PASSWORD}
        status, _l, _b = await request("POST", "/login", data)
        assert status == 302, status

    asyncio.run(login())
    for number in numbers:  # warm: templates compiled, every lesson's caches filled, as a
        asyncio.run(flow(request, number))  # server is after its first minute
    profilers.clear()
    counts.clear()
    steps = ("lesson", "start", "quiz", "submit", "result")
    current[0] = "floor"
    for _ in range(flows):
        asyncio.run(request("GET", "/healthz"))

    for i in range(flows):
        order = iter(steps)

        async def named(method: str, path: str, data=None, order=order):  # noqa: ANN001, ANN202
            current[0] = next(order)
            return await request(method, path, data)

        asyncio.run(flow(named, numbers[i % len(numbers)]))
    import pstats

    total = 0.0
    if timing:
        # Medians: a shared machine's bursts (another VM on the core) land in the mean.
        print(f"floor   {pct(cpu['floor'], 50):6.2f} ms CPU/request, median "
              "(GET /healthz, logged in)")  # fmt: skip
        for step in steps:
            total += pct(cpu[step], 50)
            low, high = min(counts[step]), max(counts[step])
            print(f"{step:<7} {pct(cpu[step], 50):6.2f} ms CPU/request, median; "
                  f"SQL statements per request: {low}-{high}")  # fmt: skip
        print(f"whole flow {total:.1f} ms CPU in process (sum of medians, no HTTP server)")
        for step in steps:
            print(f"\n-- {step}: the last flow's statements")
            print("\n".join(sql[step]))
        return
    for step in steps:
        spent = pstats.Stats(profilers[step]).total_tt
        total += spent
        low, high = min(counts[step]), max(counts[step])
        print(f"{step:<7} {1000 * spent / flows:6.1f} ms/request (profiled), "
              f"SQL statements per request: {low}-{high}")  # fmt: skip
    print(f"whole flow {1000 * total / flows:.1f} ms (profiled, so slower than served)")
    for step in ("floor", *steps):
        show(profilers[step], f"{step}, {flows} requests")


# --- main ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--volunteers", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per phase")
    parser.add_argument("--concurrency", type=int, default=20, help="closed loop: virtual users")
    parser.add_argument("--rate", type=float, default=5.0, help="open loop: flows per second")
    parser.add_argument("--phases", default="closed,open", help="closed,open or one of them")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1, help="per worker (gthread)")
    parser.add_argument("--profile", action="store_true", help="cProfile each step in process")
    parser.add_argument("--profile-flows", type=int, default=40, help="flows profiled")
    parser.add_argument("--timing", action="store_true", help="CPU per step in process")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bmn-load-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'load.sqlite3'}"
    if url.rstrip("/").endswith("/test"):
        raise SystemExit("refusing the database `test`: use a scratch database")
    port = free_port()
    env = server_env(url, port, tmp)
    print(f"database: {url.split('@')[-1]}  (work folder {tmp})", flush=True)
    started = time.perf_counter()
    numbers = prepare(env, args.volunteers)
    print(f"prepared in {time.perf_counter() - started:.1f} s: {args.volunteers} volunteers, "
          f"{len(numbers)} quizzes")  # fmt: skip
    if args.profile or args.timing:
        profile(env, numbers, args.profile_flows, timing=args.timing)
        return 0
    server = start_server(env, port, args, tmp / "server.log")
    kind = f"{args.workers} {args.worker_class} workers x {args.threads} threads"
    print(f"gunicorn: {kind} on 127.0.0.1:{port}", flush=True)
    try:
        phases = asyncio.run(run_phases(args, port, server.pid, numbers))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 1 if any(p.errors for p in phases) else 0


if __name__ == "__main__":
    sys.exit(main())
