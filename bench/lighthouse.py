"""Lighthouse scores of BMN Learn's volunteer pages, the issue's "a budget a cheap phone can feel".

Builds the app on a temporary SQLite database with the shipped content (page_weight.py's
helpers), serves it with production settings (gunicorn, APP_ENV=production) on 127.0.0.1,
logs a generated volunteer in, starts a quiz and submits one, then runs npm `lighthouse`
(installed under bench/node_modules from bench/package-lock.json when missing) with Debian's
chromium, mobile emulation (Lighthouse's default form factor and simulated slow 4G), RUNS times
on each page: home, the lesson of indicator 3, its quiz and a (failed) quiz result. Prints the
median score per category and page, then the failing audits of each page's median run.
Exits 1 when any median is below 100.

When the code serves a service worker (/sw.js), it also measures the lesson saved for use
without signal: a chromium kept running (devtools port, its own profile) saves the lesson's
category from the save page (/offline) as a volunteer would (bench/offline_save.mjs,
puppeteer-core), the server is stopped (every request fails at once, as with no signal), and
Lighthouse runs in that chromium with --disable-storage-reset, so the page comes from the
worker's saved copy.

Run: `make lighthouse` or `.venv/bin/python bench/lighthouse.py [--runs 3] [--advice]`.
JSON reports go to bench/results/lighthouse/ (git-ignored). Touches nothing else.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPResponse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import page_weight  # noqa: E402 - build(), PHONE, PASSWORD

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LESSON = 3  # the brief's lesson and quiz
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
RESULTS = BENCH / "results" / "lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"


def ensure_lighthouse() -> None:
    """npm `lighthouse` from the committed lock file (no browser download: Debian's chromium)."""
    if LIGHTHOUSE.exists():
        return
    if shutil.which("npm") is None:
        raise SystemExit("npm is needed to install lighthouse (apt-get install npm)")
    print("installing npm lighthouse under bench/node_modules ...", flush=True)
    env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    subprocess.run(
        ["npm", "ci", "--prefix", str(BENCH), "--no-audit", "--no-fund", "--ignore-scripts"],
        check=True,
        env=env,
    )


def ensure_translations() -> None:
    """The Thai pages need the compiled catalogue (git-ignored *.mo; `make translations`)."""
    if (ROOT / "app" / "translations" / "th" / "LC_MESSAGES" / "messages.mo").exists():
        return
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [str(pybabel), "compile", "--use-fuzzy", "-d", str(ROOT / "app" / "translations")],
        check=True,
        capture_output=True,
    )


def chrome_path() -> str:
    path = os.environ.get("CHROME_PATH") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise SystemExit(f"{path} not found: `make chromium` installs Debian's chromium")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


class Client:
    """A tiny HTTP client that keeps the cookies itself (the production session cookie is
    Secure, which http.cookiejar would not send back over http://127.0.0.1)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data or {}, doseq=True).encode() if method == "POST" else None
        req = urllib.request.Request(self.base + path, data=body, method=method)
        if self.cookies:
            req.add_header("Cookie", self.cookie_header())
        try:
            response: HTTPResponse = self.opener.open(req, timeout=30)
        except urllib.error.HTTPError as error:
            response = error  # 3xx (not followed) and errors
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in header.lower() or "expires=thu, 01 jan 1970" in header.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        text = response.read().decode("utf-8", "replace")
        location = response.headers.get("Location", "")
        return response.status, urllib.parse.urlsplit(location).path, text

    def csrf(self, path: str) -> str:
        status, _loc, text = self.request("GET", path)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text)
        if status != 200 or not match:
            raise SystemExit(f"GET {path}: HTTP {status}, no csrf_token")
        return match.group(1)


def start_server(tmp: Path, env_extra: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """gunicorn wsgi:app with production settings on a free 127.0.0.1 port."""
    port = free_port()
    env = {**os.environ, **env_extra, "APP_ENV": "production"}
    log = open(tmp / "server.log", "wb")  # noqa: SIM115 - closed with the process
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped: see {tmp / 'server.log'}")
        try:
            with urllib.request.urlopen(base + "/login", timeout=2):
                return server, base
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("the server did not answer within 30 s")


def answers(application, attempt_id: int) -> dict[str, list[str]]:  # noqa: ANN001
    """Form data answering every drawn question of an attempt wrong (a failed result shows
    the most feedback); recording exercises as tests/conftest.py's record_form(right=False)."""
    from app.db import get_session
    from app.quizzes.files import RESULTS as RECORD_RESULTS
    from app.quizzes.files import SKIP, record_from_data
    from app.quizzes.models import Attempt, Question

    with application.app_context():
        session = get_session()
        data: dict[str, list[str]] = {}
        for item in session.get(Attempt, attempt_id).draw:
            question = session.get(Question, item["q"])
            if question.type != "record":
                wrong = [c.key for c in question.choices if not c.correct]
                data[f"q{question.id}"] = wrong if question.type == "multiple" else wrong[:1]
                continue
            record = record_from_data(question.record)
            for index, entry in enumerate(record.entries):
                name = f"q{question.id}_{index}"
                values = list(entry.answer)
                if index == 0:  # another answer than the one the form needs
                    if entry.kind == "number":
                        values = [SKIP] if not entry.skipped else ["1"]
                    else:
                        others = [
                            str(i) for i in range(len(entry.options)) if (str(i),) != entry.answer
                        ]
                        values = [others[0]] if not entry.skipped else ["0"]
                if entry.kind == "number" and values == [SKIP]:
                    data[f"{name}_skip"] = ["y"]
                else:
                    data[name] = values
            result = next(r for r in RECORD_RESULTS if r != record.result)
            data[f"q{question.id}_r"] = [result]
        return data


