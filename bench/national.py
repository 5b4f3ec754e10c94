"""National-size benchmark: the officers' pages and exports over 320,000 volunteers.

Builds (once, then reused while the sizes match) a database of 77 fake provinces
("จังหวัดทดสอบ NN"), ~8,000 villages, ~320,000 volunteers and ~12,000,000 quiz attempts on
SQLite (bench/.data/national.sqlite3) and on PostgreSQL (database `bmn_bench`, never `test`),
then times the real app in process (test client: server time) and prints a table.

    .venv/bin/python bench/national.py [--db sqlite|postgresql|both] [--rebuild] [--repeat 20]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

import app.models  # noqa: E402,F401 - every table on Base.metadata
from app.areas.models import District, Province, Subdistrict, Village  # noqa: E402
from app.auth.models import User  # noqa: E402
from app.content.models import Category, Indicator  # noqa: E402
from app.db import Base  # noqa: E402
from app.officers.demo import DemoVillage, Mix, plan_volunteers  # noqa: E402
from app.quizzes.models import Attempt  # noqa: E402
from app.readiness.models import TrainingPlan, plan_indicators  # noqa: E402
from app.readiness.rules import verification_code  # noqa: E402

DATA = ROOT / "bench" / ".data"
PG_DB = "bmn_bench"  # another --scale than 1 gets its own file and database (see _scaled)
SQLITE_URL = f"sqlite:///{DATA / 'national.sqlite3'}"
PG_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DB}"
NOW = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)
SECRET = "bench"
PASSWORD = "bench-password"
PROVINCE_OFFICER = "0810000001"  # officer of province 10 (about 4,200 volunteers)
TEN_PROVINCE_OFFICER = "0810000002"  # area "1": provinces 10-19, about 42,000 volunteers
ADMIN = "0810000003"
SIZES = {"provinces": 77, "villages": 8000, "volunteers": 320_000, "attempts_each": 37.5}
INDICATORS = 38
_FLUSH = 5000  # volunteers per write round


def area_rows(seed: int = 1) -> tuple[list, list, list, list[dict]]:
    """Provinces, districts (8 each), subdistricts (4 each) and villages, with households
    sized so that one volunteer per 40 households gives the national total."""
    rng = random.Random(seed)
    codes = [f"{c}" for c in range(10, 97) if c != 55][: SIZES["provinces"]]
    provinces, districts, subdistricts, villages = [], [], [], []
    per_province = SIZES["villages"] // len(codes)
    households = SIZES["volunteers"] * 40 // SIZES["villages"]
    for p in codes:
        provinces.append({"code": p, "name_th": f"จังหวัดทดสอบ {p}", "name_en": f"Test {p}"})
        subs = []
        for d in range(1, 9):
            dc = f"{p}{d:02d}"
            zone = ("north", "central", "south")[d % 3]
            districts.append(
                {"code": dc, "province_code": p, "name_th": f"อำเภอทดสอบ {dc}",
                 "name_en": f"District {dc}", "zone": zone}
            )  # fmt: skip
            for s in range(1, 5):
                sc = f"{dc}{s:02d}"
                subs.append(sc)
                subdistricts.append(
                    {"code": sc, "district_code": dc, "name_th": f"ตำบลทดสอบ {sc}",
                     "name_en": f"Subdistrict {sc}"}
                )  # fmt: skip
        for i in range(per_province + (p == codes[0]) * (SIZES["villages"] % len(codes))):
            sc, moo = subs[i % len(subs)], i // len(subs) + 1
            villages.append(
                {"id": len(villages) + 1, "code": f"{sc}{moo:02d}", "subdistrict_code": sc,
                 "moo": moo, "name_th": f"บ้านทดสอบ {moo}",
                 "households": rng.randint(households - 500, households + 500), "is_demo": True}
            )  # fmt: skip
    return provinces, districts, subdistricts, villages


class Sink:
    """Writes big tables fast: sqlite3 executemany or PostgreSQL COPY."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.pg = url.startswith("postgresql")
        if self.pg:
            import psycopg

            self.conn = psycopg.connect(f"host=127.0.0.1 user=postgres dbname={PG_DB}")
        else:
            self.conn = sqlite3.connect(url.removeprefix("sqlite:///"))
            self.conn.execute("PRAGMA journal_mode=OFF")
            self.conn.execute("PRAGMA synchronous=OFF")
            self.conn.execute("PRAGMA cache_size=-400000")

    def time(self, value: datetime | None) -> str | None:
        if value is None:
            return None
        iso = value.isoformat(" ", "microseconds")
        return iso if self.pg else iso[:26]  # SQLAlchemy's SQLite text format

    def write(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        if self.pg:
            with self.conn.cursor() as cur:
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    lines = "".join(
                        "\t".join(r"\N" if v is None else str(v) for v in row) + "\n"
                        for row in rows
                    )
                    copy.write(lines.encode())
        else:
            marks = ", ".join("?" * len(columns))
            self.conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
            )

    def boolean(self, value: bool) -> Any:
        return ("t" if value else "f") if self.pg else int(value)

    def finish(self) -> None:
        self.conn.commit()
        self.conn.close()


