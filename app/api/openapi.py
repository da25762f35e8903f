"""The OpenAPI 3.1 document, generated from the routes and the request-body schemas, and its
browsable reference at /api/docs."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template

from app.api.requests import ATTRIBUTE, body_schema
from app.apidoc import described_routes, document, path_parameters

bp = Blueprint("openapi", __name__, template_folder="templates")
PROBLEM = {"$ref": "#/components/responses/Problem"}


@bp.get("/api/v1/openapi.json")
def openapi_json() -> Response:
    """The OpenAPI document of this API."""
    return jsonify(build_document(current_app))


@bp.get("/api/docs")
def reference() -> str:
    """A browsable reference of every endpoint, rendered on the server (no CDN, no JavaScript)."""
    return render_template("api_reference.html", document=build_document(current_app))


def build_document(app: Flask) -> dict[str, Any]:
    """Build the OpenAPI document from every documented route of the app."""
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {}
    for rule, path, method, meta in described_routes(app, ATTRIBUTE):
        paths.setdefault(path, {})[method] = _operation(rule, meta, schemas)
    description = (
        "An event-storming schema registry. Errors are application/problem+json (RFC 9457). "
        "The Confluent-compatible API under /ccompat is described at /ccompat/openapi.json."
    )
    components = {"schemas": schemas, "responses": {"Problem": _problem_response()}}
    return document("Eventry", description, paths, components)


def _operation(rule, meta: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": rule.endpoint.replace(".", "_"),
        "summary": meta["summary"],
        "tags": [meta.get("tag", rule.endpoint.split(".")[0])],
        "parameters": _parameters(rule, meta),
        "responses": {str(meta["status"]): {"description": "Success"}, "default": PROBLEM},
    }
    if meta["body"]:
        schema = dict(body_schema(meta["body"]))
        schema.pop("$schema", None)
        schemas[meta["body"]] = schema
        operation["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{meta['body']}"}}
            },
        }
    if meta["auth"]:
        operation["security"] = [{"bearer": []}]
    return operation


def _parameters(rule, meta: dict[str, Any]) -> list[dict[str, Any]]:
    parameters = path_parameters(rule)
    parameters += [
        {"name": name, "in": "query", "schema": {"type": "boolean"}, "description": text}
        for name, text in meta.get("flags", {}).items()
    ]
    if meta.get("paginated"):
        parameters += [
            {
                "name": "limit",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
            },
            {
                "name": "cursor",
                "in": "query",
                "schema": {"type": "string"},
                "description": "The `next` link's cursor.",
            },
        ]
    return parameters


def _problem_response() -> dict[str, Any]:
    return {
        "description": "An error, as RFC 9457 problem details",
        "content": {
            "application/problem+json": {
                "schema": {
                    "type": "object",
                    "required": ["type", "title", "status", "detail"],
                    "properties": {
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                        "errors": {"type": "array", "items": {"type": "object"}},
                    },
                }
            }
        },
    }
