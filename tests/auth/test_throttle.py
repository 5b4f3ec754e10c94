"""Defect 2: login throttled per mobile number and per address, the same time for unknown
mobiles, and the limits' storage (memory by default, Redis when configured)."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from sqlalchemy import select

from app import create_app
from app.areas.models import Village
from app.auth import services
from app.auth.models import User
from app.db import get_session

from ..conftest import PASSWORD, app_config, thai


def _phone(app, user_id: int) -> str:
    with app.app_context():
        return get_session().get(User, user_id).phone


def _signup_form(app, phone: str) -> dict[str, str]:
    with app.app_context():
        village_id = get_session().scalar(select(Village.id).limit(1))
    password = "long-pass-77"
    return {"full_name": "คน ใหม่", "phone": phone, "password": password, "confirm": password,
            "volunteer_type": "osm", "village": str(village_id)}  # fmt: skip


def _wait_message(app, minutes: int) -> str:
    return thai(app, "Too many tries. Try again in %(minutes)s minutes.", minutes=minutes)


def test_after_five_wrong_passwords_even_the_right_one_waits(app, client, areas, make_user):
    phone = _phone(app, make_user())
    for _ in range(5):
        wrong = client.post("/login", data={"phone": phone, "password": "guess-guess"})
        assert wrong.status_code == 200
    blocked = client.post("/login", data={"phone": phone, "password": PASSWORD})
    assert blocked.status_code == 429
    page = blocked.get_data(as_text=True)
    assert _wait_message(app, 15) in page and "ลองใหม่ใน 15 นาที" in page


def test_the_wait_ends_with_the_window(app, client, areas, make_user):
    app.config["LOGIN_LIMIT_ACCOUNT"] = "2 per 2 seconds"
    phone = _phone(app, make_user())
    for _ in range(2):
        client.post("/login", data={"phone": phone, "password": "guess-guess"})
    blocked = client.post("/login", data={"phone": phone, "password": PASSWORD})
    assert blocked.status_code == 429 and _wait_message(app, 1) in blocked.get_data(as_text=True)
    time.sleep(2.1)
    assert client.post("/login", data={"phone": phone, "password": PASSWORD}).status_code == 302


def test_a_right_password_clears_the_count(app, areas, make_user):
    phone = _phone(app, make_user())
    for _ in range(3):
        app.test_client().post("/login", data={"phone": phone, "password": "guess-guess"})
    assert (
        app.test_client().post("/login", data={"phone": phone, "password": PASSWORD}).status_code
        == 302
    )
    for _ in range(4):
        app.test_client().post("/login", data={"phone": phone, "password": "guess-guess"})
    assert (
        app.test_client().post("/login", data={"phone": phone, "password": PASSWORD}).status_code
        == 302
    )


def test_failures_from_one_address_over_many_mobiles_are_throttled(app, areas, make_user):
    app.config["LOGIN_LIMIT_ADDRESS"] = "4 per 15 minutes"
    phone = _phone(app, make_user())
    client = app.test_client()
    for n in range(4):
        client.post("/login", data={"phone": f"08997000{n:02d}", "password": "guess-guess"})
    blocked = client.post("/login", data={"phone": phone, "password": PASSWORD})
    assert blocked.status_code == 429
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.1.2.3"
    assert other.post("/login", data={"phone": phone, "password": PASSWORD}).status_code == 302


def test_parallel_guesses_get_no_more_tries_than_the_limit(app, areas, make_user, monkeypatch):
    """20 wrong passwords at once on one account: exactly 5 are checked (PostgreSQL too)."""
    phone = _phone(app, make_user())
    checked = []
    original = services.check_password_hash
    monkeypatch.setattr(
        services, "check_password_hash", lambda *a: checked.append(1) or original(*a)
    )
    barrier = threading.Barrier(20)
    statuses: list[int] = []

    def guess(n: int) -> None:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{n}"  # many addresses, one account
        barrier.wait()
        response = client.post("/login", data={"phone": phone, "password": f"guess-{n:04d}"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * 5 + [429] * 15
    assert len(checked) == 5


def test_an_unknown_mobile_costs_the_same_password_check(app, areas, make_user, monkeypatch):
    """Login took 0.2 s for an existing mobile and 0.01 s for an unknown one: now both check
    one hash of the same method and cost, and take about as long."""
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:200000"
    with app.app_context():
        session = get_session()
        user = session.get(User, make_user())
        user.password_hash = services.hash_password(PASSWORD)
        phone = user.phone
        session.commit()
    checked: list[str] = []
    original = services.check_password_hash
    monkeypatch.setattr(
        services,
        "check_password_hash",
        lambda stored, password: checked.append(stored.split("$")[0]) or original(stored, password),
    )

    def timed(number: str) -> float:
        start = time.perf_counter()
        response = app.test_client().post(
            "/login", data={"phone": number, "password": "guess-guess"}
        )
        assert response.status_code == 200
        return time.perf_counter() - start

    timed("0899999990")  # the dummy hash is made once per method
    checked.clear()
    known, unknown = [], []
    for n in range(4):  # interleaved, so the machine's load hits both alike
        known.append(timed(phone))
        unknown.append(timed(f"089999999{n + 1}"))
    assert checked == ["pbkdf2:sha256:200000"] * 8
    assert min(unknown) > min(known) * 0.25, (known, unknown)  # not 0.01 s against 0.2 s


def test_signup_with_a_taken_number_hashes_too(app, client, areas, make_user, monkeypatch):
    """Signup's refusal takes the time of an account's creation (a password hash)."""
    phone = _phone(app, make_user())
    hashed = []
    original = services.generate_password_hash
    monkeypatch.setattr(
        services, "generate_password_hash", lambda *a, **k: hashed.append(1) or original(*a, **k)
    )
    form = _signup_form(app, phone)
    assert client.post("/signup", data=form).status_code == 200
    assert hashed == [1]


def test_refused_signups_are_throttled_per_address(app, areas, make_user):
    app.config["SIGNUP_LIMIT_ADDRESS"] = "3 per hour"
    phone = _phone(app, make_user())
    client = app.test_client()
    form = _signup_form(app, phone)
    for _ in range(3):
        client.post("/signup", data=form)
    page = client.post("/signup", data=form).get_data(as_text=True)
    assert _wait_message(app, 60) in page


def test_limits_are_kept_in_memory_by_default(app):
    from app.extensions import limiter

    assert type(limiter.storage).__name__ == "MemoryStorage"


def test_limits_go_to_redis_when_configured(database, media_root, tmp_path, areas):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    prefix = f"bmn-test-{uuid.uuid4().hex[:8]}"
    config = app_config(database.url, media_root, f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
    application = create_app(
        {**config, "RATELIMIT_STORAGE_URI": url, "RATELIMIT_KEY_PREFIX": prefix}
    )
    from app.extensions import limiter

    try:
        assert type(limiter.storage).__name__ == "RedisStorage"
        application.test_client().post(
            "/login", data={"phone": "0899000001", "password": "guess-guess"}
        )
        keys = redis.Redis.from_url(url).keys(f"*{prefix}*")
        assert keys, "the login's count is in Redis"
    finally:
        client = redis.Redis.from_url(url)
        for key in client.keys(f"*{prefix}*"):
            client.delete(key)
        with application.app_context():
            from app.db import db

            db.engine.dispose()