def prepare(application, client: Client) -> dict[str, str]:  # noqa: ANN001
    """Log in, submit a (failed) quiz, leave a second one open; the pages to measure."""
    token = client.csrf("/login")
    status, _loc, _t = client.request(
        "POST",
        "/login",
        {"csrf_token": token, "phone": page_weight.PHONE, "password": page_weight.PASSWORD},
    )
    if status != 302 or "session" not in client.cookies:
        raise SystemExit(f"login failed: HTTP {status}")

    def start() -> tuple[int, str]:
        token = client.csrf(f"/indicators/{LESSON}")
        status, location, _t = client.request(
            "POST", f"/indicators/{LESSON}/quiz", {"csrf_token": token}
        )
        if status != 302 or "/attempts/" not in location:
            raise SystemExit(f"starting the quiz of indicator {LESSON} failed: {status} {location}")
        return int(location.rsplit("/", 1)[1]), location

    attempt_id, take = start()
    data = answers(application, attempt_id)
    data["csrf_token"] = client.csrf(take)
    status, result, _t = client.request("POST", take, data)
    if status != 302 or not result.endswith("/result"):
        raise SystemExit(f"submitting attempt {attempt_id}: HTTP {status} {result}")
    _open_id, quiz = start()  # left open: the quiz page itself
    return {
        "home": "/",
        f"lesson {LESSON}": f"/indicators/{LESSON}",
        "quiz": quiz,
        "result (failed)": result,
    }


