"""Bytes a 360-px-wide phone downloads for each shipped infographic, against the original file.

For every indicator's lesson page the script reads the <picture> the page really serves (the
WebP `srcset` and `sizes`, and the JPEG fallback's), works out the candidate a browser picks
for a viewport 360 CSS px wide at device pixel ratio 1 and 2 (the narrowest candidate at least
slot width x DPR wide, else the widest), and compares its size with the original
(content/indicators/NN/media/infographic.png). Goal (issue 5): at most 15% at DPR 1.

Run: `.venv/bin/python bench/infographic_bytes.py` from the repo root. Builds its own app on a
temporary SQLite database and a temporary media store; touches nothing else. Exits 1 when the
total at DPR 1 is over the goal.
"""

from __future__ import annotations

import re
import sys
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import create_engine, select  # noqa: E402

import app.models  # noqa: E402, F401 - every table on Base.metadata
from app import create_app  # noqa: E402
from app.content.models import Indicator  # noqa: E402
from app.content_io.load import load_content  # noqa: E402
from app.db import Base, get_session  # noqa: E402

GOAL = 0.15  # of the original's bytes, at DPR 1
VIEWPORT = 360  # CSS px
ROOT_FONT = 16  # px per rem (the browser default; app.css does not change it)


@dataclass(frozen=True)
class Candidate:
    """One srcset entry."""

    url: str
    width: int


@dataclass
class Picture:
    """The first <picture> of a page: WebP source and JPEG <img> candidates and their sizes."""

    webp: list[Candidate]
    webp_sizes: str
    jpeg: list[Candidate]
    jpeg_sizes: str
    img_src: str


class PictureParser(HTMLParser):
    """Reads the first <picture> (or a plain <img class="info">) of a lesson page."""

    def __init__(self) -> None:
        super().__init__()
        self.picture: Picture | None = None
        self._source: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "source" and a.get("type") == "image/webp" and not self._source:
            self._source = a
        elif tag == "img" and "info" in a.get("class", "").split() and self.picture is None:
            self.picture = Picture(
                webp=parse_srcset(self._source.get("srcset", "")),
                webp_sizes=self._source.get("sizes", ""),
                jpeg=parse_srcset(a.get("srcset", "")),
                jpeg_sizes=a.get("sizes", ""),
                img_src=a.get("src", ""),
            )


def parse_srcset(srcset: str) -> list[Candidate]:
    """The width-described candidates of a srcset, narrowest first."""
    found = []
    for item in filter(None, (part.strip() for part in srcset.split(","))):
        url, _, descriptor = item.partition(" ")
        if descriptor.strip().endswith("w"):
            found.append(Candidate(url, int(descriptor.strip()[:-1])))
    return sorted(found, key=lambda c: c.width)


def length(text: str, viewport: int) -> float:
    """A CSS length in px: Npx, Nrem, Nem, Nvw, or calc(A + B) / calc(A - B) of those."""
    text = text.strip()
    calc = re.fullmatch(r"calc\((.+?)\s+([+-])\s+(.+)\)", text)
    if calc:
        left, right = length(calc.group(1), viewport), length(calc.group(3), viewport)
        return left + right if calc.group(2) == "+" else left - right
    number = re.fullmatch(r"([\d.]+)(px|rem|em|vw)", text)
    if not number:
        raise ValueError(f"unsupported length {text!r}")
    value, unit = float(number.group(1)), number.group(2)
    return {"px": value, "rem": value * ROOT_FONT, "em": value * ROOT_FONT}.get(
        unit, value * viewport / 100
    )


def slot_width(sizes: str, viewport: int) -> float:
    """The slot width `sizes` gives for a viewport (min-/max-width conditions only)."""
    for entry in (e.strip() for e in sizes.split(",")):
        condition = re.match(r"\((min|max)-width:\s*([^)]+)\)\s+(.+)", entry)
        if condition is None:
            return length(entry, viewport)
        bound = length(condition.group(2), viewport)
        holds = viewport >= bound if condition.group(1) == "min" else viewport <= bound
        if holds:
            return length(condition.group(3), viewport)
    return float(viewport)  # no entry matched: 100vw


