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

    from . import assets, db, errors, extensions, i18n, storage

    db.init_app(app)
    storage.init_app(app)
    extensions.init_app(app)
    i18n.init_app(app)
    assets.init_app(app)
    errors.init_app(app)

    from . import (
        api,
        auth,
        commands,
        content,
        jobs,
        media,
        officers,
        quizzes,
        readiness,
        studio,
        volunteers,
    )

    for feature in (auth, volunteers, content, quizzes, readiness, studio, media, officers, api):
        app.register_blueprint(feature.bp)
    app.register_blueprint(i18n.bp)
    commands.init_app(app)
    from .content_io.cli import cli as content_cli

    for group in (content_cli,):  # each feature's `cli` AppGroup
        app.cli.add_command(group)
    jobs.init_app(app)  # after the features are imported: they declare the jobs
    return app
