"""Logs carry no personal data: mobiles, ID numbers, names, codes and passwords never reach a
log record, whichever logger writes it (the app's, the server's access log, SQLAlchemy's),
through a whole journey on a real threaded server logged at DEBUG; a double-tapped signup
answers like a registered number, without a 500 and without a trace in the log."""

from __future__ import annotations

import logging
import threading
from urllib.parse import quote, urlencode

import pytest
from sqlalchemy import func, select

from app import logs
from app.areas.models import Village
from app.auth import services as auth_services
from app.auth.models import Role, User
from app.db import get_session

from .conftest import PASSWORD, Browser

PHONE = "0861234567"
NAME = "ทองดี ลับเฉพาะ"
NATIONAL_ID = "1101700207030"
CODE = "K7M2Q9XW4R"
SIGNUP_PASSWORD = "long-pass-77"


class Collect(logging.Handler):
    """Every record's formatted text, traceback included."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def captured(app):
    """Every log record from the root down, at DEBUG, while the test runs."""
    handler = Collect()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


def _no_personal_data(text: str) -> None:
    for secret in (
        PHONE,
        "086-123-4567",
        "+66861234567",
        NAME,
        quote(NAME),
        NATIONAL_ID,
        CODE,
        SIGNUP_PASSWORD,
        PASSWORD,
    ):
        assert secret not in text, f"{secret!r} in the log"


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        ('"GET /check/K7M2Q9XW4R HTTP/1.1" 200 -', '"GET /check/*** HTTP/1.1" 200 -'),
        ("GET /officer/volunteers?q=0861234567&page=2", "GET /officer/volunteers?q=***&page=***"),
        ("GET /officer/certificates/village/55010101", "GET /officer/certificates/village/***"),
        ("call 086-123-4567 or +66 86 123 4567", "call *** or ***"),
        ("id 1-1017-00207-03-0 and 1101700207030", "id *** and ***"),
        ('127.0.0.1 - - [07/Dec/2026 10:00:00] "GET / HTTP/1.1" 200 -', None),
    ],
)
def test_the_mask(app, line, masked):
    assert logs.mask(line) == (line if masked is None else masked)


def test_an_exception_with_personal_data_is_masked(app, captured):
    try:
        raise ValueError(f"duplicate {PHONE}")
    except ValueError:
        logging.getLogger("app.test").exception("signup failed for %s", PHONE)
    assert "duplicate ***" in captured.text and "failed for ***" in captured.text
    _no_personal_data(captured.text)


def _signup_form(app) -> dict[str, str]:
    with app.app_context():
        village_id = get_session().scalar(select(Village.id).order_by(Village.code).limit(1))
    return {"full_name": NAME, "phone": PHONE, "password": SIGNUP_PASSWORD,
            "confirm": SIGNUP_PASSWORD, "volunteer_type": "osm",
            "village": str(village_id)}  # fmt: skip


def test_a_double_tapped_signup_answers_like_a_registered_number(
    app, areas, http_server, captured, monkeypatch
):
    """Both requests pass the "is this number free?" check before either inserts (a barrier
    in the password hashing): the unique index decides, the loser gets the form's answer."""
    barrier = threading.Barrier(2, timeout=20)
    hash_password = auth_services.hash_password

    def both_at_once(password: str) -> str:
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        return hash_password(password)

    monkeypatch.setattr(auth_services, "hash_password", both_at_once)
    form = _signup_form(app)
    statuses: list[int] = []

    def tap() -> None:
        statuses.append(Browser(http_server).request("POST", "/signup", form))

    taps = [threading.Thread(target=tap) for _ in range(2)]
    for t in taps:
        t.start()
    for t in taps:
        t.join(60)
    assert sorted(statuses) == [200, 302]  # one account, one "this number cannot sign up"
    with app.app_context():
        count = get_session().scalar(select(func.count()).where(User.phone == PHONE))
    assert count == 1
    assert "Traceback" not in captured.text and " 500 " not in captured.text
    _no_personal_data(captured.text)


def test_a_whole_journey_leaves_no_personal_data_in_the_log(
    app, content, http_server, captured, make_user
):
    volunteer = Browser(http_server)
    assert volunteer.request("POST", "/signup", _signup_form(app)) == 302
    assert volunteer.request("GET", "/ready") == 200
    assert volunteer.request("POST", "/logout", {}) == 302
    wrong = {"phone": PHONE, "password": "not-the-password"}
    assert volunteer.request("POST", "/login", wrong) == 200
    right = {"phone": PHONE, "password": SIGNUP_PASSWORD}
    assert volunteer.request("POST", "/login", right) == 302

    admin_id = make_user(Role.ADMIN, full_name="ผู้ดูแล ทดสอบ")
    with app.app_context():
        admin_phone = get_session().get(User, admin_id).phone
        volunteer_id = get_session().scalar(select(User.id).where(User.phone == PHONE))
    officer = Browser(http_server)
    assert officer.request("POST", "/login", {"phone": admin_phone, "password": PASSWORD}) == 302
    for q in (PHONE, NAME, NATIONAL_ID, "086-123-4567"):
        assert officer.request("GET", "/officer/volunteers?" + urlencode({"q": q})) == 200
    assert officer.request("GET", f"/officer/volunteers/{volunteer_id}") == 200
    assert (
        officer.request("GET", "/officer/volunteers/export.csv?" + urlencode({"q": PHONE})) == 200
    )
    assert officer.request("GET", "/verify?" + urlencode({"code": CODE})) == 200
    visitor = Browser(http_server)
    assert visitor.request("GET", f"/check/{CODE}") in (200, 404)
    assert visitor.request("GET", "/check?" + urlencode({"code": CODE})) in (200, 302)
    assert visitor.request("GET", f"/join/{CODE}") == 404

    text = captured.text
    assert "/check/***" in text and "/officer/volunteers?q=***" in text  # the log was read
    _no_personal_data(text)
