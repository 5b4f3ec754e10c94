"""Page weight of BMN Learn's main pages: HTML plus the same-origin CSS and JS each one loads,
raw and gzip-compressed (level 6), against the issue's budget for a lesson page:
30 KB (30 * 1024 bytes) compressed, media (clip, poster, captions, infographic) excluded.

Then issue 13's budgets (item 8): the indicator page's HTML, CSS and JS (service-worker
registration included) at most 30 KB compressed; the first screen's HTML and critical CSS
within 14 KB (the HTML up to the end of the first screen's content plus every stylesheet, all
of the page's CSS being render-blocking); the service worker and the offline script together
at most 15 KB.

Run: `make bench` or `.venv/bin/python bench/page_weight.py`. Exits 1 when a budget is missed.
Builds its own app on a temporary SQLite database; touches nothing else.
"""

from __future__ import annotations

import gzip
import sys
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import create_engine, select  # noqa: E402

import app.models  # noqa: E402, F401 - every table on Base.metadata
from app import create_app  # noqa: E402
from app.areas.models import Village  # noqa: E402
from app.areas.services import load_areas, read_area_csv  # noqa: E402
from app.auth.models import Role  # noqa: E402
from app.auth.services import create_user  # noqa: E402
from app.content.models import Indicator  # noqa: E402
from app.content_io.load import load_content  # noqa: E402
from app.db import Base, get_session  # noqa: E402
from app.quizzes.models import Attempt, Question, Quiz  # noqa: E402
from app.readiness.models import TrainingPlan  # noqa: E402

BUDGET = 30 * 1024  # bytes, compressed, media excluded (the lesson-page budget)
FIRST_SCREEN_BUDGET = 14 * 1024  # the first screen's HTML and critical CSS
OFFLINE_BUDGET = 15 * 1024  # the service worker and the offline script
OFFLINE_SCRIPTS = (
    "/sw.js",
    "/static/js/offline.js",
    "/static/js/quiz-offline.js",
    "/static/js/support-outbox.js",
)
GZIP_LEVEL = 6
PHONE = "0899000001"  # generated test range, no real person
PASSWORD = "bench-password-1"


def gz(data: bytes) -> int:
    """Size of data gzip-compressed at level 6 (mtime 0: the same bytes every run)."""
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


class Refs(HTMLParser):
    """The stylesheets, scripts and media a page references."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.media: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and "stylesheet" in a.get("rel", "").lower().split() and a.get("href"):
            self.assets.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.assets.append(a["src"])
        elif tag == "video":
            if a.get("poster"):
                self.media.append(("poster", a["poster"]))
            if a.get("src"):
                self.media.append(("video", a["src"]))
        elif tag == "source" and a.get("src"):
            self.media.append(("video", a["src"]))
        elif tag == "track" and a.get("src"):
            self.media.append(("captions", a["src"]))
        elif tag == "img" and a.get("src"):
            self.media.append(("image", a["src"]))


def same_origin_path(url: str) -> str | None:
    """The path (with query) of a same-origin URL, else None."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if parts.hostname not in ("localhost", "127.0.0.1"):
            return None
    if not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def fetch(client: FlaskClient, path: str) -> bytes:
    """GET a path, uncompressed (the test client sends no Accept-Encoding); must be 200."""
    with client.get(path) as response:
        if response.status_code != 200:
            raise SystemExit(f"GET {path}: HTTP {response.status_code}")
        return response.get_data()


@dataclass
class Row:
    """One page's weight."""

    page: str
    path: str
    html_raw: int
    html_gz: int
    assets_raw: int = 0
    assets_gz: int = 0
    assets: list[str] = field(default_factory=list)

    @property
    def total_gz(self) -> int:
        return self.html_gz + self.assets_gz


def measure(client: FlaskClient, page: str, path: str, body: bytes | None = None) -> Row:
    """HTML (or JSON) of a page plus every same-origin CSS and JS file it references."""
    body = fetch(client, path) if body is None else body
    row = Row(page, path, len(body), gz(body))
    refs = Refs()
    refs.feed(body.decode("utf-8", "replace"))
    for url in dict.fromkeys(refs.assets):  # each file once, as a browser loads it
        asset = same_origin_path(url)
        if asset is None:
            continue
        data = fetch(client, asset)
        row.assets_raw += len(data)
        row.assets_gz += gz(data)
        row.assets.append(asset.split("?")[0])
    return row


