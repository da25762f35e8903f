"""Local $ref checks: every reference resolves inside the schema, and none loops on itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import referencing
import referencing.exceptions
import referencing.jsonschema
from jsonschema_specifications import REGISTRY as META_SCHEMAS

from app.core.pointers import escape

# Keywords that apply a sub-schema to the same value: a $ref cycle through only these never ends.
_IN_PLACE = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else")


def reference_problems(schema: Any, dialect_uri: str) -> list[tuple[str, str]]:
    """Return (pointer, message) for each $ref that does not resolve locally or loops forever."""
    spec = referencing.jsonschema.specification_with(
        dialect_uri, default=referencing.jsonschema.DRAFT202012
    )
    resource = referencing.Resource(contents=schema, specification=spec)
    base = resource.id() or "urn:eventry:schema-under-check"
    resolver = META_SCHEMAS.with_resource(base, resource).resolver(base_uri=base)
    targets: dict[int, Any] = {}
    problems = []
    for pointer, node, ref in _refs(schema, ""):
        try:
            targets[id(node)] = resolver.lookup(ref).contents
        except referencing.exceptions.Unresolvable:
            problems.append((f"{pointer}/$ref", _unresolvable(ref)))
    if not problems:
        problems.extend(_cycles(schema, targets))
    return problems


def _unresolvable(ref: str) -> str:
    return (
        f"$ref {ref!r} does not resolve inside this schema; Eventry never fetches remote "
        "references, so put the definition under $defs and refer to it with #/$defs/…"
    )


def _refs(node: Any, pointer: str) -> Iterator[tuple[str, dict, str]]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield pointer, node, node["$ref"]
        for key, value in node.items():
            yield from _refs(value, f"{pointer}/{escape(key)}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _refs(value, f"{pointer}/{index}")


def _cycles(schema: Any, targets: dict[int, Any]) -> list[tuple[str, str]]:
    problems = []
    for pointer, node, ref in _refs(schema, ""):
        if _loops_back(node, targets):
            message = (
                f"$ref {ref!r} leads back to itself without reading any part of the value "
                "(through $ref, allOf, anyOf, oneOf, not or if/then/else only): no event could "
                "ever be validated against it"
            )
            problems.append((f"{pointer}/$ref", message))
    return problems


def _loops_back(start: dict, targets: dict[int, Any]) -> bool:
    seen: set[int] = set()
    stack = list(_in_place(start, targets))
    while stack:
        node = stack.pop()
        if node is start:
            return True
        if id(node) in seen or not isinstance(node, dict):
            continue
        seen.add(id(node))
        stack.extend(_in_place(node, targets))
    return False


def _in_place(node: dict, targets: dict[int, Any]) -> list[Any]:
    following = [targets[id(node)]] if id(node) in targets else []
    for key in _IN_PLACE:
        value = node.get(key)
        following.extend(value if isinstance(value, list) else [value] if value is not None else [])
    return following
