"""The LINE Messaging API push sender (LINE Notify closed on 31 March 2025).

POST {LINE_API_BASE}/v2/bot/message/push with the channel access token as a Bearer token and
an X-Line-Retry-Key (one UUID per outbox message, the same on every attempt, so LINE sends a
message once even if an answer is lost). 429 and 5xx are retried with exponential backoff,
honouring Retry-After; other answers are final. Neither the token nor the text is logged.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

PUSH_PATH = "/v2/bot/message/push"
RETRY_AFTER_CAP = 60.0  # seconds: a longer Retry-After is not waited for in one job
TEXT_LIMIT = 5000  # LINE's limit for one text message


@dataclass(frozen=True)
class LineSettings:
    """What the sender needs, read from app.config (LINE_* in the environment)."""

    enabled: bool
    token: str
    api_base: str
    attempts: int
    timeout: float
    backoff: float

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LineSettings:
        """The settings of an app's config."""
        return cls(
            enabled=as_bool(config.get("LINE_ENABLED", False)),
            token=str(config.get("LINE_CHANNEL_ACCESS_TOKEN", "")),
            api_base=str(config.get("LINE_API_BASE", "https://api.line.me")).rstrip("/"),
            attempts=max(1, int(config.get("LINE_MAX_ATTEMPTS", 4))),
            timeout=float(config.get("LINE_TIMEOUT", 10)),
            backoff=float(config.get("LINE_BACKOFF_SECONDS", 1.0)),
        )

    @property
    def ready(self) -> bool:
        """True when pushes may go out: enabled and a token set."""
        return self.enabled and bool(self.token)


def as_bool(value: Any) -> bool:
    """An environment flag: 1/true/yes/on (any case) is on, anything else off."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class PushResult:
    """The outcome of pushing one message: delivered or not, the last HTTP status (None when
    no answer came), how many requests were made, and a short reason without personal data."""

    ok: bool
    status: int | None
    attempts: int
    reason: str = ""


def _retry_delay(settings: LineSettings, attempt: int, retry_after: str | None) -> float:
    """Seconds to wait before the next attempt: Retry-After if given (capped), else backoff."""
    if retry_after and retry_after.strip().isdigit():
        return min(float(retry_after.strip()), RETRY_AFTER_CAP)
    return settings.backoff * (2 ** (attempt - 1))


def push_text(
    settings: LineSettings,
    to: str,
    text: str,
    retry_key: str,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> PushResult:
    """Push one text message to a group, user or room id, retrying 429/5xx and network errors."""
    body = json.dumps(
        {"to": to, "messages": [{"type": "text", "text": text[:TEXT_LIMIT]}]}, ensure_ascii=False
    ).encode()
    headers = {
        "Authorization": f"Bearer {settings.token}",
        "Content-Type": "application/json",
        "X-Line-Retry-Key": retry_key,
    }
    status: int | None = None
    reason = ""
    for attempt in range(1, settings.attempts + 1):
        request = urllib.request.Request(
            settings.api_base + PUSH_PATH, data=body, headers=headers, method="POST"
        )
        retry_after = None
        try:
            with urllib.request.urlopen(request, timeout=settings.timeout) as response:
                status = response.status
                return PushResult(True, status, attempt)
        except urllib.error.HTTPError as error:
            status = error.code
            retry_after = error.headers.get("Retry-After")
            error.close()
            if status == 409:  # this retry key was accepted before: the message went out
                return PushResult(True, status, attempt, "already accepted")
            reason = f"HTTP {status}"
            if status != 429 and status < 500:
                break
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            status = None
            reason = f"no answer: {type(error).__name__}"
        log.warning("LINE push attempt %d/%d failed: %s", attempt, settings.attempts, reason)
        if attempt < settings.attempts:
            sleep(_retry_delay(settings, attempt, retry_after))
    return PushResult(False, status, attempt, reason)