def pick(candidates: list[Candidate], sizes: str, dpr: float) -> Candidate:
    """The candidate a browser picks: the narrowest covering the slot at this DPR."""
    needed = slot_width(sizes, VIEWPORT) * dpr
    return next((c for c in candidates if c.width >= needed), candidates[-1])


def build(tmp: Path) -> Flask:
    """The app on a fresh SQLite file and media store, with the shipped content loaded."""
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
            "MEDIA_ROOT": str(tmp / "media"),
            "JOBS_URL": f"sqlite:///{tmp / 'jobs.sqlite3'}",
        }
    )
    with application.app_context():
        session = get_session()
        load_content(
            session,
            Path(application.config["CONTENT_ROOT"]),
            Path(application.config["QUIZ_ROOT"]),
            application.extensions["media_storage"],
        )
        session.commit()
    return application


def size_of(client: FlaskClient, url: str) -> int:
    """Bytes of a media file as served."""
    with client.get(url) as response:
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: HTTP {response.status_code}")
        return len(response.get_data())


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bmn-bench-") as tmp:
        application = build(Path(tmp))
        client = application.test_client()
        content = Path(application.config["CONTENT_ROOT"])
        with application.app_context():
            numbers = sorted(
                get_session().scalars(select(Indicator.number).where(Indicator.number > 0))
            )
        rows = []
        for number in numbers:
            original = content / "indicators" / f"{number:02d}" / "media" / "infographic.png"
            if not original.is_file():
                continue
            parser = PictureParser()
            parser.feed(client.get(f"/indicators/{number}").get_data(as_text=True))
            picture = parser.picture
            if picture is None or not picture.webp:
                raise SystemExit(f"indicator {number}: the lesson page has no <picture> srcset")
            picks = [
                pick(picture.webp, picture.webp_sizes, 1),
                pick(picture.webp, picture.webp_sizes, 2),
                pick(picture.jpeg, picture.jpeg_sizes, 1),
            ]
            sizes = [size_of(client, c.url) for c in picks]
            rows.append((number, original.stat().st_size, picks, sizes))

    print(
        f"Infographic bytes for a {VIEWPORT}-CSS-px phone vs the original file "
        f"({len(rows)} shipped infographics); goal at DPR 1: at most {GOAL:.0%}"
    )
    print(f"slot width from the page's sizes: {slot_width(picture.webp_sizes, VIEWPORT):.0f} px")
    header = (
        f"{'#':>3} {'original':>9} | {'WebP DPR 1':>17} {'ratio':>6} | "
        f"{'WebP DPR 2':>17} {'ratio':>6} | {'JPEG DPR 1 (fallback)':>22} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    totals = [0, 0, 0, 0]
    for number, original, picks, sizes in rows:
        cells = " | ".join(
            f"{c.width:>5}w {s:>9} B {pct(s, original)}" for c, s in zip(picks, sizes, strict=True)
        )
        print(f"{number:>3} {original:>9} | {cells}")
        totals[0] += original
        for i, s in enumerate(sizes, start=1):
            totals[i] += s
    print("-" * len(header))
    whole = totals[0]
    print(
        f"{'all':>3} {whole:>9} | {totals[1]:>15} B {pct(totals[1], whole)} | "
        f"{totals[2]:>15} B {pct(totals[2], whole)} | {totals[3]:>20} B {pct(totals[3], whole)}"
    )
    ratio = totals[1] / whole
    verdict = "within the goal" if ratio <= GOAL else "OVER the goal"
    print(f"\nDPR 1 (WebP): {ratio:.1%} of the originals' bytes: {verdict} ({GOAL:.0%})")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
