"""A stub of LINE's Messaging API on 127.0.0.1 (no network): it records every request and
answers from a script of statuses."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class StubLine:
    """The stub's address, the statuses it will answer in turn (then 200), and what it got."""

    base: str
    script: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def answer(self, *statuses: int, retry_after: str | None = None) -> None:
        """Queue answers (a Retry-After header on each, if given)."""
        headers = {"Retry-After": retry_after} if retry_after else {}
        self.script.extend((status, headers) for status in statuses)


@pytest.fixture
def stub_line() -> Iterator[StubLine]:
    """A running stub; its base URL goes into LINE_API_BASE."""
    stub: StubLine

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length", 0))
            stub.requests.append(
                {
                    "path": self.path,
                    "headers": dict(self.headers),
                    "json": json.loads(self.rfile.read(length)),
                }
            )
            status, headers = stub.script.pop(0) if stub.script else (200, {})
            body = b"{}"
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stub = StubLine(base=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield stub
    server.shutdown()
    server.server_close()
    thread.join()