def _meta(engine: Any) -> dict | None:
    with engine.connect() as conn:
        try:
            raw = conn.execute(text("SELECT value FROM bench_meta")).scalar()
        except Exception:  # noqa: BLE001 - no such table: not built yet
            return None
    return json.loads(raw) if raw else None


def build(urls: list[str], rebuild: bool) -> list[str]:
    """Build the databases that are missing or stale (one pass of generation feeds them all)."""
    wanted = dict(SIZES, indicators=INDICATORS, version=1)
    todo = []
    for url in urls:
        if url.startswith("postgresql"):
            subprocess.run(
                ["createdb", "-h", "127.0.0.1", "-U", "postgres", PG_DB],
                capture_output=True,
                check=False,
            )
        engine = create_engine(url)
        if rebuild or _meta(engine) != wanted:
            todo.append(url)
        engine.dispose()
    if not todo:
        return []
    started = time.perf_counter()
    provinces, districts, subdistricts, villages = area_rows()
    attempt_indexes = [i for i in Attempt.__table__.indexes]
    engines = {}
    for url in todo:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS bench_meta"))
        Base.metadata.drop_all(engine)
        Base.metadata.create_all(engine)
        with engine.begin() as conn:
            for index in attempt_indexes:  # built after the load: much faster
                index.drop(conn)
            conn.execute(insert(Province), provinces)
            conn.execute(insert(District), districts)
            conn.execute(insert(Subdistrict), subdistricts)
            conn.execute(insert(Village), villages)
            conn.execute(
                insert(Category),
                [
                    {"number": n, "name_th": f"หมวด {n}", "name_en": f"Category {n}"}
                    for n in range(1, 7)
                ],
            )
            conn.execute(
                insert(Indicator),
                [{"id": n, "number": n, "category_number": 1 + (n - 1) // 7,
                  "title_th": f"ตัวชี้วัดที่ {n}", "title_en": f"Indicator {n}",
                  "status": "carried-over"} for n in range(1, INDICATORS + 1)],
            )  # fmt: skip
            conn.execute(
                insert(TrainingPlan),
                [{"id": 1, "slug": "bench", "name_th": "แผนทดสอบ", "name_en": "Bench plan",
                  "campaign_year": 2570, "active": True, "activated_at": NOW}],
            )  # fmt: skip
            conn.execute(
                insert(plan_indicators),
                [{"plan_id": 1, "indicator_id": n} for n in range(1, INDICATORS + 1)],
            )
            hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
            conn.execute(
                insert(User),
                [{"id": i + 1, "full_name": name, "phone": phone, "password_hash": hashed,
                  "role": role, "area_code": area}
                 for i, (phone, role, area, name) in enumerate((
                     (PROVINCE_OFFICER, "officer", "10", "เจ้าหน้าที่จังหวัด ทดสอบ"),
                     (TEN_PROVINCE_OFFICER, "officer", "1", "เจ้าหน้าที่สิบจังหวัด ทดสอบ"),
                     (ADMIN, "admin", None, "ผู้ดูแล ทดสอบ")))],
            )  # fmt: skip
        engines[url] = engine
    print(f"  schema and areas: {time.perf_counter() - started:.1f} s")
    sinks = [Sink(url) for url in todo]
    counts = _load_people(sinks, villages)
    loaded = time.perf_counter()
    print(f"  people and attempts: {counts} in {loaded - started:.1f} s")
    for sink in sinks:
        sink.finish()
    for url, engine in engines.items():
        t = time.perf_counter()
        with engine.begin() as conn:
            for index in attempt_indexes:
                index.create(conn)
            if url.startswith("postgresql"):
                for table in ("users", "attempts", "plan_progress", "readiness"):
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )
            conn.execute(text("CREATE TABLE bench_meta (value TEXT)"))
            conn.execute(text("INSERT INTO bench_meta VALUES (:v)"), {"v": json.dumps(wanted)})
        _analyze(engine)
        print(f"  {engine.dialect.name}: indexes and ANALYZE {time.perf_counter() - t:.1f} s")
        engine.dispose()
    print(f"  built in {time.perf_counter() - started:.1f} s")
    return todo


