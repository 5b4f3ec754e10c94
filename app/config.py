"""Configuration: development defaults, overridden by the environment, then by tests."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "dev-only-not-secret"

DEFAULTS: dict[str, Any] = {
    "APP_ENV": "production",
    "SECRET_KEY": DEFAULT_SECRET,
    "DATABASE_URL": "sqlite:///bmn-learn.sqlite3",
    "CONTENT_ROOT": str(ROOT / "content"),
    "QUIZ_ROOT": str(ROOT / "quizzes"),
    "MEDIA_ROOT": "",  # uploaded and loaded media; empty means <instance>/media
    "AREAS_CSV": str(ROOT / "app" / "areas" / "data" / "nan-areas.csv"),
    "QUIZ_COOLDOWN_SECONDS": 0,
    # Database time limits (seconds): connecting (PostgreSQL), one statement (PostgreSQL's
    # statement_timeout), waiting for a SQLite write lock, waiting for a pooled connection;
    # /healthz answers within HEALTH_TIMEOUT whatever the database does.
    "DB_CONNECT_TIMEOUT": 5,
    "DB_STATEMENT_TIMEOUT": 30,
    "DB_BUSY_TIMEOUT": 10,
    "DB_POOL_TIMEOUT": 10,
    "HEALTH_TIMEOUT": 1.5,
    # How long a quiz pack handed to a phone for offline use stays valid.
    "QUIZ_PACK_DAYS": 14,
    # Public certificate checks (/check): at most this many per address per minute.
    "CERTIFICATE_CHECKS_PER_MINUTE": 10,
    # Studio uploads: the clip size limit, the image limits (a decompression bomb is refused).
    "CLIP_MAX_BYTES": 200 * 1024 * 1024,
    "IMAGE_MAX_BYTES": 20 * 1024 * 1024,
    "IMAGE_MAX_PIXELS": 50_000_000,
    # Cleaning an image takes about 10 bytes a pixel at its peak: the memory an upload may take
    # lowers the pixel limit (256 MB: about 26.8 million pixels).
    "IMAGE_MAX_MEMORY": 256 * 1024 * 1024,
    # The job queue: empty means Huey on SQLite under the instance folder; redis://... for Redis.
    "JOBS_URL": "",
    # A worker renews its lease on a running job every third of this; a job whose worker
    # stopped renewing it (killed, its machine lost) is queued again (app/jobs.py).
    "JOBS_LEASE_SECONDS": 60,
    # Thai fonts for the village QR posters (Debian's fonts-thai-tlwg).
    "FONT_DIR": "/usr/share/fonts/truetype/tlwg",
    # Checked volunteer import files wait here for the officer's confirmation ("" = instance).
    "VOLUNTEER_IMPORT_DIR": "",
    "FFMPEG": "ffmpeg",
    "FFPROBE": "ffprobe",
    # The officers' dashboard polls for fresh figures this often (the issue allows 10 s at most).
    "DASHBOARD_POLL_SECONDS": 10,
    # Dashboard figures are reused this long per area (at most 5 s) so many pollers stay cheap.
    "DASHBOARD_CACHE_SECONDS": 3,
    # Rankings leave out areas that need fewer ready volunteers than this (1 = every area
    # that needs any). There is no national rule: a province may set e.g. 3 so that a
    # hamlet needing one volunteer does not top the list (BMN_RANKING_MIN_NEEDED=3).
    "RANKING_MIN_NEEDED": 1,
    # Activating a plan re-evaluates everyone in the request up to this many attempts, else
    # in a job (`flask plans reevaluate` does it by hand).
    "PLAN_INLINE_ATTEMPTS": 200_000,
    "PASSWORD_HASH_METHOD": "scrypt",
    # Rate limits (Flask-Limiter): memory:// keeps counts per process; redis://host:6379/0
    # shares them between workers. Failed logins per mobile and per address, signups and
    # account claims per address.
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": False,
    "LOGIN_LIMIT_ACCOUNT": "5 per 15 minutes",
    "LOGIN_LIMIT_ADDRESS": "30 per 15 minutes",
    "SIGNUP_LIMIT_ADDRESS": "20 per hour",
    # Volunteers' questions (app/support): asks per volunteer, hours before an open question
    # counts as overdue, the photo size limit and store ("" = <instance>/support-photos).
    "SUPPORT_ASK_LIMIT": "10 per hour",
    "SUPPORT_OVERDUE_HOURS": 4,
    "SUPPORT_PHOTO_MAX_BYTES": 8 * 1024 * 1024,
    "SUPPORT_PHOTO_ROOT": "",
    # Behind nginx (docs/deploy.md): after the access check the app answers with an empty
    # body and X-Accel-Redirect: <prefix><key>, and nginx sends the file from its internal
    # location of that prefix. Empty (the default): the app streams the file itself.
    "MEDIA_ACCEL_REDIRECT": "",  # e.g. /_protected_media/ (files of MEDIA_ROOT)
    "SUPPORT_PHOTO_ACCEL_REDIRECT": "",  # e.g. /_protected_support_photos/
    # Mentor visits (app/mentoring): the province's own thresholds, not official figures.
    # A volunteer is "stalled" after this many days without a quiz, "failing" after this many
    # failures in a row on one indicator; a village short of ready volunteers is urgent this
    # many days before the deadline (MENTOR_DEADLINE, YYYY-MM-DD; "" = the plan's expiry
    # day); a visit this recent halves the urgency. A phone checked with less free storage
    # than MENTOR_MIN_FREE_MB (or unable to work offline) fails the device check.
    "MENTOR_STALL_DAYS": 3,
    "MENTOR_FAIL_LIMIT": 3,
    "MENTOR_NEAR_DAYS": 5,
    "MENTOR_DEADLINE": "",
    "MENTOR_VISIT_DAYS": 7,
    "MENTOR_MIN_FREE_MB": 300,
    # An officer's activation code for a volunteer's account stays valid this many days.
    "ACTIVATION_DAYS": 30,
    # Reminders to volunteers' LINE groups through a LINE Official Account (Messaging API
    # push): off unless LINE_ENABLED is 1/true and a channel access token is set.
    "LINE_ENABLED": "0",
    "LINE_CHANNEL_ACCESS_TOKEN": "",
    "LINE_API_BASE": "https://api.line.me",
    "LINE_MAX_ATTEMPTS": 4,
    "LINE_TIMEOUT": 10.0,
    "LINE_BACKOFF_SECONDS": 1.0,
    "LINE_SEND_INLINE": False,  # push in the request instead of the job queue
    "BABEL_DEFAULT_LOCALE": "th",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Bangkok",
    "LANGUAGES": ["th", "en"],
    # Cookies: fixed names (bench/ and the tests use them), never readable by scripts, not
    # sent on other sites' POSTs; Secure in production (set in load()). The session cookie
    # is written only when it changes.
    "SESSION_COOKIE_NAME": "session",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_REFRESH_EACH_REQUEST": False,
    "REMEMBER_COOKIE_NAME": "remember_token",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_REFRESH_EACH_REQUEST": False,
    # Session lifetimes (app/auth/lifetime.py). Volunteers: logged out after 8 hours unused
    # (not when they ticked "keep me logged in on this phone") and 7 days after logging in;
    # staff (trainers, officers, admins: other people's data): 60 minutes unused, 12 hours
    # after logging in. Last use is written to the cookie at most every SESSION_TOUCH_MINUTES.
    "SESSION_IDLE_MINUTES": 8 * 60,
    "SESSION_ABSOLUTE_HOURS": 7 * 24,
    "STAFF_IDLE_MINUTES": 60,
    "STAFF_ABSOLUTE_HOURS": 12,
    "SESSION_TOUCH_MINUTES": 5,
    # Hosts and proxies (app/proxies.py): SERVER_NAME (e.g. learn.example.go.th) builds every
    # absolute URL (posters, certificates, API links) whatever Host a request names;
    # TRUSTED_HOSTS (comma-separated; default: SERVER_NAME's host in production) answers any
    # other Host with 400; X-Forwarded-For/-Proto/-Host are read only from TRUSTED_PROXIES
    # (comma-separated addresses or networks, e.g. 127.0.0.1,10.0.0.0/8; empty: none).
    "SERVER_NAME": None,
    "TRUSTED_HOSTS": None,
    "TRUSTED_PROXIES": "",
    "PREFERRED_URL_SCHEME": "http",
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    # A volunteer interrupted mid-quiz must not lose the answers to an expired token; the
    # token stays bound to the session.
    "WTF_CSRF_TIME_LIMIT": None,
    "COMPRESS_MIMETYPES": [
        "text/html",
        "text/css",
        "application/javascript",
        "text/javascript",
        "application/json",
        "text/vtt",
    ],
    "COMPRESS_ALGORITHM": ["gzip"],
    "COMPRESS_MIN_SIZE": 256,
    # Streamed responses (media files) pass through as they are: video is compressed already.
    "COMPRESS_STREAMS": False,
}

# Read from the environment under these plain names (the deployment's contract).
ENV_KEYS = (
    "APP_ENV",
    "SECRET_KEY",
    "DATABASE_URL",
    "CONTENT_ROOT",
    "QUIZ_ROOT",
    "MEDIA_ROOT",
    "AREAS_CSV",
    "QUIZ_COOLDOWN_SECONDS",
    "DB_CONNECT_TIMEOUT",
    "DB_STATEMENT_TIMEOUT",
    "DB_BUSY_TIMEOUT",
    "DB_POOL_TIMEOUT",
    "QUIZ_PACK_DAYS",
    "CLIP_MAX_BYTES",
    "IMAGE_MAX_BYTES",
    "IMAGE_MAX_MEMORY",
    "JOBS_URL",
    "RATELIMIT_STORAGE_URI",
    "SESSION_IDLE_MINUTES",
    "SESSION_ABSOLUTE_HOURS",
    "STAFF_IDLE_MINUTES",
    "STAFF_ABSOLUTE_HOURS",
    "SERVER_NAME",
    "TRUSTED_HOSTS",
    "TRUSTED_PROXIES",
    "PREFERRED_URL_SCHEME",
    "LINE_ENABLED",
    "LINE_CHANNEL_ACCESS_TOKEN",
    "LINE_API_BASE",
    "LINE_MAX_ATTEMPTS",
    "LINE_TIMEOUT",
)


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config from DEFAULTS, the environment and test_config, then check it."""
    app.config.from_mapping(DEFAULTS)
    for key in ENV_KEYS:
        if key in os.environ:
            raw = os.environ[key]
            kind = type(DEFAULTS[key]) if DEFAULTS[key] is not None else str
            app.config[key] = kind(raw) if kind in (int, float) else raw
    app.config.from_prefixed_env("BMN")
    if test_config:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["MEDIA_ROOT"]:
        app.config["MEDIA_ROOT"] = str(Path(app.instance_path) / "media")
    app.config["SQLALCHEMY_ENGINES"] = {"default": app.config["DATABASE_URL"]}
    production = app.config["APP_ENV"] == "production"
    app.config["SESSION_COOKIE_SECURE"] = production
    app.config["REMEMBER_COOKIE_SECURE"] = production
    # A remember-me cookie outlives no session: it ends with the volunteers' absolute limit.
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"])
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config, production)
    check(app.config)


def _names(value: Any) -> list[str]:
    """A list from a comma-separated setting (or a list already)."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return list(value or [])


def trusted_hosts(config: dict[str, Any], production: bool) -> list[str] | None:
    """The Host names answered (None: any). TRUSTED_HOSTS when set, else in production the
    host of SERVER_NAME."""
    if config.get("TRUSTED_HOSTS"):
        return _names(config["TRUSTED_HOSTS"])
    if production and config.get("SERVER_NAME"):
        return [str(config["SERVER_NAME"]).split(":")[0]]
    return None


def trusted_proxies(config: dict[str, Any]) -> list[str]:
    """The addresses or networks whose X-Forwarded-* headers are believed."""
    return _names(config.get("TRUSTED_PROXIES"))


def check(config: dict[str, Any]) -> None:
    """Refuse to start in production with the development secret."""
    if config["APP_ENV"] == "production" and not config.get("TESTING"):
        if config["SECRET_KEY"] in ("", DEFAULT_SECRET):
            raise RuntimeError(
                "SECRET_KEY must be set in the environment when APP_ENV=production "
                "(set APP_ENV=development for local use)."
            )
