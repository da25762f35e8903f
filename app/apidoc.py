"""What the two OpenAPI 3.1 documents share (the native API's at /api/v1/openapi.json, built by
app.api.openapi; the Confluent-compatible API's at /ccompat/openapi.json, built by
app.confluent.openapi): describing a view, walking the routes that are described, path
parameters from Flask's converters, the document's frame and the security schemes.

A door describes a view by attaching a dict to it under its own attribute name (``describe``),
so each document holds exactly the routes its door serves and describes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from flask import Flask
from werkzeug.routing import Rule

View = TypeVar("View", bound=Callable[..., Any])
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
OPENAPI_VERSION = "3.1.0"
SECURITY_SCHEMES: dict[str, Any] = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "An Eventry token (`evt_…`): an admin's, or a team's.",
    },
    "basic": {
        "type": "http",
        "scheme": "basic",
        "description": "HTTP Basic with an Eventry token as the password and any user name, as "
        "Kafka clients send it (`basic.auth.user.info=any:evt_…`).",
    },
}


def describe(attribute: str, meta: dict[str, Any]) -> Callable[[View], View]:
    """A decorator attaching ``meta`` (what a document says of an endpoint) to its view under
    ``attribute``."""

    def attach(view: View) -> View:
        setattr(view, attribute, meta)
        return view

    return attach


def described_routes(app: Flask, attribute: str) -> Iterator[tuple[Rule, str, str, dict]]:
    """Every route whose view is described under ``attribute``, by path: (rule, the path in
    OpenAPI's form ``/subjects/{subject}``, the method in lower case, the description)."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        meta = getattr(app.view_functions[rule.endpoint], attribute, None)
        if meta is None:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, openapi_path(rule), method.lower(), meta


def openapi_path(rule: Rule) -> str:
    """A Flask rule's path in OpenAPI's form: ``<int:id>`` becomes ``{id}``."""
    return _PARAM.sub(r"{\2}", rule.rule)


def path_parameters(
    rule: Rule,
    schemas: dict[str, dict] | None = None,
    integer: dict[str, Any] | None = None,
    text: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The rule's path parameters, each with the schema ``schemas`` gives its name, else
    ``integer`` (default: any integer) for Flask's ``int`` converter and ``text`` (default:
    any string) otherwise."""
    found = []
    for converter, name in _PARAM.findall(rule.rule):
        if converter == "int":
            default = integer or {"type": "integer"}
        else:
            default = text or {"type": "string"}
        schema = (schemas or {}).get(name, default)
        found.append({"name": name, "in": "path", "required": True, "schema": schema})
    return found


def document(
    title: str, description: str, paths: dict[str, Any], components: dict[str, Any]
) -> dict[str, Any]:
    """An OpenAPI 3.1 document of these paths and components (the security schemes added)."""
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": "1", "description": description},
        "paths": paths,
        "components": {**components, "securitySchemes": SECURITY_SCHEMES},
    }
