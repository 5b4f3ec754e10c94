"""The production layout of docs/deploy.md on loopback: Debian's nginx with the site file
deploy/nginx/bmn-learn.conf (TLS with a throwaway certificate) in front of two gunicorn
instances started with deploy/gunicorn.conf.py, each its own process, on PostgreSQL and Redis,
with a job worker. nginx alternates the app servers (round robin) and, in the test only, names
the one that answered in X-Upstream: a login, a quiz and a clip upload whose next request goes
to the other server must see the same state there.

Needs PostgreSQL (DATABASE_URL), Redis on 127.0.0.1:6379, nginx and openssl (`make nginx`);
with BMN_REQUIRE_NGINX set (CI) a missing nginx fails instead of skipping."""

from __future__ import annotations

import asyncio
import http.client
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import make_url, select

from app.auth.models import Role
from app.content.models import Clip
from app.db import get_session
from app.storage import LocalStorage

from ..conftest import PASSWORD
from ..media.test_images import gps_jpeg
from ..test_bench_load import bench_load

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "bmn-learn.conf"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
HOST = "bmn.test"
REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own: the other tests use 0 and 15
START_SECONDS = 40
# One process runs the whole module under pytest-xdist: the servers start once.
pytestmark = pytest.mark.xdist_group("production-layout")


def unavailable(reason: str, requirement: str) -> None:
    """Fail when CI requires the tool (BMN_REQUIRE_*), skip otherwise."""
    if os.environ.get(requirement):
        pytest.fail(reason)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"a server stopped at start:\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"no answer on port {port} within {START_SECONDS} s")


def site_config(ports: dict[str, int], tmp: Path, media_root: Path, photos: Path) -> str:
    """deploy/nginx/bmn-learn.conf with the test's ports, paths and certificate, and with the
    X-Upstream lines (commented out for production) switched on."""
    text = SITE.read_text()
    replacements = [
        ("listen [::]:80;\n", ""),
        ("listen [::]:443 ssl default_server;\n", ""),
        ("listen [::]:443 ssl http2;\n", ""),
        ("listen 80;", f"listen 127.0.0.1:{ports['http']};"),
        (
            "listen 443 ssl default_server;",
            f"listen 127.0.0.1:{ports['https']} ssl default_server;",
        ),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{ports['https']} ssl http2;"),
        ("server 10.0.0.11:8000", f"server 127.0.0.1:{ports['a']}"),
        ("server 10.0.0.12:8000", f"server 127.0.0.1:{ports['b']}"),
        ("/etc/letsencrypt/live/learn.example.go.th/fullchain.pem", str(tmp / "cert.pem")),
        ("/etc/letsencrypt/live/learn.example.go.th/privkey.pem", str(tmp / "key.pem")),
        ("learn.example.go.th", HOST),
        ("/var/log/nginx/bmn-learn.access.log", str(tmp / "access.log")),
        ("/var/www/letsencrypt", str(tmp / "acme")),
        ("/srv/bmn-learn/static/", f"{ROOT / 'static'}/"),
        ("/srv/bmn-media/media/", f"{media_root}/"),
        ("/srv/bmn-media/support-photos/", f"{photos}/"),
        ("# add_header X-Upstream", "add_header X-Upstream"),
    ]
    for old, new in replacements:
        assert old in text, f"{SITE.name} no longer has {old!r}: update this test with it"
        text = text.replace(old, new)
    directives = re.sub(r"#.*", "", text)
    assert not re.search(r"10\.0\.0\.|/srv/|/etc/letsencrypt", directives), "a production value"
    return text


def nginx_config(tmp: Path) -> str:
    """The main configuration around the site (Debian's nginx.conf does this in production)."""
    user = "user root root;\n" if os.geteuid() == 0 else ""  # the test's files are 0700
    temp = "".join(
        f"    {kind}_temp_path {tmp / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {tmp / 'nginx.pid'};\n"
        f"error_log {tmp / 'error.log'} warn;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"{temp}    access_log off;\n    include {tmp / 'site.conf'};\n}}\n"
    )


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def upstream(self) -> str | None:
        """The app server that answered (None: nginx answered alone)."""
        return self.headers.get("X-Upstream")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("Location", "")).path


