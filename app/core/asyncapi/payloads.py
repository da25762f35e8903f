"""Message payloads as standalone JSON Schemas.

An AsyncAPI Schema Object is a superset of JSON Schema draft-07 (AsyncAPI 2.6 and 3.0,
"Schema Object"): its ``discriminator``, ``externalDocs`` and ``x-`` extensions are dropped,
and every schema it references elsewhere in the document is copied under ``definitions``
(``$defs`` from draft 2019-09 on), so the stored schema stands alone and its own references
are resolved by the SchemaDocument resolver like any other schema's.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from app.core.asyncapi.refs import follow, target_pointer
from app.core.pointers import split_pointer, value_at

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
JSON_SCHEMA_FORMAT = "application/schema+json;version=draft-07"
# Formats whose schema is JSON Schema or an AsyncAPI Schema Object (the latter by default).
_KEPT_FORMATS = re.compile(
    r"^application/(schema\+(json|yaml)|vnd\.aai\.asyncapi(\+(json|yaml))?)(;.*)?$"
)
_MAPS = {"properties", "patternProperties", "definitions", "$defs", "dependentSchemas"}
_LISTS = {"allOf", "anyOf", "oneOf", "prefixItems", "items"}
_SINGLE = {
    "items",
    "additionalProperties",
    "additionalItems",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
}
_DROPPED = {"discriminator", "externalDocs"}
_KEY = re.compile(r"[^A-Za-z0-9._-]")


def is_kept_format(schema_format: str | None) -> bool:
    """True when a payload in this schemaFormat is stored (None: the AsyncAPI default)."""
    return schema_format is None or bool(_KEPT_FORMATS.match(schema_format.replace(" ", "")))


def standalone(document: dict[str, Any], payload: Any, where: str) -> dict[str, Any] | bool:
    """The payload at ``where`` as a standalone JSON Schema. Raises InvalidInput for a
    reference that names nothing or another file."""
    root, _ = follow(document, payload, where)
    return _Inliner(document, root).run()


class _Inliner:
    def __init__(self, document: dict[str, Any], root: Any) -> None:
        self.document = document
        self.root = root
        self.word = "$defs" if _modern(root) else "definitions"
        self.keys: dict[str, str] = {}  # document pointer → key under self.word
        self.copied: dict[str, Any] = {}

    def run(self) -> dict[str, Any] | bool:
        schema = self.convert(copy.deepcopy(self.root), "", top=True)
        if not isinstance(schema, dict):
            return schema
        if self.copied:
            schema[self.word] = {**schema.get(self.word, {}), **self.copied}
        schema.setdefault("$schema", DRAFT_07)
        return schema

    def convert(self, node: Any, where: str, top: bool = False) -> Any:
        if not isinstance(node, dict):
            return node
        if "$id" in node and not top:
            return node  # an embedded schema resource: its references are its own
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DROPPED or key.startswith("x-"):
                continue
            if key == "$ref":
                out[key] = self.reference(value, where)
            elif key in _MAPS and isinstance(value, dict):
                out[key] = {name: self.convert(item, where) for name, item in value.items()}
            elif key in _LISTS and isinstance(value, list):
                out[key] = [self.convert(item, where) for item in value]
            elif key in _SINGLE:
                out[key] = self.convert(value, where)
            else:
                out[key] = value
        return out

    def reference(self, ref: Any, where: str) -> Any:
        if isinstance(ref, str) and not ref.startswith("#"):
            return ref  # an embedded resource's $id, or nothing: the schema resolver judges
        if isinstance(ref, str) and _inside(self.root, ref):
            return ref  # the payload's own definitions: the schema resolver follows them
        pointer = target_pointer(ref, where)
        if pointer not in self.keys:
            key = self._new_key(pointer)
            self.keys[pointer] = key
            target, place = follow(self.document, {"$ref": ref}, where)
            self.copied[key] = self.convert(copy.deepcopy(target), place, top=True)
        return f"#/{self.word}/{self.keys[pointer]}"

    def _new_key(self, pointer: str) -> str:
        tokens = split_pointer(pointer) or ["root"]
        base = _KEY.sub("_", tokens[-1]) or "schema"
        key, number = base, 2
        own = self.root.get(self.word) if isinstance(self.root, dict) else None
        taken = set(self.keys.values()) | set(own if isinstance(own, dict) else {})
        while key in taken:
            key, number = f"{base}_{number}", number + 1
        return key


def _inside(root: Any, ref: str) -> bool:
    pointer = ref[1:]
    return (
        pointer != ""
        and not pointer.startswith("/components/")
        and (value_at(root, pointer) is not None)
    )


def _modern(root: Any) -> bool:
    dialect = root.get("$schema", "") if isinstance(root, dict) else ""
    return isinstance(dialect, str) and ("2019-09" in dialect or "2020-12" in dialect)
