"""The HTTP API: thin adapters that parse requests, call services and render JSON.

Errors become application/problem+json answers through app.web, which maps them to statuses.
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Install the API's blueprints on the app."""
    from app.api import (
        analysis,
        asyncapi,
        consumers,
        domains,
        events,
        fields,
        findings,
        health,
        imports,
        interop,
        landscape,
        openapi,
        registry,
        router_config,
        teams,
        versions,
        webhooks,
    )

    modules = (health, teams, domains, events, versions, consumers, registry, analysis, imports)
    modules += (fields, router_config, interop, asyncapi, webhooks, findings, landscape, openapi)
    for module in modules:
        app.register_blueprint(module.bp)
