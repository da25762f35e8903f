"""A JSON Schema as a readable field table: nested objects indented, references followed.

References are followed through the document's one resolver, so a ``$ref`` to an embedded
``$id`` resource, an ``$anchor`` or a registered schema named by a Confluent-style reference
leads where the validator goes (a field defined in a referenced version has the origin
``name#/pointer``); one into a bundled meta-schema is shown as written (its members are JSON
Schema keywords, not event fields)."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

from app.core.limits import budget, step
from app.core.pointers import escape
from app.core.references import reference_word, target_of
from app.core.schema import SchemaDocument

MAX_DEPTH = 12
# Rows per page of a field table: a page stays small however many fields a schema has.
PAGE_ROWS = 200
# Values of an enum listed in a field's constraints; the rest are counted.
LISTED_VALUES = 8
_NONE: frozenset[int] = frozenset()  # no reference target seen yet


@dataclass(frozen=True)
class FieldRow:
    """One field: where it is in the event and in the schema, and what it allows."""

    name: str
    pointer: str  # in the event, with /0 for array items
    schema_path: str  # in the schema document, through properties/items
    origin: str  # where the definition really lives ($refs followed)
    depth: int
    types: str
    required: bool
    description: str = ""
    constraints: list[str] = field(default_factory=list)

    def signature(self) -> tuple[Any, ...]:
        """What a reader compares between two versions of the field."""
        return (self.types, self.required, self.description, tuple(self.constraints))


@dataclass
class _Walk:
    document: SchemaDocument
    rows: list[FieldRow] = field(default_factory=list)
    most: int | None = None  # stop once this many rows are found


class _Enough(Exception):
    """The rows asked for are found: the walk stops there."""


@dataclass(frozen=True)
class FieldPage:
    """One page of a field table: its rows, its number (from 1), the index of its first row,
    and whether more rows follow."""

    rows: list[FieldRow]
    number: int
    first: int
    more: bool


def field_rows(document: SchemaDocument, most: int | None = None) -> list[FieldRow]:
    """The fields of the schema, parents before children, in declaration order: all of them,
    or the first ``most``. The walk spends the work budget (references that fan out)."""
    walk = _Walk(document, most=most)
    node, origin, seen = _resolve(document, document.raw, "", _NONE)
    with budget(), contextlib.suppress(_Enough):
        _object_fields(walk, node, "", "", origin, 0, seen)
    return walk.rows


def field_page(document: SchemaDocument, number: int = 1, size: int = PAGE_ROWS) -> FieldPage:
    """Page ``number`` (from 1) of the field table: only the rows up to that page are walked,
    one more tells whether another page follows."""
    number = max(number, 1)
    first = (number - 1) * size
    rows = field_rows(document, first + size + 1)
    return FieldPage(rows[first : first + size], number, first, len(rows) > first + size)


def is_closed(document: SchemaDocument) -> bool:
    """Whether the top-level object refuses properties it does not name."""
    node = _resolve(document, document.raw, "", _NONE)[0]
    return isinstance(node, dict) and node.get("additionalProperties") is False


def _resolve(
    document: SchemaDocument, node: Any, origin: str, seen: frozenset[int]
) -> tuple[Any, str, frozenset[int]]:
    """Follow node's references through the document (siblings of a reference win over its
    target, outer ones over inner ones); stop at a target already in ``seen`` (the ids of the
    targets on the path: a recursive structure is shown once) or one outside the document.
    ``origin`` becomes the pointer of the last target: where the definition really lives."""
    siblings: dict[str, Any] = {}
    # Each step resolves from the target itself, never from a merged copy: a reference inside
    # an embedded $id resource resolves against that resource's base URI.
    while (target := target_of(document, node)) is not None and id(target.schema) not in seen:
        word = reference_word(document, node)
        siblings = {**{k: v for k, v in node.items() if k != word}, **siblings}
        seen = seen | {id(target.schema)}
        node, origin = target.schema, target.label or ""
    if siblings and isinstance(node, dict):
        node = {**node, **siblings}
    return node, origin, seen


def _members(node: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """Properties and required names of an object, allOf parts merged in."""
    properties = dict(node.get("properties") or {})
    required = set(node.get("required") or [])
    for part in node.get("allOf") or []:
        if isinstance(part, dict):
            properties.update(part.get("properties") or {})
            required.update(part.get("required") or [])
    return properties, required


def _in_reading_order(properties: dict[str, Any], node: dict[str, Any]) -> list[tuple[str, Any]]:
    """Required fields in the order the schema lists them, then the optional ones by name.

    Stored schemas are canonical (keys sorted), but `required` is an array and keeps the
    author's order, which usually reads best (ids and times first).
    """
    order = [name for name in node.get("required") or [] if name in properties]
    for part in node.get("allOf") or []:
        if isinstance(part, dict):
            order += [n for n in part.get("required") or [] if n in properties and n not in order]
    rest = sorted(name for name in properties if name not in order)
    return [(name, properties[name]) for name in [*dict.fromkeys(order), *rest]]


def _object_fields(walk, node, pointer, path, origin, depth, seen) -> None:
    if not isinstance(node, dict) or depth > MAX_DEPTH:
        return
    properties, required = _members(node)
    for name, child in _in_reading_order(properties, node):
        child_path = f"{path}/properties/{escape(name)}"
        child_origin = f"{origin}/properties/{escape(name)}"
        where = (f"{pointer}/{escape(name)}", child_path, child_origin)
        _field(walk, name, child, where, name in required, depth, seen)


def _field(walk, name, raw, where, required, depth, seen) -> None:
    if walk.most is not None and len(walk.rows) >= walk.most:
        raise _Enough
    step(8)  # a row costs what eight keywords checked do (app.core.limits)
    pointer, path, origin = where
    node, origin, seen = _resolve(walk.document, raw, origin, seen)
    node = node if isinstance(node, dict) else {}
    walk.rows.append(
        FieldRow(
            name=name,
            pointer=pointer,
            schema_path=path,
            origin=origin,
            depth=depth,
            types=type_of(walk.document, node),
            required=required,
            description=str(node.get("description", "")),
            constraints=constraints_of(node),
        )
    )
    _children(walk, node, pointer, path, origin, depth + 1, seen)


def _children(walk, node, pointer, path, origin, depth, seen) -> None:
    if _members(node)[0]:
        _object_fields(walk, node, pointer, path, origin, depth, seen)
    items = node.get("items")
    if isinstance(items, dict):
        item, item_origin, item_seen = _resolve(walk.document, items, f"{origin}/items", seen)
        if isinstance(item, dict) and _members(item)[0]:
            _object_fields(
                walk, item, f"{pointer}/0", f"{path}/items", item_origin, depth, item_seen
            )
    for keyword in ("oneOf", "anyOf"):
        for index, option in enumerate(node.get(keyword) or []):
            option_path = f"{path}/{keyword}/{index}"
            resolved, option_origin, option_seen = _resolve(
                walk.document, option, f"{origin}/{keyword}/{index}", seen
            )
            if isinstance(resolved, dict) and _members(resolved)[0]:
                label = f"({'one' if keyword == 'oneOf' else 'any'} of, option {index + 1})"
                walk.rows.append(
                    FieldRow(label, pointer, option_path, option_origin, depth, "object", False)
                )
                _object_fields(
                    walk, resolved, pointer, option_path, option_origin, depth + 1, option_seen
                )


def type_of(document: SchemaDocument, node: dict[str, Any]) -> str:
    """A short human name of what a schema allows: 'string', 'array of object', 'integer | null'."""
    kind = node.get("type")
    if isinstance(kind, list):
        names = [str(k) for k in kind]
    elif isinstance(kind, str):
        names = [kind]
    elif "const" in node:
        names = ["const"]
    elif "enum" in node:
        names = ["enum"]
    elif "properties" in node:
        names = ["object"]
    elif node.get("oneOf") or node.get("anyOf"):
        options = node.get("oneOf") or node.get("anyOf")
        names = [type_of(document, _as_dict(_resolve(document, o, "", _NONE)[0])) for o in options]
        names = [n for n in dict.fromkeys(names) if n]
    else:
        names = ["any"]
    if "array" in names and isinstance(node.get("items"), dict):
        inner = type_of(document, _as_dict(_resolve(document, node["items"], "", _NONE)[0]))
        names = [f"array of {inner}" if n == "array" else n for n in names]
    return " | ".join(names)


def _as_dict(node: Any) -> dict[str, Any]:
    return node if isinstance(node, dict) else {}


def constraints_of(node: dict[str, Any]) -> list[str]:
    """The rules a field's value must follow, one phrase each."""
    found = []
    if "format" in node:
        found.append(f"format: {node['format']}")
    if "const" in node:
        found.append(f"always {_short(node['const'])}")
    if isinstance(node.get("enum"), list):
        found.append("one of: " + _listed(node["enum"]))
    if "pattern" in node:
        found.append(f"pattern: {_short(node['pattern'], 120)}")
    found += _ranges(node)
    if node.get("uniqueItems") is True:
        found.append("unique items")
    if "multipleOf" in node:
        found.append(f"multiple of {node['multipleOf']}")
    if node.get("additionalProperties") is False:
        found.append("closed: no other properties")
    if "default" in node:
        found.append(f"default {_short(node['default'])}")
    if node.get("deprecated") is True:
        found.append("deprecated")
    return found


def _ranges(node: dict[str, Any]) -> list[str]:
    found = []
    for low, high, unit in (
        ("minLength", "maxLength", "characters"),
        ("minItems", "maxItems", "items"),
        ("minProperties", "maxProperties", "properties"),
    ):
        if low in node or high in node:
            found.append(_between(node.get(low), node.get(high), unit))
    for key, sign in (
        ("minimum", "≥"),
        ("exclusiveMinimum", ">"),
        ("maximum", "≤"),
        ("exclusiveMaximum", "<"),
    ):
        if isinstance(node.get(key), int | float) and not isinstance(node.get(key), bool):
            found.append(f"{sign} {node[key]}")
    return found


def _between(low: Any, high: Any, unit: str) -> str:
    if low is not None and high is not None:
        return f"{low} to {high} {unit}"
    if low is not None:
        return f"at least {low} {unit}"
    return f"at most {high} {unit}"


def _listed(values: list[Any]) -> str:
    shown = ", ".join(_short(v) for v in values[:LISTED_VALUES])
    more = len(values) - LISTED_VALUES
    return f"{shown} and {more:,} more" if more > 0 else shown


def _short(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"
