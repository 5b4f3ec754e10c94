"""Proxy headers only from the proxies the deployment names (TRUSTED_PROXIES): a request from
any other address keeps its own address and scheme, whatever X-Forwarded-For or
X-Forwarded-Proto it carries, so the per-address login limits cannot be dodged by a header."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.sansio.utils import get_host
from werkzeug.wrappers import Response

from .config import trusted_proxies

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")


def parse_networks(entries: Iterable[str]) -> list[Network]:
    """Addresses and networks ("10.0.0.5", "10.0.0.0/8", "::1"); a bad entry stops the app
    from starting (a typo must not silently trust nobody, or everybody)."""
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


class TrustedHosts:
    """WSGI middleware: a request naming a Host outside TRUSTED_HOSTS gets a plain 400 before
    the app runs (the app's error page would need a URL adapter for that host)."""

    def __init__(self, wsgi_app: WSGIApplication, hosts: list[str] | None) -> None:
        self.app = wsgi_app
        self.hosts = hosts

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        if self.hosts is not None:
            try:
                get_host(
                    environ["wsgi.url_scheme"],
                    environ.get("HTTP_HOST"),
                    (environ.get("SERVER_NAME", ""), int(environ.get("SERVER_PORT") or 0)),
                    self.hosts,
                )
            except SecurityError:
                refused = Response("400 Bad Request: unknown host\n", 400, mimetype="text/plain")
                return refused(environ, start_response)
        return self.app(environ, start_response)


class TrustedProxies:
    """WSGI middleware: Werkzeug's ProxyFix (one proxy hop) for requests whose REMOTE_ADDR is
    a trusted proxy; for everyone else the forwarded headers are removed before the app sees
    them."""

    def __init__(self, wsgi_app: WSGIApplication, networks: list[Network]) -> None:
        self.plain = wsgi_app
        self.fixed = ProxyFix(wsgi_app, x_for=1, x_proto=1, x_host=1)
        self.networks = networks

    def trusted(self, address: str) -> bool:
        """True when the connection comes from a configured proxy."""
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        if self.networks and self.trusted(environ.get("REMOTE_ADDR", "")):
            return self.fixed(environ, start_response)
        for key in FORWARDED:
            environ.pop(key, None)
        return self.plain(environ, start_response)


def init_app(app: Flask) -> None:
    """Wrap the app's WSGI callable (always: untrusted forwarded headers are dropped), the
    Host checked after a trusted proxy's X-Forwarded-Host is applied."""
    networks = parse_networks(trusted_proxies(app.config))
    checked = TrustedHosts(app.wsgi_app, app.config["TRUSTED_HOSTS"])
    app.wsgi_app = TrustedProxies(checked, networks)  # type: ignore[method-assign]