def build(tmp: Path) -> Flask:
    """The app on a fresh SQLite file: tables, areas, the shipped content, one volunteer."""
    url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    application = create_app(
        {
            "TESTING": True,
            "APP_ENV": "testing",
            "SECRET_KEY": "bench-secret",
            "DATABASE_URL": url,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
            "WTF_CSRF_ENABLED": False,
            "QUIZ_COOLDOWN_SECONDS": 0,
        }
    )
    with application.app_context():
        session = get_session()
        load_areas(session, read_area_csv(Path(application.config["AREAS_CSV"])), 2)
        load_content(
            session,
            Path(application.config["CONTENT_ROOT"]),
            Path(application.config["QUIZ_ROOT"]),
            application.extensions["media_storage"],
        )
        village = session.scalar(select(Village).order_by(Village.code).limit(1))
        create_user(
            session,
            full_name="สมศรี ทดสอบน้ำหนักหน้า",
            phone=PHONE,
            password=PASSWORD,
            role=Role.VOLUNTEER,
            volunteer_type="osm",
            village_id=village.id,
        )
        session.commit()
    return application


def quiz_numbers(application: Flask) -> list[int]:
    """Numbers of the indicators that have a question bank."""
    with application.app_context():
        stmt = select(Indicator.number).join(Quiz, Quiz.indicator_id == Indicator.id)
        return sorted(get_session().scalars(stmt))


def answers(application: Flask, attempt_id: int, *, right: bool) -> dict[str, Any]:
    """Form data answering every drawn question of an attempt right (or wrong)."""
    with application.app_context():
        session = get_session()
        data: dict[str, Any] = {}
        for item in session.get(Attempt, attempt_id).draw:
            question = session.get(Question, item["q"])
            if question.type == "record":
                data.update(record_answers(question, right=right))
                continue
            keys = [c.key for c in question.choices if c.correct == right]
            data[f"q{question.id}"] = keys if question.type == "multiple" else keys[0]
        return data


def record_answers(question: Question, *, right: bool) -> dict[str, Any]:
    """A recording exercise's form data: every item as the form needs it, and the right
    result (or a wrong one)."""
    from app.quizzes.files import RESULTS, SKIP, record_from_data

    record = record_from_data(question.record)
    data: dict[str, Any] = {}
    for index, entry in enumerate(record.entries):
        name = f"q{question.id}_{index}"
        if entry.kind == "number" and list(entry.answer) == [SKIP]:
            data[f"{name}_skip"] = "y"
        else:
            data[name] = list(entry.answer)
    result = record.result if right else next(r for r in RESULTS if r != record.result)
    data[f"q{question.id}_r"] = result
    return data


def start_quiz(client: FlaskClient, number: int) -> tuple[int, str]:
    """Start an attempt; returns its id and the quiz page path."""
    response = client.post(f"/indicators/{number}/quiz")
    location = response.headers.get("Location", "")
    if response.status_code != 302 or "/attempts/" not in location:
        raise SystemExit(f"starting the quiz of indicator {number} failed: {location}")
    path = urlsplit(location).path
    return int(path.rsplit("/", 1)[1]), path


def submit(application: Flask, client: FlaskClient, attempt_id: int, *, right: bool) -> str:
    """Answer an attempt; returns the result page path."""
    response = client.post(
        f"/attempts/{attempt_id}", data=answers(application, attempt_id, right=right)
    )
    if response.status_code != 302:
        raise SystemExit(f"submitting attempt {attempt_id}: HTTP {response.status_code}")
    return urlsplit(response.headers["Location"]).path


def activate_quiz_plan(application: Flask, numbers: list[int]) -> None:
    """An active plan of just the indicators that have a quiz, so readiness can be reached."""
    with application.app_context():
        session = get_session()
        for plan in session.scalars(select(TrainingPlan)):
            plan.active = False
        indicators = list(session.scalars(select(Indicator).where(Indicator.number.in_(numbers))))
        session.add(
            TrainingPlan(
                slug="bench-plan",
                name_th="แผนทดสอบน้ำหนักหน้า",
                name_en="Page weight plan",
                campaign_year=2570,
                active=True,
                indicators=indicators,
            )
        )
        session.commit()


def measure_first_screen(client: FlaskClient, html: bytes) -> tuple[int, int]:
    """Compressed bytes of the HTML a 360x740 phone needs for its first screen (up to the end
    of the lesson's first card: heading, clip and criterion; the clip box and the header
    already fill the screen) and of the render-blocking stylesheets."""
    marker = html.find(b"</section>")
    head = html if marker < 0 else html[: marker + len(b"</section>")]
    refs = Refs()
    refs.feed(html.decode("utf-8", "replace"))
    css = 0
    for url in dict.fromkeys(refs.assets):
        path = same_origin_path(url)
        if path is not None and path.split("?")[0].endswith(".css"):
            css += gz(fetch(client, path))
    return gz(head), css


def kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bmn-bench-") as tmp:
        application = build(Path(tmp))
        client = application.test_client()
        rows: list[Row] = []

        rows.append(measure(client, "home (logged out)", "/"))
        rows.append(measure(client, "signup", "/signup"))
        rows.append(measure(client, "login", "/login"))
        rows.append(measure(client, "pocket summary (category 1)", "/summary/1"))

        # The lesson with the most content: the heaviest lesson page of the 38 indicators
        # (the survey basics lesson, number 0, has no clip; it is measured too, for information).
        with application.app_context():
            numbers = sorted(get_session().scalars(select(Indicator.number)))
        if 0 in numbers:
            rows.append(measure(client, "lesson (survey basics)", "/indicators/0"))
            numbers.remove(0)
        lessons = {n: fetch(client, f"/indicators/{n}") for n in numbers}
        heaviest = max(numbers, key=lambda n: (len(lessons[n]), n))

        response = client.post("/login", data={"phone": PHONE, "password": PASSWORD})
        if response.status_code != 302:
            raise SystemExit(f"login failed: HTTP {response.status_code}")
        rows.append(measure(client, "home (logged in)", "/"))
        lesson_path = f"/indicators/{heaviest}"
        lesson = measure(client, f"lesson (indicator {heaviest})", lesson_path)
        rows.append(lesson)

        banks = quiz_numbers(application)
        if not banks:
            raise SystemExit("no indicator has a question bank")
        quiz_number = heaviest if heaviest in banks else banks[0]
        attempt_id, take_path = start_quiz(client, quiz_number)
        rows.append(measure(client, f"quiz (indicator {quiz_number})", take_path))
        # A failed attempt: its feedback (explanations and review links) is the longest.
        result_path = submit(application, client, attempt_id, right=False)
        rows.append(measure(client, "quiz result (failed)", result_path))

        activate_quiz_plan(application, banks)
        for number in banks:
            attempt_id, _path = start_quiz(client, number)
            submit(application, client, attempt_id, right=True)
        card = fetch(client, "/ready")
        if b'class="code"' not in card:
            raise SystemExit("the readiness card shows no verification code")
        rows.append(measure(client, "readiness card", "/ready", card))
        rows.append(measure(client, "api /api/v1/indicators", "/api/v1/indicators"))

        first_screen = measure_first_screen(client, lessons[heaviest])
        offline_sizes = [(path, gz(fetch(client, path))) for path in OFFLINE_SCRIPTS]
        offline_gz = sum(size for _p, size in offline_sizes)

        refs = Refs()
        refs.feed(lessons[heaviest].decode("utf-8"))
        media = []
        for kind, url in dict.fromkeys(refs.media):
            path = same_origin_path(url)
            if path is not None:
                media.append((kind, path, len(fetch(client, path))))

    print(
        f"Page weight, gzip level {GZIP_LEVEL}; budget {BUDGET} bytes ({kb(BUDGET)} KB) "
        "compressed, media excluded (the gate is the lesson page)"
    )
    header = (
        f"{'page':<27} {'HTML raw':>9} {'HTML gz':>8} {'CSS+JS gz':>10} {'total gz':>9} "
        f"{'≤ 30 KB':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        verdict = "yes" if row.total_gz <= BUDGET else "NO"
        print(
            f"{row.page:<27} {row.html_raw:>9} {row.html_gz:>8} {row.assets_gz:>10} "
            f"{row.total_gz:>9} {verdict:>8}"
        )
    assets = sorted({a for row in rows for a in row.assets})
    print(f"CSS+JS files: {', '.join(assets) or 'none'} (each counted once per page)")

    print(f"\nMedia of {lesson_path} (for information; not in the budget)")
    for kind, path, size in media:
        print(f"  {kind:<9} {size:>9} bytes  {kb(size):>7} KB  {path}")
    total_media = sum(size for _k, _p, size in media)
    print(f"  {'total':<9} {total_media:>9} bytes  {kb(total_media):>7} KB")

    within = lesson.total_gz <= BUDGET
    print(
        f"\nLesson page: {lesson.total_gz} bytes ({kb(lesson.total_gz)} KB) compressed of "
        f"{BUDGET} ({kb(BUDGET)} KB): {'within budget' if within else 'OVER BUDGET'}"
    )
    print("\nIssue 13 budgets (gzip level 6)")
    budgets = [
        (f"indicator page {lesson_path}: HTML+CSS+JS", lesson.total_gz, BUDGET),
        (
            f"first screen of {lesson_path}: HTML+critical CSS",
            first_screen[0] + first_screen[1],
            FIRST_SCREEN_BUDGET,
        ),
        ("service worker + offline script", offline_gz, OFFLINE_BUDGET),
    ]
    for name, size, budget in budgets:
        verdict = "ok" if size <= budget else "OVER"
        print(f"  {name:<52} {size:>6} bytes ({kb(size)} KB) of {kb(budget)} KB  {verdict}")
    print(
        f"  (first screen: HTML {first_screen[0]} + CSS {first_screen[1]}; whole HTML "
        f"{lesson.html_gz}; {' + '.join(f'{p} {s}' for p, s in offline_sizes)})"
    )
    return 0 if all(size <= budget for _n, size, budget in budgets) else 1


if __name__ == "__main__":
    sys.exit(main())