def _analyze(engine: Any) -> None:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def _load_people(sinks: list[Sink], villages: list[dict]) -> dict[str, int]:
    """Volunteers, attempts, progress and readiness, written in rounds to every sink."""
    demo = [DemoVillage(v["id"], v["code"], v["households"]) for v in villages]
    mix = Mix(attempts_per_volunteer=SIZES["attempts_each"])
    people = plan_volunteers(
        demo, list(range(1, INDICATORS + 1)), mix=mix, now=NOW, seed=2570, first_phone=0
    )
    user_id, attempt_id, counts = 3, 0, {"volunteers": 0, "attempts": 0, "ready": 0}
    taken: set[str] = set()
    users_cols = ("id", "full_name", "phone", "password_hash", "role", "volunteer_type",
                  "village_id", "save_data", "active", "created_at")  # fmt: skip
    attempt_cols = ("id", "user_id", "indicator_id", "draw", "pass_mark", "started_at",
                    "submitted_at", "score", "passed")  # fmt: skip
    progress_cols = ("id", "user_id", "plan_id", "passed", "required", "started_at", "updated_at")
    ready_cols = ("id", "user_id", "plan_id", "ready_at", "recorded_at", "code", "confirmed_at",
                  "confirmed_by_id")  # fmt: skip
    for batch in _batches(people):
        rows: dict[Sink, dict[str, list]] = {s: {"u": [], "a": [], "p": [], "r": []} for s in sinks}
        for person in batch:
            user_id += 1
            code = None
            if person.ready_at is not None:
                salt = 0
                while (
                    code := verification_code(SECRET, user_id, 1, person.ready_at, salt)
                ) in taken:
                    salt += 1
                taken.add(code)
            for sink in sinks:
                r, t, b = rows[sink], sink.time, sink.boolean
                r["u"].append((user_id, person.full_name, person.phone, "", "volunteer",
                               person.volunteer_type, person.village_id, b(False), b(True),
                               t(person.created_at)))  # fmt: skip
                aid = attempt_id
                for indicator_id, started, submitted, score, ok in person.attempts:
                    aid += 1
                    r["a"].append((aid, user_id, indicator_id, "[]", 80, t(started), t(submitted),
                                   score, b(ok)))  # fmt: skip
                if person.attempts:
                    r["p"].append((user_id, user_id, 1, person.passed, INDICATORS,
                                   t(person.started_at), t(NOW)))  # fmt: skip
                if code is not None:
                    r["r"].append((user_id, user_id, 1, t(person.ready_at), t(person.ready_at),
                                   code, t(person.confirmed_at),
                                   3 if person.confirmed_at else None))  # fmt: skip
            attempt_id += len(person.attempts)
            counts["attempts"] += len(person.attempts)
            counts["ready"] += code is not None
        counts["volunteers"] += len(batch)
        for sink in sinks:
            r = rows[sink]
            sink.write("users", users_cols, r["u"])
            sink.write("attempts", attempt_cols, r["a"])
            sink.write("plan_progress", progress_cols, r["p"])
            sink.write("readiness", ready_cols, r["r"])
    return counts


def _batches(people: Iterator) -> Iterator[list]:
    while batch := [p for _, p in zip(range(_FLUSH), people, strict=False)]:
        yield batch


# ---------------------------------------------------------------------------- measuring


def _client(flask_app: Any, phone: str) -> Any:
    client = flask_app.test_client()
    response = client.post("/login", data={"phone": phone, "password": PASSWORD})
    assert response.status_code == 302, f"login {phone}: {response.status_code}"
    client.post("/language", data={"lang": "en"})
    return client


def _cpu_seconds(pg_pids: list[int]) -> float:
    """CPU used so far by this process and by the PostgreSQL backends serving it: with
    other jobs on the machine, wall time waits for a core, CPU time does not."""
    total = time.process_time()
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pg_pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def _median_ms(
    client: Any, url: str, repeat: int, pg_pids: list[int] | None = None
) -> tuple[float, int, float]:
    """Median server time of GET url (after a warm-up), the body size, and the mean CPU
    time per request (this process plus the PostgreSQL backends)."""
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    times = []
    cpu = _cpu_seconds(pg_pids or [])
    for _ in range(repeat):
        t = time.perf_counter()
        response = client.get(url)
        response.get_data()
        times.append((time.perf_counter() - t) * 1000)
    cpu_ms = (_cpu_seconds(pg_pids or []) - cpu) * 1000 / repeat
    return statistics.median(times), len(response.get_data()), cpu_ms


