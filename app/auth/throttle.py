"""Counting failures per mobile number and per address (login, account claims), in the
rate limiter's storage: memory by default, Redis when RATELIMIT_STORAGE_URI says so."""

from __future__ import annotations

import math
import time

from flask import current_app
from limits import RateLimitItem, parse

from ..extensions import limiter


def _limit(config_key: str) -> RateLimitItem:
    return parse(current_app.config[config_key])


def _scope(scope: str) -> str:
    """The scope under the app's RATELIMIT_KEY_PREFIX (two apps may share one Redis)."""
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    return f"{prefix}:{scope}" if prefix else scope


def wait_seconds(checks: list[tuple[str, str, str]]) -> int:
    """Seconds until every (config key, scope, identity) has tries left; 0 when it has now."""
    wait = 0.0
    for config_key, scope, identity in checks:
        item = _limit(config_key)
        if not limiter.limiter.test(item, _scope(scope), identity):
            reset = limiter.limiter.get_window_stats(item, _scope(scope), identity).reset_time
            wait = max(wait, reset - time.time(), 1.0)
    return math.ceil(wait)


def take(config_key: str, scope: str, identity: str) -> bool:
    """Count one try and say whether it is within the limit, in one atomic step (so parallel
    requests cannot all slip under it)."""
    return limiter.limiter.hit(_limit(config_key), _scope(scope), identity)


def record_failure(checks: list[tuple[str, str, str]]) -> None:
    """Count one failure against each (config key, scope, identity)."""
    for config_key, scope, identity in checks:
        limiter.limiter.hit(_limit(config_key), _scope(scope), identity)


def forget(config_key: str, scope: str, identity: str) -> None:
    """Clear the count (a right password ends an account's failures)."""
    limiter.limiter.clear(_limit(config_key), _scope(scope), identity)


def minutes(seconds: int) -> int:
    """A wait as whole minutes, at least 1 (what the page says)."""
    return max(1, math.ceil(seconds / 60))
