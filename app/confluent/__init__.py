"""Confluent Schema Registry's REST API under ``/ccompat`` (JSON Schema only): a thin adapter
over the same services as the native API, so Kafka serializers, registry clients and catalogue
generators work against Eventry unchanged. docs/confluent-compat.md maps subjects to event
types and lists every endpoint with its status and error codes.
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Install the /ccompat blueprints, whose errors answer in Confluent's shape."""
    from app.confluent import methods, openapi, schemas, settings, subjects, wire
    from app.web import set_prefix_errors

    for module in (subjects, schemas, settings, openapi):
        app.register_blueprint(module.bp)
    set_prefix_errors(app, "/ccompat", wire.error_answer)
    app.before_request(methods.answer_options)
