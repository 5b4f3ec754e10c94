"""Static files with a content fingerprint in the URL, so phones can cache them for long."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, url_for

ONE_YEAR = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    """Provide asset_url() to templates: the static URL plus ?v=<hash of the file>."""
    static = Path(app.static_folder or "static")
    cache: dict[str, str] = {}

    def fingerprint(filename: str) -> str:
        if app.debug or filename not in cache:
            data = (static / filename).read_bytes()
            cache[filename] = hashlib.sha256(data).hexdigest()[:10]
        return cache[filename]

    def asset_url(filename: str) -> str:
        return url_for("static", filename=filename, v=fingerprint(filename))

    app.jinja_env.globals["asset_url"] = asset_url

    @app.after_request
    def cache_static(response):
        from flask import request

        if request.endpoint == "static" and request.args.get("v"):
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
        return response
