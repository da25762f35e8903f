"""Eventry: an event-storming schema registry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the Flask app; ``config`` overrides settings by name (e.g. ``database_url``)."""
    # The web layers are imported here, not with the package: the command-line tool imports
    # ``app`` too, and its offline commands (`eventry check`, `validate`…) need none of them.
    from flask import Flask

    from app import (
        analyser,
        api,
        confluent,
        http_input,
        notifier,
        observability,
        ratelimit,
        reads,
        ui,
    )
    from app.config import Settings
    from app.core.limits import configure as configure_limits
    from app.core.schema.dialects import configure_default
    from app.web import Runtime, register_error_handling, register_session_handling

    overrides = dict(config or {})
    flask_keys = {key: overrides.pop(key) for key in list(overrides) if key.isupper()}
    settings = Settings.from_env().with_overrides(overrides)
    # One process, one default dialect: every layer reads it through default_dialect().
    configure_default(settings.default_dialect)
    configure_limits(settings.limits)  # the same way for the limits of each request's work

    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=settings.max_body_bytes)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.config.update(flask_keys)
    app.extensions["eventry"] = Runtime.start(settings)
    register_session_handling(app)
    register_error_handling(app)
    observability.install(app)  # first: request ids and timing cover everything after it
    ratelimit.install(app)
    reads.install(app, app.extensions["eventry"].reads)
    http_input.install(app)  # body limit for chunked bodies, no control characters in URLs

    api.register(app)
    confluent.register(app)
    ui.register(app)
    notifier.install(app, settings, app.extensions["eventry"].sessions)
    analyser.install(app, settings, app.extensions["eventry"].sessions)
    return app
