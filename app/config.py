"""Configuration: development defaults, overridden by the environment, then by tests."""

from __future__ import annotations

import os
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
    # An officer's activation code for a volunteer's account stays valid this many days.
    "ACTIVATION_DAYS": 30,
    "BABEL_DEFAULT_LOCALE": "th",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Bangkok",
    "LANGUAGES": ["th", "en"],
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SAMESITE": "Lax",
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
)


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config from DEFAULTS, the environment and test_config, then check it."""
    app.config.from_mapping(DEFAULTS)
    for key in ENV_KEYS:
        if key in os.environ:
            raw = os.environ[key]
            kind = type(DEFAULTS[key])
            app.config[key] = kind(raw) if kind in (int, float) else raw
    app.config.from_prefixed_env("BMN")
    if test_config:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["MEDIA_ROOT"]:
        app.config["MEDIA_ROOT"] = str(Path(app.instance_path) / "media")
    app.config["SQLALCHEMY_ENGINES"] = {"default": app.config["DATABASE_URL"]}
    app.config["SESSION_COOKIE_SECURE"] = app.config["APP_ENV"] == "production"
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    check(app.config)


def check(config: dict[str, Any]) -> None:
    """Refuse to start in production with the development secret."""
    if config["APP_ENV"] == "production" and not config.get("TESTING"):
        if config["SECRET_KEY"] in ("", DEFAULT_SECRET):
            raise RuntimeError(
                "SECRET_KEY must be set in the environment when APP_ENV=production "
                "(set APP_ENV=development for local use)."
            )
