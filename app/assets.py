"""Static files: fingerprinted URLs, cached for a year, compressed like pages."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from flask import Flask, Response, abort, request, url_for
from werkzeug.security import safe_join

ONE_YEAR = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    """Provide asset_url() to templates and serve /static from memory-sized reads."""
    static = Path(app.static_folder or "static")
    cache: dict[str, str] = {}

    def fingerprint(filename: str) -> str:
        if app.debug or filename not in cache:
            data = (static / filename).read_bytes()
            cache[filename] = hashlib.sha256(data).hexdigest()[:10]
        return cache[filename]

    def asset_url(filename: str) -> str:
        """The static URL plus ?v=<hash of the file>, so a changed file gets a new URL."""
        return url_for("static", filename=filename, v=fingerprint(filename))

    def serve_static(filename: str) -> Response:
        """A small static file as a plain response (so it is gzip-compressed), with ETag.

        Fingerprinted requests (?v=) may be cached for a year without revalidation.
        """
        path = safe_join(str(static), filename)
        if path is None or not Path(path).is_file():
            abort(404)
        data = Path(path).read_bytes()
        mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
        response = Response(data, mimetype=mimetype)
        response.add_etag()
        if request.args.get("v"):
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
        else:
            response.cache_control.no_cache = True
        return response.make_conditional(request)

    app.jinja_env.globals["asset_url"] = asset_url
    app.view_functions["static"] = serve_static