def _rss_kb(field: str = "VmRSS") -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _export(client: Any, url: str, memory: bool) -> dict[str, float]:
    """Time (or trace the memory of) one streamed export, consuming the body in chunks."""
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak RSS (VmHWM)
    rss_before = _rss_kb()
    if memory:
        tracemalloc.start()
    t = time.perf_counter()
    response = client.get(url, buffered=False)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    size = lines = 0
    for chunk in response.response:
        size += len(chunk)
        lines += chunk.count(b"\n")
    response.close()
    elapsed = time.perf_counter() - t
    result = {"seconds": elapsed, "rows": lines - 1, "bytes": size}
    if memory:
        result["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    result["rss_before_mb"] = rss_before / 1024
    result["rss_after_mb"] = _rss_kb() / 1024
    result["rss_peak_mb"] = _rss_kb("VmHWM") / 1024
    return result


def measure(url: str, repeat: int, pages_only: bool = False) -> dict[str, Any]:
    """Every figure for one database."""
    from app import create_app
    from app.db import get_session
    from app.readiness.progress import reevaluate_plan
    from app.readiness.services import active_plan

    _ensure_counts(url)
    flask_app = create_app(
        {"DATABASE_URL": url, "TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": SECRET,
         "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1", "APP_ENV": "testing"}
    )  # fmt: skip
    endpoints = set(flask_app.view_functions)
    province, admin = _client(flask_app, PROVINCE_OFFICER), _client(flask_app, ADMIN)
    with flask_app.app_context():
        session = get_session()
        per_province = session.scalar(
            select(text("count(*)")).select_from(User).join(Village, Village.id == User.village_id)
            .where(User.role == "volunteer", Village.code.startswith("10"))
        )  # fmt: skip
    figures: dict[str, Any] = {"pages": {}, "exports": {}}
    pages: list[tuple[str, Any, str]] = []
    if "officer.lists.readiness_list" in endpoints:
        mid_p = max(per_province // 50 // 2, 1)
        # The admin's list asks for a province first (its counts come from the stored
        # per-village counts); then it is the province's list, whoever looks at it.
        p10 = "/officer/volunteers?province=10"
        pages += [
            ("list, province, page 1", province, "/officer/volunteers"),
            ("list, province, middle page", province, f"/officer/volunteers?page={mid_p}"),
            ("list, province, state=ready", province, "/officer/volunteers?state=ready"),
            ("list, province, ready, middle", province,
             f"/officer/volunteers?state=ready&page={mid_p // 2 + 1}"),
            ("list, admin, province choice", admin, "/officer/volunteers"),
            ("list, admin, choice, search", admin, "/officer/volunteers?q=%E0%B8%AA%E0%B8%A1"),
            ("list, admin, province 10, page 1", admin, p10),
            ("list, admin, province 10, middle", admin, f"{p10}&page={mid_p}"),
            ("list, admin, province 10, ready", admin, f"{p10}&state=ready"),
            ("list, admin, province 10, search", admin, f"{p10}&q=%E0%B8%AA%E0%B8%A1"),
        ]  # fmt: skip
    if "officer.coverage.coverage" in endpoints:
        pages += [
            ("coverage, province, villages", province, "/officer/coverage"),
            ("coverage, province, districts", province, "/officer/coverage?level=district"),
            ("coverage, admin, villages", admin, "/officer/coverage"),
            ("coverage, admin, villages, last page", admin, "/officer/coverage?page=80"),
            ("coverage, admin, provinces", admin, "/officer/coverage?level=province"),
            ("coverage, admin, districts", admin, "/officer/coverage?level=district"),
        ]
    pg_pids: list[int] = []
    if url.startswith("postgresql"):
        with flask_app.app_context():
            pg_pids = list(
                get_session().scalars(
                    text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
                )
            )
    for label, client, path in pages:
        try:
            figures["pages"][label] = _median_ms(client, path, repeat, pg_pids)
        except AssertionError as error:
            figures["pages"][label] = (float("nan"), str(error), float("nan"))
    if "officer.lists.export_readiness" in endpoints and not pages_only:
        csv = "/officer/volunteers/export.csv"
        figures["exports"]["province CSV (time)"] = _export(province, csv, memory=False)
        ten = _client(flask_app, TEN_PROVINCE_OFFICER)
        figures["exports"]["10 provinces CSV (time)"] = _export(ten, csv, memory=False)
        figures["exports"]["national CSV (time)"] = _export(admin, csv, memory=False)
        figures["exports"]["10 provinces CSV (memory)"] = _export(ten, csv, memory=True)
        figures["exports"]["national CSV (memory)"] = _export(admin, csv, memory=True)
    if not pages_only:
        with flask_app.app_context():
            session = get_session()
            plan = active_plan(session)
            t = time.perf_counter()
            counts = reevaluate_plan(session, plan, secret=SECRET, now=NOW)
            session.flush()
            figures["reevaluate_plan"] = (time.perf_counter() - t, counts)
            session.rollback()
    with flask_app.app_context():
        from app.db import db

        db.engine.dispose()
    return figures


def _ensure_counts(url: str) -> None:
    """The stored per-village counts (app/readiness/counts.py): created and filled on a
    database built before they existed, or rebuilt when they differ from the live count."""
    from sqlalchemy.orm import Session

    from app.readiness import counts
    from app.readiness.models import VillageReadyCount, VillageVolunteerCount

    engine = create_engine(url)
    tables = [VillageVolunteerCount.__table__, VillageReadyCount.__table__]
    Base.metadata.create_all(engine, tables=tables)
    with Session(engine) as session:
        t = time.perf_counter()
        same = counts.stored(session) == counts.live_counts(session)
        checked = time.perf_counter() - t
        if not same:
            t = time.perf_counter()
            counts.rebuild(session)
            session.commit()
            print(f"  {engine.dialect.name}: counts rebuilt in {time.perf_counter() - t:.1f} s")
        print(f"  {engine.dialect.name}: stored counts checked against live in {checked:.1f} s")
    if not same:
        _analyze(engine)
    engine.dispose()


def report(name: str, figures: dict[str, Any]) -> None:
    """Print one database's figures."""
    print(f"\n== {name}")
    for label, value in figures["pages"].items():
        ms, extra, cpu = value
        goal = "ok" if ms <= 50 else ("ok (admin goal 100)" if ms <= 100 else "OVER 100 ms")
        size = f"{extra / 1024:7.1f} KB" if isinstance(extra, int) else extra
        print(f"  {label:<36} {ms:8.1f} ms  (CPU {cpu:6.1f} ms)  {size}  {goal}")
    for label, r in figures["exports"].items():
        line = (
            f"  {label:<34} {r['rows']:>7} rows {r['seconds']:6.2f} s {r['bytes'] / 2**20:6.1f} MB"
        )
        if "traced_peak_mb" in r:
            line += f"  traced peak {r['traced_peak_mb']:.1f} MB"
        line += (
            f"  RSS {r['rss_before_mb']:.0f}->{r['rss_after_mb']:.0f} MB"
            f" (peak {r['rss_peak_mb']:.0f})"
        )
        print(line)
    if "reevaluate_plan" in figures:
        seconds, counts = figures["reevaluate_plan"]
        print(f"  reevaluate_plan: {seconds:.1f} s for {counts}")


def _scaled(scale: float) -> None:
    """Point at a scaled database of its own, so the full-size one is kept."""
    global PG_DB, SQLITE_URL, PG_URL
    suffix = f"{scale:g}".replace(".", "_")
    PG_DB = f"bmn_bench_s{suffix}"
    SQLITE_URL = f"sqlite:///{DATA / f'national-s{suffix}.sqlite3'}"
    PG_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DB}"


def main(argv: list[str] | None = None) -> None:
    """Build if needed, then measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--pages-only", action="store_true", help="skip exports and reevaluate")
    parser.add_argument("--scale", type=float, default=1.0, help="e.g. 0.01 for a quick try")
    args = parser.parse_args(argv)
    SIZES["villages"] = max(int(SIZES["villages"] * args.scale), SIZES["provinces"])
    SIZES["volunteers"] = int(SIZES["volunteers"] * args.scale)
    if args.scale != 1:
        _scaled(args.scale)
    DATA.mkdir(parents=True, exist_ok=True)
    urls = {"sqlite": [SQLITE_URL], "postgresql": [PG_URL], "both": [SQLITE_URL, PG_URL]}[args.db]
    print("building" if args.rebuild else "checking the cached databases")
    built = build(urls, args.rebuild)
    print(f"  rebuilt: {', '.join(built) or 'none (reused)'}")
    if args.build_only:
        return
    for url in urls:
        report(url.split(":")[0], measure(url, args.repeat, args.pages_only))


if __name__ == "__main__":
    main()
