"""The LINE push sender against a local stub: request shape, retries, giving up."""

from __future__ import annotations

from app.outreach.line import LineSettings, as_bool, push_text

GROUP = "C" + "0123456789abcdef" * 2
KEY = "8f2d1c3e-4b5a-4c6d-9e7f-0a1b2c3d4e5f"


def settings(base: str, attempts: int = 3) -> LineSettings:
    return LineSettings(
        enabled=True, token="test-token", api_base=base, attempts=attempts, timeout=5, backoff=0.5
    )


def test_a_push_is_a_bearer_post_of_one_text_message_with_the_retry_key(stub_line):
    waits: list[float] = []
    result = push_text(settings(stub_line.base), GROUP, "สวัสดี", KEY, sleep=waits.append)
    assert result.ok and result.status == 200 and result.attempts == 1
    (request,) = stub_line.requests
    assert request["path"] == "/v2/bot/message/push"
    assert request["headers"]["Authorization"] == "Bearer test-token"
    assert request["headers"]["X-Line-Retry-Key"] == KEY
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["json"] == {"to": GROUP, "messages": [{"type": "text", "text": "สวัสดี"}]}
    assert waits == []


def test_500_and_429_are_retried_with_the_same_key_honouring_retry_after(stub_line):
    stub_line.answer(500)
    stub_line.answer(429, retry_after="7")
    waits: list[float] = []
    result = push_text(settings(stub_line.base), GROUP, "ข้อความ", KEY, sleep=waits.append)
    assert result.ok and result.status == 200 and result.attempts == 3
    assert [r["headers"]["X-Line-Retry-Key"] for r in stub_line.requests] == [KEY] * 3
    assert waits == [0.5, 7.0]  # backoff after the 500, Retry-After after the 429


def test_it_gives_up_after_the_configured_attempts(stub_line):
    stub_line.answer(503, 503, 503, 503)
    waits: list[float] = []
    result = push_text(settings(stub_line.base), GROUP, "ข้อความ", KEY, sleep=waits.append)
    assert not result.ok and result.status == 503 and result.attempts == 3
    assert len(stub_line.requests) == 3
    assert waits == [0.5, 1.0]  # exponential backoff, none after the last attempt


def test_a_refused_request_is_not_retried(stub_line):
    stub_line.answer(400)
    result = push_text(settings(stub_line.base), GROUP, "ข้อความ", KEY, sleep=lambda s: None)
    assert not result.ok and result.status == 400 and len(stub_line.requests) == 1


def test_409_means_the_retry_key_was_accepted_before(stub_line):
    stub_line.answer(409)
    result = push_text(settings(stub_line.base), GROUP, "ข้อความ", KEY, sleep=lambda s: None)
    assert result.ok and result.status == 409 and len(stub_line.requests) == 1


def test_no_answer_is_retried_then_given_up():
    closed = settings("http://127.0.0.1:9", attempts=2)  # the discard port: refused
    result = push_text(closed, GROUP, "ข้อความ", KEY, sleep=lambda s: None)
    assert not result.ok and result.status is None and result.attempts == 2


def test_the_flag_reads_environment_spellings():
    assert [as_bool(v) for v in ("1", "true", "ON", "yes")] == [True] * 4
    assert [as_bool(v) for v in ("0", "", "false", "off", None)] == [False] * 5