def lighthouse(url: str, cookie: str, out: Path, port: int | None = None) -> dict:
    """One Lighthouse run (mobile emulation, simulated throttling: the defaults); with port,
    in the chromium already running there, its storage (service worker, caches) kept."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    if port is None:
        command += [
            f"--chrome-flags={CHROME_FLAGS}",
            f"--extra-headers={json.dumps({'Cookie': cookie})}",
        ]
    else:
        command += [f"--port={port}", "--disable-storage-reset"]
    env = {**os.environ, "CHROME_PATH": chrome_path()}
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    if run.returncode != 0 or not out.exists():
        raise SystemExit(f"lighthouse {url} failed:\n{run.stderr[-2000:]}")
    report = json.loads(out.read_text())
    if report.get("runtimeError"):
        raise SystemExit(f"lighthouse {url}: {report['runtimeError']}")
    return report


def category_of(application, number: int) -> int:  # noqa: ANN001
    from sqlalchemy import select

    from app.content.models import Indicator
    from app.db import get_session

    with application.app_context():
        stmt = select(Indicator).where(Indicator.number == number)
        return get_session().scalar(stmt).category_number


def offline_runs(
    application,  # noqa: ANN001
    client: Client,
    server: subprocess.Popen,
    tmp: Path,
    runs: int,
) -> list[dict] | None:
    """The lesson saved for use without signal (its category, from the save page, in a
    chromium kept running), the server stopped, then Lighthouse in that same chromium.
    None when the code has no service worker (/sw.js)."""
    status, _loc, _t = client.request("GET", "/sw.js")
    if status != 200:
        return None
    port = free_port()
    chrome = subprocess.Popen(
        [
            chrome_path(),
            *CHROME_FLAGS.split(),
            f"--remote-debugging-port={port}",
            f"--user-data-dir={tmp / 'profile'}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise SystemExit("chromium's devtools port did not open") from None
                time.sleep(0.3)
        category = str(category_of(application, LESSON))
        save = subprocess.run(
            [
                "node",
                str(BENCH / "offline_save.mjs"),
                str(port),
                client.base,
                client.cookies["session"],
                category,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if save.returncode != 0:
            raise SystemExit(f"saving category {category} failed:\n{save.stderr[-2000:]}")
        server.terminate()  # no signal: every request now fails at once
        server.wait(timeout=10)
        reports = []
        for run in range(1, runs + 1):
            out = RESULTS / f"lesson-{LESSON}-offline-{run}.json"
            reports.append(lighthouse(f"{client.base}/indicators/{LESSON}", "", out, port))
            print(f"  run {run} {'saved, offline':<16} {scores(reports[-1])}", flush=True)
        return reports
    finally:
        chrome.terminate()
        chrome.wait(timeout=10)


def scores(report: dict) -> dict[str, int]:
    return {c: round((report["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}


def where(audit: dict, limit: int = 3) -> str:
    """The first few elements or URLs an audit points at."""
    found: list[str] = []
    for item in (audit.get("details") or {}).get("items", []):
        node = item.get("node") or {}
        source = item.get("sourceLocation") or {}
        what = node.get("selector") or source.get("url") or item.get("url") or ""
        if what and what not in found:
            found.append(what)
    more = f" +{len(found) - limit}" if len(found) > limit else ""
    return "; ".join(found[:limit]) + more


def failing(report: dict) -> list[tuple[str, str, str, bool]]:
    """(category, audit id, title, counts) of every audit below full marks; counts is False
    for audits of weight 0 (advice that costs no points)."""
    rows = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            mode = audit.get("scoreDisplayMode")
            if mode in ("notApplicable", "manual", "informative"):
                continue
            if mode == "error" or (audit.get("score") is not None and audit["score"] < 1):
                title = audit["title"]
                if audit.get("displayValue"):
                    title += f" ({audit['displayValue']})"
                if mode == "error":
                    title += f" [error: {audit.get('errorMessage', '')}]"
                if audit.get("explanation"):
                    title += f" [{audit['explanation']}]"
                if where(audit):
                    title += f"\n{'':<46}at {where(audit)}"
                rows.append((category, ref["id"], title, ref.get("weight", 0) > 0))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--advice", action="store_true", help="also list 0-weight audits")
    args = parser.parse_args()

    ensure_lighthouse()
    ensure_translations()
    chrome_path()
    started = time.monotonic()
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bmn-lh-") as name:
        tmp = Path(name)
        env = {
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(tmp / "media"),
            "SECRET_KEY": "bench-lighthouse-secret-not-for-use",
            "JOBS_URL": "",
        }
        os.environ["MEDIA_ROOT"] = env["MEDIA_ROOT"]  # page_weight.build reads it from here
        application = page_weight.build(tmp)
        offline = None
        server, base = start_server(tmp, env)
        try:
            client = Client(base)
            pages = prepare(application, client)
            cookie = client.cookie_header()
            reports: dict[str, list[dict]] = {page: [] for page in pages}
            for run in range(1, args.runs + 1):
                for page, path in pages.items():
                    slug = re.sub(r"[^a-z0-9]+", "-", page).strip("-")
                    out = RESULTS / f"{slug}-{run}.json"
                    reports[page].append(lighthouse(base + path, cookie, out))
                    print(f"  run {run} {page:<16} {scores(reports[page][-1])}", flush=True)
            offline = offline_runs(application, client, server, tmp, args.runs)
            if offline is not None:
                name = f"lesson {LESSON} offline"
                pages[name] = f"/indicators/{LESSON} (saved)"
                reports[name] = offline
        finally:
            if server.poll() is None:
                server.terminate()
                server.wait(timeout=10)

    version = reports["home"][0]["lighthouseVersion"]
    agent = reports["home"][0]["environment"]["hostUserAgent"]
    chrome = re.search(r"Chrome/([\d.]+)", agent)
    print(
        f"\nLighthouse {version}, chromium {chrome.group(1) if chrome else '?'}, mobile "
        f"emulation, simulated throttling; median of {args.runs} runs "
        f"({time.monotonic() - started:.0f} s)"
    )
    header = f"{'page':<18} {'path':<26}" + "".join(f" {c:>14}" for c in CATEGORIES)
    print(header)
    print("-" * len(header))
    below = False
    medians: dict[str, dict] = {}
    for page, runs in reports.items():
        per_run = [scores(r) for r in runs]
        median = {c: statistics.median_low([s[c] for s in per_run]) for c in CATEGORIES}
        below |= any(v < 100 for v in median.values())
        # The median run: the run whose total is the median total (low median, an actual run).
        totals = [sum(s.values()) for s in per_run]
        pick = totals.index(statistics.median_low(totals))
        medians[page] = runs[pick]
        cells = "".join(
            f" {str(median[c]) + ' (' + '/'.join(str(s[c]) for s in per_run) + ')':>14}"
            for c in CATEGORIES
        )
        print(f"{page:<18} {pages[page]:<26}{cells}")

    print("\nFailing audits of each page's median run (those that cost points)")
    for page, report in medians.items():
        rows = failing(report)
        counted = [r for r in rows if r[3]]
        print(f"{page}: {'none' if not counted else ''}")
        for category, audit_id, title, _counts in counted:
            print(f"  {category:<15} {audit_id:<28} {title}")
        if args.advice:
            for category, audit_id, title, _counts in (r for r in rows if not r[3]):
                print(f"  {category:<15} {audit_id:<28} {title} [weight 0]")
    if offline is None:
        print(
            "\nSaved lesson opened offline: not measured, this code serves no /sw.js "
            "(no service worker, nothing can be saved)"
        )
    print(f"\nJSON reports: {RESULTS.relative_to(ROOT)}/")
    print("All medians 100" if not below else "Some median is below 100")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
