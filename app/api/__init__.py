"""The HTTP API: thin adapters that parse requests, call services and render JSON."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Install the API's error handlers and blueprints on the app."""
    from app.api import (
        analysis,
        consumers,
        domains,
        errors,
        events,
        health,
        openapi,
        registry,
        teams,
        versions,
    )

    errors.register(app)
    modules = (health, teams, domains, events, versions, consumers, registry, analysis, openapi)
    for module in modules:
        app.register_blueprint(module.bp)
