"""BMN Learn: microlearning for the volunteers who collect Thailand's จปฐ. household data."""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build and configure the Flask application."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    from . import config

    config.load(app, test_config)

    from . import assets, db, errors, extensions, i18n, logs, proxies, security, storage
    from .auth import lifetime

    db.init_app(app)
    storage.init_app(app)
    extensions.init_app(app)
    i18n.init_app(app)
    assets.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    proxies.init_app(app)
    lifetime.init_app(app)

    from . import jobs, schema, urls
    from .areas import cli as areas_cli
    from .backup import cli as backup_cli
    from .content_io import cli as content_io_cli
    from .media import cli as media_cli
    from .officers import cli as officers_cli
    from .readiness import cli as readiness_cli
    from .volunteers import cli as volunteers_cli

    urls.init_app(app)
    logs.init_app(app)  # after the URL map: it masks the codes in the code routes' paths
    jobs.init_app(app)  # after the features are imported: they declare the jobs
    # Every `flask <group> <command>`: each feature's cli.py exposes its AppGroup as `cli`.
    for group in (
        schema.cli,
        areas_cli.cli,
        volunteers_cli.cli,
        readiness_cli.cli,
        media_cli.cli,
        officers_cli.cli,
        officers_cli.officers,
        jobs.cli,
        content_io_cli.cli,
        backup_cli.cli,
    ):
        app.cli.add_command(group)
    return app
