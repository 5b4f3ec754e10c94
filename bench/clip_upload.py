"""Clip upload: how long a trainer's 50 MB upload request takes to return, against how long the
background processing (probe, poster, phone and low-data transcodes) takes. The request must
not wait for the transcode: it stores the file, checks it with ffprobe, queues the job and answers.

Run: `.venv/bin/python bench/clip_upload.py [--runs N]`. Needs ffmpeg. Makes a real 50 MB MP4
(720p test pattern with noise at about 20 Mbit/s, cached under /tmp/bmn-bench/), serves the app
on 127.0.0.1 with its own temporary SQLite database, media folder and job queue, and streams the
file to the upload URL over HTTP as a browser would (CSRF checks off: a bench, not a test).
"""

from __future__ import annotations

import argparse
import http.client
import logging
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, delete, select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

import app.models  # noqa: E402, F401 - every table on Base.metadata
from app import create_app  # noqa: E402
from app.auth.models import Role  # noqa: E402
from app.auth.services import create_user  # noqa: E402
from app.content.models import Clip, Indicator  # noqa: E402
from app.db import Base, get_session  # noqa: E402
from app.jobs import run_pending  # noqa: E402

CACHE = Path("/tmp/bmn-bench")
TARGET_BYTES = 50 * 1024 * 1024
PHONE = "0899000002"  # generated test range, no real person
PASSWORD = "bench-password-1"
CHUNK = 256 * 1024


def make_clip() -> Path:
    """A real MP4 of about 50 MB (made once, then reused from /tmp)."""
    clip = CACHE / "clip-50mb.mp4"
    if clip.is_file() and clip.stat().st_size >= TARGET_BYTES * 0.95:
        return clip
    CACHE.mkdir(parents=True, exist_ok=True)
    print("making a 50 MB test clip with ffmpeg (once) ...", flush=True)
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y",
         "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=22",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=22",
         "-vf", "noise=alls=30:allf=t", "-c:v", "libx264", "-preset", "ultrafast",
         "-b:v", "19M", "-minrate", "19M", "-maxrate", "19M", "-bufsize", "19M",
         "-c:a", "aac", "-shortest", str(clip)],
        check=True,
    )  # fmt: skip
    return clip


def setup_app(folder: Path):
    """The app on a fresh temporary database, with a trainer and indicator 0."""
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    application = create_app(
        {
            "TESTING": True,
            "APP_ENV": "testing",
            "SECRET_KEY": "bench-secret",
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(folder / "media"),
            "JOBS_URL": f"sqlite:///{folder / 'jobs.sqlite3'}",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
            "WTF_CSRF_ENABLED": False,
        }
    )
    with application.app_context():
        session = get_session()
        session.add(Indicator(number=0, title_th="พื้นฐาน", title_en="Basics", status="official"))
        create_user(
            session, full_name="ครูฝึก ทดสอบ", phone=PHONE, password=PASSWORD,
            role=Role.TRAINER, volunteer_type=None, village_id=None, area_code=None,
        )  # fmt: skip
        session.commit()
    return application


def log_in(port: int) -> str:
    """The session cookie of the logged-in trainer."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = urlencode({"phone": PHONE, "password": PASSWORD})
    conn.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    assert response.status == 302, f"login failed: {response.status}"
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    conn.close()
    return cookie


def upload(port: int, cookie: str, clip: Path) -> tuple[float, int]:
    """Stream the clip as a multipart upload; seconds until the response, and its status."""
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{clip.name}"\r\nContent-Type: video/mp4\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.putrequest("POST", "/studio/indicators/0/clips/new")
    conn.putheader("Cookie", cookie)
    conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    conn.putheader("Content-Length", str(len(head) + clip.stat().st_size + len(tail)))
    conn.endheaders()
    start = time.perf_counter()
    conn.send(head)
    with clip.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            conn.send(chunk)
    conn.send(tail)
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed, response.status


def main() -> int:
    """Time the upload request and the processing job; print both."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="uploads to time (default 3)")
    runs = parser.parse_args().runs
    if shutil.which("ffmpeg") is None:
        print("ffmpeg is not installed (make ffmpeg)")
        return 1
    clip = make_clip()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="bmn-bench-") as folder:
        application = setup_app(Path(folder))
        server = make_server("127.0.0.1", 0, application, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            cookie = log_in(server.server_port)
            uploads = []
            for _ in range(runs):
                with application.app_context():  # the same bytes again would be a duplicate
                    get_session().execute(delete(Clip))
                    get_session().commit()
                application.extensions["huey"].flush()
                seconds, status = upload(server.server_port, cookie, clip)
                assert status == 302, f"upload answered {status}"
                uploads.append(seconds)
            start = time.perf_counter()
            ran = run_pending(application.extensions["huey"])
            processing = time.perf_counter() - start
            with application.app_context():
                clip_row = get_session().scalars(select(Clip)).one()
                state, low_size = clip_row.state, clip_row.low_size
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
    size_mb = clip.stat().st_size / (1024 * 1024)
    print(f"clip: {clip} ({size_mb:.1f} MB)")
    print(
        f"upload request (stream {size_mb:.0f} MB on loopback, store, ffprobe, queue): "
        f"median {statistics.median(uploads):.2f} s over {runs} "
        f"(min {min(uploads):.2f} s, max {max(uploads):.2f} s)"
    )
    print(
        f"processing job (ffprobe, poster, 720p phone and 360p low-data transcodes), run by "
        f"the worker: "
        f"{processing:.2f} s for {ran} job(s); state {state}, "
        f"low-data version {(low_size or 0) / 1024:.0f} KB"
    )
    ratio = processing / statistics.median(uploads)
    print(f"the upload returns {ratio:.0f}x faster than the transcode it no longer waits for")
    return 0


if __name__ == "__main__":
    sys.exit(main())