@dataclass
class Phone:
    """One user's HTTPS client through nginx, with its own cookies (Secure: over TLS)."""

    port: int
    context: ssl.SSLContext
    cookies: dict[str, str] = field(default_factory=dict)
    answers: list[Answer] = field(default_factory=list)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Answer:
        sent = {"Host": HOST, "Accept-Language": "th", **(headers or {})}
        if method == "POST":  # over HTTPS, Flask-WTF wants a same-site referrer (browsers send it)
            sent.setdefault("Referer", f"https://{HOST}{path}")
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=60)
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=60)
        connection.sock = self.context.wrap_socket(raw, server_hostname=HOST)
        try:
            connection.request(method, path, body, sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in header.lower() or "01 jan 1970" in header.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        self.answers.append(answer)
        return answer

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Answer:
        body = urllib.parse.urlencode(form, doseq=True).encode()
        return self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def login(self, phone: str, password: str = PASSWORD) -> Answer:
        token = bench_load().csrf_token(self.get("/login").text)
        return self.post("/login", {"csrf_token": token, "phone": phone, "password": password})


@dataclass
class Layout:
    ports: dict[str, int]
    tmp: Path
    context: ssl.SSLContext
    upstreams: set[str]

    def phone(self) -> Phone:
        return Phone(self.ports["https"], self.context)


@pytest.fixture(scope="module")
def layout(
    database, media_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Layout]:
    """nginx, two gunicorn instances and a job worker, stopped after the module's tests."""
    if make_url(database.url).get_backend_name() != "postgresql":
        pytest.skip("the production layout runs on PostgreSQL: set DATABASE_URL")
    for tool in ("nginx", "openssl"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            unavailable(f"{tool} is not installed (make nginx)", "BMN_REQUIRE_NGINX")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as error:
        unavailable(f"no Redis on 127.0.0.1:6379 ({error})", "BMN_REQUIRE_REDIS")
    tmp = tmp_path_factory.mktemp("layout")
    photos = tmp / "support-photos"
    (tmp / "acme").mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}",
         "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    ports = {name: free_port() for name in ("a", "b", "http", "https")}
    prefix = f"bmn-deploy-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),  # one secret for every app server
        "DATABASE_URL": database.url,
        "SERVER_NAME": HOST,
        "PREFERRED_URL_SCHEME": "https",
        "TRUSTED_PROXIES": "127.0.0.1",
        "MEDIA_ROOT": str(media_root),  # the shared media store
        "BMN_SUPPORT_PHOTO_ROOT": str(photos),
        "BMN_VOLUNTEER_IMPORT_DIR": str(tmp / "volunteer-imports"),
        "BMN_MEDIA_ACCEL_REDIRECT": "/_protected_media/",
        "BMN_SUPPORT_PHOTO_ACCEL_REDIRECT": "/_protected_support_photos/",
        "JOBS_URL": REDIS_URL,
        "BMN_JOBS_QUEUE": prefix,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "BMN_RATELIMIT_KEY_PREFIX": prefix,
        "BMN_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",  # the test users' cheap hashes
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESS_LOG": "",
    }
    env.pop("FLASK_APP", None)
    (tmp / "site.conf").write_text(site_config(ports, tmp, media_root, photos))
    (tmp / "nginx.conf").write_text(nginx_config(tmp))
    processes: list[subprocess.Popen] = []
    try:
        commands = {
            "gunicorn-a": [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "wsgi:app"],
            "gunicorn-b": [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "wsgi:app"],
            "worker": [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker"],
        }
        binds = {"gunicorn-a": ports["a"], "gunicorn-b": ports["b"]}
        for name, command in commands.items():
            process_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{binds.get(name, 0)}"}
            with (tmp / f"{name}.log").open("wb") as log:
                processes.append(
                    subprocess.Popen(
                        command, cwd=ROOT, env=process_env, stdout=log, stderr=subprocess.STDOUT
                    )
                )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        conf = ["-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log")]
        checked = subprocess.run([nginx, *conf, "-t"], capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, checked.stderr
        processes.append(subprocess.Popen([nginx, *conf, "-g", "daemon off;"]))
        wait_for_port(ports["a"], processes[0], tmp / "gunicorn-a.log")
        wait_for_port(ports["b"], processes[1], tmp / "gunicorn-b.log")
        wait_for_port(ports["https"], processes[3], tmp / "error.log")
        context = ssl.create_default_context(cafile=str(tmp / "cert.pem"))
        upstreams = {f"127.0.0.1:{ports['a']}", f"127.0.0.1:{ports['b']}"}
        yield Layout(ports, tmp, context, upstreams)
    finally:
        for process in reversed(processes):
            process.send_signal(signal.SIGINT)  # gunicorn and the worker: stop at once
        for process in processes:
            try:
                process.wait(timeout=3)
            except subprocess.TimeoutExpired:  # an idle app still tidying its memory up
                process.kill()
                process.wait(timeout=10)
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)


