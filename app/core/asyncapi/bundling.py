"""A schema version with Confluent-style references as one standalone schema, for a payload.

An AsyncAPI payload cannot name other registered schemas, so each referenced schema is
embedded as a schema resource with its reference name as ``$id`` (JSON Schema 2020-12,
"Bundling": a ``$ref`` to ``customer.json#/…`` then finds the embedded resource, no rewrite
needed), under ``$defs`` (``definitions`` before draft 2019-09).
"""

from __future__ import annotations

import re
from typing import Any

from app.core.schema import SchemaDocument

_KEY = re.compile(r"[^A-Za-z0-9._-]")


def bundled(document: SchemaDocument) -> Any:
    """The document's schema with every schema it references (and they reference) embedded;
    the schema itself when it references none."""
    if not document.references or not isinstance(document.raw, dict):
        return document.raw
    raw = dict(document.raw)
    dialect = str(raw.get("$schema", ""))
    word = "$defs" if ("2019-09" in dialect or "2020-12" in dialect) else "definitions"
    embedded: dict[str, Any] = {}
    pending = list(document.references)
    while pending:
        reference = pending.pop(0)
        key = _KEY.sub("_", reference.name)
        if key in embedded or not isinstance(reference.document.raw, dict):
            continue
        embedded[key] = {**reference.document.raw, "$id": reference.name}
        pending.extend(reference.document.references)
    own = raw.get(word) if isinstance(raw.get(word), dict) else {}
    raw[word] = {**own, **embedded}
    return raw
