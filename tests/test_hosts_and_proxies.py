"""Trusted hosts and proxies: in production a request naming an unknown Host gets 400;
absolute URLs (API links, certificates' check URLs) use SERVER_NAME whatever Host a request
names; X-Forwarded-* headers count only from TRUSTED_PROXIES, so a forged X-Forwarded-For
cannot dodge the per-address login limit. Cookies: HttpOnly, SameSite=Lax, Secure in
production."""

from __future__ import annotations

import pytest

from app import create_app
from app.db import get_session
from app.proxies import parse_networks

from .conftest import app_config

SITE = "learn.example.go.th"


@pytest.fixture
def make_app(app, database, media_root, tmp_path):
    """make_app(**config) -> an app on the test database with these settings (the `app`
    fixture restored the database)."""

    made = []

    def make(**config):
        base = app_config(database.url, media_root, f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
        made.append(create_app({**base, **config}))
        return made[-1]

    yield make
    for application in made:  # close their database connections
        with application.app_context():
            from app.db import db

            get_session().close()
            db.engine.dispose()


def test_production_answers_400_to_an_unknown_host(make_app):
    prod = make_app(APP_ENV="production", SERVER_NAME=SITE)
    assert prod.config["TRUSTED_HOSTS"] == [SITE]
    client = prod.test_client()
    assert client.get("/login", headers={"Host": SITE}).status_code == 200
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400


def test_a_forged_host_cannot_change_an_absolute_url(client, content):
    response = client.get("/api/v1/indicators", headers={"Host": "evil.example"})
    urls = [row["url"] for row in response.get_json()["indicators"]]
    assert urls and all(url.startswith("http://bmn.test/indicators/") for url in urls)


def test_a_trusted_second_host_still_gets_urls_of_the_site(make_app, content):
    prod = make_app(APP_ENV="production", SERVER_NAME=SITE, TRUSTED_HOSTS=f"{SITE},10.0.0.5")
    response = prod.test_client().get("/api/v1/indicators", headers={"Host": "10.0.0.5"})
    assert response.status_code == 200
    assert response.get_json()["indicators"][0]["url"].startswith(f"http://{SITE}/")


def _fail_logins(client, count: int, environ: dict, forwarded: list[str]) -> list[int]:
    statuses = []
    for n in range(count):
        headers = {"X-Forwarded-For": forwarded[n % len(forwarded)]}
        response = client.post(
            "/login",
            data={"phone": f"08996000{n:02d}", "password": "guess-guess"},
            headers=headers,
            environ_base=environ,
        )
        statuses.append(response.status_code)
    return statuses


def test_a_forged_forwarded_address_cannot_dodge_the_login_limit(make_app, areas):
    app = make_app(LOGIN_LIMIT_ADDRESS="3 per 15 minutes", TRUSTED_PROXIES="10.0.0.1")
    forged = [f"198.51.100.{n}" for n in range(1, 9)]
    statuses = _fail_logins(app.test_client(), 5, {"REMOTE_ADDR": "203.0.113.9"}, forged)
    assert statuses == [200, 200, 200, 429, 429]


def test_behind_a_trusted_proxy_the_forwarded_address_counts(make_app, areas):
    app = make_app(LOGIN_LIMIT_ADDRESS="3 per 15 minutes", TRUSTED_PROXIES="10.0.0.0/24")
    proxy = {"REMOTE_ADDR": "10.0.0.7"}
    many = [f"198.51.100.{n}" for n in range(1, 9)]
    assert _fail_logins(app.test_client(), 5, proxy, many) == [200] * 5  # five phones' addresses
    one = ["192.0.2.44"]
    assert _fail_logins(app.test_client(), 4, proxy, one) == [200, 200, 200, 429]


def test_forwarded_scheme_counts_only_from_a_proxy(make_app):
    app = make_app(TRUSTED_PROXIES="10.0.0.1")
    seen = []

    @app.get("/_scheme")
    def scheme():
        from flask import request

        seen.append((request.scheme, request.remote_addr))
        return "ok"

    client = app.test_client()
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.1"}
    client.get("/_scheme", headers=headers, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    client.get("/_scheme", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert seen == [("http", "203.0.113.9"), ("https", "192.0.2.1")]


def test_a_bad_proxy_entry_stops_the_start():
    with pytest.raises(ValueError):
        parse_networks(["10.0.0.0/33"])


def test_cookies_are_httponly_lax_and_secure_in_production(make_app, make_user, login):
    for env, secure in (("testing", False), ("production", True)):
        app = make_app(APP_ENV=env)
        client = app.test_client()
        user_id = make_user()
        from app.auth.models import User

        with app.app_context():
            phone = get_session().get(User, user_id).phone
        response = client.post(
            "/login",
            data={"phone": phone, "password": "correct-horse-9", "remember": "y"},
            base_url="https://bmn.test",
        )
        cookies = response.headers.getlist("Set-Cookie")
        names = sorted(c.split("=", 1)[0] for c in cookies)
        assert names == ["remember_token", "session"]
        for cookie in cookies:
            assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
            assert ("Secure" in cookie) is secure