def phone_of(app: Flask, user_id: int) -> str:
    from app.auth.models import User

    with app.app_context():
        return get_session().get(User, user_id).phone


def test_a_volunteer_journey_through_nginx_sees_one_state_on_both_app_servers(
    app: Flask, layout: Layout, content: None, make_user: Callable, complete_numbers
) -> None:
    load = bench_load()
    phone = layout.phone()
    logged_in = phone.login(phone_of(app, make_user()))
    form = phone.answers[-2]
    assert form.status == 200 and form.upstream in layout.upstreams
    # The form came from one server, the login went to the other (its CSRF token and the
    # signed session cookie are checked there with the shared SECRET_KEY).
    assert logged_in.status == 302 and logged_in.upstream != form.upstream
    home = phone.get("/")
    assert home.status == 200 and home.upstream == form.upstream  # logged in there too

    async def request(method: str, path: str, data=None):  # noqa: ANN001, ANN202
        answer = phone.post(path, data) if method == "POST" else phone.get(path)
        return answer.status, answer.location, answer.text

    start = len(phone.answers)
    asyncio.run(load.flow(request, complete_numbers[0]))  # raises at any unexpected answer
    steps = phone.answers[start:]
    # lesson, start, quiz page, submit, result: each on the other server than the step
    # before, so the attempt started on one is shown and scored on the other.
    assert all(a.upstream in layout.upstreams for a in steps)
    assert all(
        later.upstream != earlier.upstream for earlier, later in zip(steps, steps[1:], strict=False)
    )
    seen = [phone.get(steps[3].location) for _ in range(2)]  # the result, on both servers
    assert {a.upstream for a in seen} == layout.upstreams
    scores = [re.findall(r"ตอบถูก \d+ จาก \d+", a.text) for a in seen]
    assert scores[0] and scores[0] == scores[1]


def test_failed_logins_are_counted_across_both_app_servers(
    app: Flask, layout: Layout, areas: None, make_user: Callable
) -> None:
    number = phone_of(app, make_user())
    phone = layout.phone()
    token = bench_load().csrf_token(phone.get("/login").text)  # valid for the session

    def login(password: str) -> Answer:
        return phone.post("/login", {"csrf_token": token, "phone": number, "password": password})

    tries = [login("wrong-password-1") for _ in range(5)]
    assert [t.status for t in tries] == [200] * 5
    assert {t.upstream for t in tries} == layout.upstreams  # 3 on one server, 2 on the other
    # The right password after five wrong ones, whichever server gets it: the count is kept
    # in the shared Redis (in each server's memory, neither would have seen five).
    refused = login(PASSWORD)
    assert refused.status == 429
    assert phone.get("/account/password").location == "/login"  # not logged in


