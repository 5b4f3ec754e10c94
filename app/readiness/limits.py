"""A small per-address limit on public certificate checks, kept in this process's memory
(each worker counts its own: a cap on guessing, not an exact quota)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

_MAX_ADDRESSES = 10_000  # past this, the addresses seen longest ago are forgotten


class SlidingWindowLimiter:
    """At most `limit` hits per `window` seconds for each key."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        """Count one hit for the key: 0 when allowed, else the seconds until one is."""
        now = self._clock()
        with self._lock:
            hits = self._hits.pop(key, None) or deque()
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            wait = 0.0
            if len(hits) >= self.limit:
                wait = hits[0] + self.window - now
            else:
                hits.append(now)
            self._hits[key] = hits  # re-inserted: the dict keeps the most recent last
            while len(self._hits) > _MAX_ADDRESSES:
                del self._hits[next(iter(self._hits))]
            return wait


def minutes_to_wait(seconds: float) -> int:
    """Whole minutes to tell a user ("try again in N minutes"), at least 1."""
    return max(1, math.ceil(seconds / 60))
