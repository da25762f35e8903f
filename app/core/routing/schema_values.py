"""Every event a JSON Schema allows, as one stand-in value (app.core.routing.values): a rule
"can match some valid event" when it matches this stand-in.

Objects become SymObject (members not `required` may be absent; members beyond `properties`
may appear unless `additionalProperties` or `unevaluatedProperties` is false), arrays SymArray,
`const` and `enum` the values they list, other leaves Unknown of their `type`. `allOf` merges
its branches; the members of `anyOf`/`oneOf` branches may each be absent. Members are taken as
independent of each other (a rule wanting two values that only different `oneOf` branches
allow together is still taken to match): the answer errs on the side of "can match".
"""

from __future__ import annotations

from typing import Any

from app.core.analysis.fields import SchemaWalker
from app.core.limits import step
from app.core.schema import SchemaDocument

from .values import SymArray, SymObject, Unknown

_MAX_DEPTH = 32
_KEPT = "_schema_value"  # where a document keeps its stand-in


def schema_value(document: SchemaDocument) -> Any:
    """The stand-in for every event the document allows, built once per document (kept with
    it: a document never changes, and matching only reads the stand-in). Every consumer on a
    bus is matched against it, so building it per consumer multiplied the work."""
    found = document.__dict__.get(_KEPT)
    if found is None:
        walker = SchemaWalker(document)
        found = document.__dict__[_KEPT] = _value(walker, document.raw, 0, frozenset())
    return found


def _value(walker: SchemaWalker, node: Any, depth: int, seen: frozenset[int]) -> Any:
    step(2)
    if node is False:
        return Unknown(types=frozenset(), why="the schema allows no value here")
    resolved = walker.resolve(node, seen)
    if not isinstance(resolved, dict) or depth > _MAX_DEPTH or id(resolved) in seen:
        return Unknown(why="the schema allows any value here")
    seen = seen | {id(resolved)}
    merged = _merged(walker, resolved, seen)
    if "const" in merged:
        return Unknown(values=(merged["const"],), why="the schema's const")
    if isinstance(merged.get("enum"), list):
        return Unknown(values=tuple(merged["enum"]), why="the schema's enum")
    types = _types(merged)
    if "object" in types and (merged.get("properties") or types == {"object"}):
        return _object(walker, merged, depth, seen)
    if types == {"array"}:
        items = merged.get("items")
        item = _value(walker, items, depth + 1, seen) if isinstance(items, dict) else Unknown()
        return SymArray(item)
    pattern = merged.get("pattern") if isinstance(merged.get("pattern"), str) else None
    why = f"the schema's pattern {pattern}" if pattern else "a value the schema allows"
    return Unknown(types=frozenset(types) if types else None, why=why, pattern=pattern)


def _merged(walker: SchemaWalker, node: dict, seen: frozenset[int]) -> dict[str, Any]:
    """The node with its allOf branches folded in and its anyOf/oneOf members made optional."""
    merged = {k: v for k, v in node.items() if k not in ("allOf", "anyOf", "oneOf")}
    properties = dict(merged.get("properties") or {})
    required = set(merged.get("required") or [])
    for branch in node.get("allOf") or []:
        inner = walker.resolve(branch, seen)
        if isinstance(inner, dict):
            inner = _merged(walker, inner, seen)
            properties.update(inner.get("properties") or {})
            required |= set(inner.get("required") or [])
            for word in ("type", "const", "enum", "pattern", "additionalProperties"):
                if word in inner and word not in merged:
                    merged[word] = inner[word]
    for word in ("anyOf", "oneOf"):
        for branch in node.get(word) or []:
            inner = walker.resolve(branch, seen)
            if isinstance(inner, dict):
                for name, child in (inner.get("properties") or {}).items():
                    properties.setdefault(name, child)
    if properties:
        merged["properties"] = properties
    merged["required"] = sorted(required)
    return merged


def _types(node: dict[str, Any]) -> set[str]:
    declared = node.get("type")
    types = {declared} if isinstance(declared, str) else set(declared or [])
    if "integer" in types:
        types.add("number")
    if not types and "properties" in node:
        types = {"object"}
    return types


def _object(walker: SchemaWalker, node: dict, depth: int, seen: frozenset[int]) -> SymObject:
    properties = node.get("properties") or {}
    required = set(node.get("required") or [])
    members = {
        name: _value(walker, child, depth + 1, seen)
        for name, child in properties.items()
        if isinstance(name, str)
    }
    closed = node.get("additionalProperties") is False or node.get("unevaluatedProperties") is False
    others = None if closed else Unknown(why="a member the schema leaves open")
    return SymObject(members, frozenset(set(members) - required), others)