def multipart(fields: dict[str, str], name: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"'
        f"\r\nContent-Type: video/mp4\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


def test_a_clip_upload_is_processed_by_the_worker_and_its_files_come_through_nginx(
    app: Flask, layout: Layout, content: None, make_user: Callable, make_video: Callable
) -> None:
    video = make_video("mp4", size="160x120", seconds=1).read_bytes()
    trainer = layout.phone()
    assert trainer.login(phone_of(app, make_user(Role.TRAINER))).status == 302
    page = trainer.get("/studio/indicators/1/clips/new")
    assert page.status == 200
    token = bench_load().csrf_token(page.text)
    body, boundary = multipart({"csrf_token": token}, "file", "phone.mp4", video)
    uploaded = trainer.request(
        "POST", "/studio/indicators/1/clips/new", body,
        {"Content-Type": f"multipart/form-data; boundary={boundary}",
         "X-Requested-With": "XMLHttpRequest"},
    )  # fmt: skip
    assert uploaded.status == 200, uploaded.text
    clip_url = json.loads(uploaded.body)["url"]
    shown = trainer.get(clip_url)
    assert shown.status == 200 and shown.upstream != uploaded.upstream
    # The job went to the shared Redis queue; the worker (another process) processes it.
    deadline = time.monotonic() + 40
    while (state := json.loads(trainer.get(f"{clip_url}/status.json").body)["state"]) not in (
        "ready",
        "failed",
    ) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert state == "ready", (layout.tmp / "worker.log").read_text()[-2000:]
    with app.app_context():
        clip = get_session().scalar(select(Clip).where(Clip.id == int(clip_url.rsplit("/", 1)[1])))
        original, rendition, poster = clip.path, clip.phone_path, clip.poster_path
    assert rendition and poster

    # The original upload: the app checks the role, nginx sends the file (its ETag is
    # nginx's "mtime-size", not the app's content hash), private to the trainer's browser.
    sent = trainer.get(f"/media/{original}")
    assert sent.status == 200 and sent.body == video, sent.headers
    assert sent.upstream in layout.upstreams
    assert Path(original).stem not in sent.headers.get("ETag", "")
    assert re.fullmatch(r'"[0-9a-f]+-[0-9a-f]+"', sent.headers["ETag"])
    assert sent.headers["Content-Type"] == "video/mp4"
    assert "private" in sent.headers["Cache-Control"]
    assert "X-Accel-Redirect" not in sent.headers
    ranged = trainer.request("GET", f"/media/{original}", headers={"Range": "bytes=0-9"})
    assert ranged.status == 206 and ranged.body == video[:10]
    visitor = layout.phone()
    assert visitor.get(f"/media/{original}").status == 404
    assert visitor.get(f"/_protected_media/{original}").status == 404
    # The phone rendition: public, through the app's check and nginx likewise.
    played = visitor.get(f"/media/{rendition}")
    assert played.status == 200 and played.upstream in layout.upstreams
    assert "public" in played.headers["Cache-Control"] and played.body[4:8] == b"ftyp"
    # A poster needs no check: nginx sends it alone, cached for a year.
    picture = visitor.get(f"/media/{poster}")
    assert picture.status == 200 and picture.upstream is None
    assert picture.headers["Content-Type"] == "image/jpeg"
    assert "immutable" in picture.headers["Cache-Control"]


def test_a_question_photo_reaches_its_asker_only_through_nginx(
    app: Flask, layout: Layout, zone_volunteer: Callable, put_question: Callable
) -> None:
    asker = zone_volunteer("north")
    store = LocalStorage(layout.tmp / "support-photos")  # the app servers' photo store
    photo = store.save(io.BytesIO(gps_jpeg()), "jpg")
    question = put_question(asker, "north", photo_key=photo.key)
    phone = layout.phone()
    assert phone.login(phone_of(app, asker)).status == 302
    sent = phone.get(f"/support/photos/{question}")
    assert sent.status == 200 and sent.body == store.path(photo.key).read_bytes()
    assert sent.upstream in layout.upstreams and "X-Accel-Redirect" not in sent.headers
    assert sent.headers["Cache-Control"] == "no-store"
    assert sent.headers["Content-Type"] == "image/jpeg"
    assert re.fullmatch(r'"[0-9a-f]+-[0-9a-f]+"', sent.headers["ETag"])  # sent by nginx
    other = layout.phone()
    assert other.login(phone_of(app, zone_volunteer("north", full_name="คนอื่น"))).status == 302
    assert other.get(f"/support/photos/{question}").status == 404


def test_nginx_serves_static_files_redirects_http_and_hides_its_internal_locations(
    app: Flask, layout: Layout
) -> None:
    phone = layout.phone()
    static = phone.get("/static/css/app.css?v=0123456789")
    assert static.status == 200 and static.upstream is None
    assert static.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert static.body == (ROOT / "static" / "css" / "app.css").read_bytes()
    assert phone.get("/static/css/app.css").headers["Cache-Control"] == "no-cache"
    missing = phone.get(f"/media/ab/{'ab' * 32}.png")  # the app's 404 page, in Thai
    assert missing.status == 404 and missing.upstream in layout.upstreams
    assert phone.get("/_protected_support_photos/x").status == 404
    plain = http.client.HTTPConnection("127.0.0.1", layout.ports["http"], timeout=30)
    try:
        plain.request("GET", "/login?next=/", headers={"Host": HOST})
        redirect = plain.getresponse()
        assert redirect.status == 301
        assert redirect.headers["Location"] == f"https://{HOST}/login?next=/"
    finally:
        plain.close()
    with pytest.raises(http.client.RemoteDisconnected):  # another host name: no answer
        phone.request("GET", "/", headers={"Host": "other.example"})
