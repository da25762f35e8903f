"""The OpenAPI 3.1 document, generated from the routes and the request-body schemas, and its
browsable reference at /api/docs."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template

from app.api.answers import ANSWERS, answer_schema
from app.api.requests import ATTRIBUTE, MAX_LIMIT
from app.apidoc import described_routes, document, path_parameters
from app.core.bindings import Language
from app.core.ndjson import MEDIA_TYPE as NDJSON
from app.core.vocabulary import (
    EVENT_NAME_PATTERN,
    MAX_NUMBER,
    MULTILINE_FIELDS,
    SLUG_PATTERN,
    VERSION_PATTERN,
    control_free_pattern,
)
from app.services.request_bodies import body_schema

bp = Blueprint("openapi", __name__, template_folder="templates")
PROBLEM = {"$ref": "#/components/responses/Problem"}
# What each named path segment holds, as the services check it (app/core/vocabulary.py).
_SLUG = {"type": "string", "pattern": SLUG_PATTERN}
_PATH_SCHEMAS: dict[str, dict[str, Any]] = {
    "domain": _SLUG,
    "bus": _SLUG,
    "team": _SLUG,
    "name": {"type": "string", "pattern": EVENT_NAME_PATTERN},
    "number": {"type": "string", "pattern": VERSION_PATTERN},
    "language": {"type": "string", "enum": [language.value for language in Language]},
}
_WHOLE_NUMBER = {"type": "integer", "minimum": 1, "maximum": MAX_NUMBER}


@bp.get("/api/v1/openapi.json")
def openapi_json() -> Response:
    """The OpenAPI document of this API."""
    return jsonify(build_document(current_app))


@bp.get("/api/docs")
def reference() -> str:
    """A browsable reference of every endpoint, rendered on the server (no CDN, no JavaScript)."""
    return render_template(
        "api_reference.html",
        document=build_document(current_app),
        title="API reference",
        crumbs=[("Catalogue", "/"), ("API reference", None)],
    )


def build_document(app: Flask) -> dict[str, Any]:
    """Build the OpenAPI document from every documented route of the app."""
    paths: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = dict(ANSWERS)
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
        "responses": {str(meta["status"]): _success(meta), "default": PROBLEM},
    }
    if meta.get("produces"):  # an answer in another format than JSON: source text
        content = {each: {"schema": {"type": "string"}} for each in meta["produces"]}
        operation["responses"][str(meta["status"])]["content"] = content
    if meta["body"]:
        schema = _documented_body(body_schema(meta["body"]))
        schema.pop("$schema", None)
        schemas[meta["body"]] = schema
        operation["requestBody"] = {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{meta['body']}"}}
            },
        }
    if meta.get("stream"):  # a body of newline-delimited JSON only, answered as JSON
        content = {NDJSON: {"schema": {"type": "string", "description": meta["stream"]}}}
        operation["requestBody"] = {"required": True, "content": content}
    if meta.get("text"):  # a document as text in any of several media types (AsyncAPI)
        described = {"schema": {"type": "string", "description": meta["text"][1]}}
        content = {media: described for media in meta["text"][0]}
        operation["requestBody"] = {"required": True, "content": content}
    if meta.get("ndjson"):
        # The same operation takes and answers newline-delimited JSON, one event a line.
        stream = {"schema": {"type": "string", "description": meta["ndjson"]}}
        operation["requestBody"]["content"][NDJSON] = stream
        success = operation["responses"][str(meta["status"])]
        success.setdefault("content", {"application/json": {"schema": {"type": "object"}}})
        success["content"][NDJSON] = stream
    if meta["auth"]:
        operation["security"] = [{"bearer": []}]
    return operation


def _success(meta: dict[str, Any]) -> dict[str, Any]:
    # The answer's shape (app/api/answers.py); a 204 has no body to describe.
    if "answer" not in meta:
        return {"description": "Success"}
    listed = bool(meta.get("paginated") or meta.get("listed"))
    content = {"application/json": {"schema": answer_schema(meta["answer"], listed)}}
    # Other representations of the same answer (a schema as application/schema+json).
    content.update({media: {"schema": schema} for media, schema in meta.get("media", {}).items()})
    return {"description": "Success", "content": content}


def _parameters(rule, meta: dict[str, Any]) -> list[dict[str, Any]]:
    parameters = path_parameters(rule, _PATH_SCHEMAS, _WHOLE_NUMBER, _TEXT)
    # A view served at two paths (GET /api/v1/domains/{domain}/asyncapi is GET /api/v1/asyncapi
    # ?domain=) takes from the path what the other path's query gives: listed once, in the path.
    in_path = {parameter["name"] for parameter in parameters}
    parameters += [
        {"name": name, "in": "query", "schema": {"type": "boolean"}, "description": text}
        for name, text in meta.get("flags", {}).items()
    ]
    parameters += [
        {
            "name": name,
            "in": "query",
            "required": schema.get("x-required", False),
            "schema": _query_schema(schema),
            "description": text,
        }
        for name, (schema, text) in meta.get("query", {}).items()
        if name not in in_path
    ]
    if meta.get("paginated") or meta.get("paged"):
        parameters += [
            {
                "name": "limit",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 50},
            },
            {
                "name": "cursor",
                "in": "query",
                "schema": {"type": "string"},
                "description": "The `next` link's cursor.",
            },
        ]
    return parameters


# A name, identifier or search word in a URL or a body holds no control character; free text
# (descriptions, notes) keeps tabs and line breaks (app/core/vocabulary.py, app/http_input.py).
_TEXT = {"type": "string", "pattern": control_free_pattern()}


def _query_schema(schema: dict[str, Any]) -> dict[str, Any]:
    # Query values are text unless said otherwise, and text holds no control character.
    out = {key: value for key, value in schema.items() if key != "x-required"}
    if out.get("type", "string") != "string" or "format" in out:
        return out
    if "pattern" in out:
        return {**_TEXT, "allOf": [{"pattern": out.pop("pattern")}], **out}
    return {**_TEXT, **out}


def _documented_body(schema: dict[str, Any], field: str = "") -> dict[str, Any]:
    """A request body's schema as the document shows it: every string property also says the
    control characters it may not hold, as the services refuse them. Values of no declared
    type (schemas, event payloads) keep whatever JSON allows."""
    out = dict(schema)
    kinds = out.get("type")
    if (kinds == "string" or (isinstance(kinds, list) and "string" in kinds)) and not (
        {"enum", "format", "const"} & out.keys()
    ):
        text = {"pattern": control_free_pattern(multiline=field in MULTILINE_FIELDS)}
        if "pattern" in out:
            out["allOf"] = [*out.get("allOf", []), text]
        else:
            out.update(text)
    if isinstance(out.get("properties"), dict):
        out["properties"] = {k: _documented_body(v, k) for k, v in out["properties"].items()}
    if isinstance(out.get("items"), dict):
        out["items"] = _documented_body(out["items"], field)
    for keyword in ("anyOf", "oneOf"):
        if isinstance(out.get(keyword), list):
            out[keyword] = [_documented_body(each, field) for each in out[keyword]]
    return out


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
