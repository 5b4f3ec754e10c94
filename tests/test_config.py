"""Configuration comes from the environment, with a refusal of the development secret."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import DEFAULT_SECRET


def test_production_refuses_the_default_secret(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_starts_with_a_secret_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-secret")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    monkeypatch.setenv("QUIZ_COOLDOWN_SECONDS", "600")
    app = create_app()
    assert app.config["SECRET_KEY"] == "a-long-random-secret"
    assert app.config["QUIZ_COOLDOWN_SECONDS"] == 600
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_development_allows_the_default_secret(monkeypatch):
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    assert create_app().config["SECRET_KEY"] == DEFAULT_SECRET


def test_pages_are_gzipped_unless_nginx_in_front_does_it(
    app, database, media_root, tmp_path, monkeypatch, content
):
    """A phone asking for gzip gets the page gzipped by the app; behind nginx (which gzips)
    BMN_COMPRESS_REGISTER=false leaves it to nginx (deploy/bmn-learn.env.example)."""
    from app import create_app

    from .conftest import app_config

    headers = {"Accept-Encoding": "gzip"}
    page = app.test_client().get("/indicators/1", headers=headers)
    assert page.headers.get("Content-Encoding") == "gzip"
    monkeypatch.setenv("BMN_COMPRESS_REGISTER", "false")
    behind_nginx = create_app(
        app_config(database.url, media_root, f"sqlite:///{tmp_path / 'jobs-nginx.sqlite3'}")
    )
    page = behind_nginx.test_client().get("/indicators/1", headers=headers)
    assert page.status_code == 200 and "Content-Encoding" not in page.headers
    with behind_nginx.app_context():
        from app.db import db

        db.engine.dispose()
