"""Where every sub-schema of a document sits: its JSON pointer and its base URI.

One walk over a schema resource records, for each sub-schema object, the RFC 6901 pointer of it
in the document's text and the base URI that references inside it resolve against. Which
members are sub-schemas, and which ``$id`` starts an embedded resource, is the dialect's rule as
the `referencing` library states it, so the index and the validator agree on every reference.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import urldefrag, urljoin

from referencing import Specification

from app.core.pointers import escape
from app.core.schema.dialects import Dialect

# Keywords whose value is data, never a schema: nothing under them is walked.
VALUE_KEYWORDS = frozenset({"enum", "const", "default", "examples", "$vocabulary"})
REFERENCE_KEYWORDS = ("$ref", "$dynamicRef", "$recursiveRef")


@dataclass(frozen=True)
class Place:
    """A sub-schema's pointer and the base URI in force there; ``local`` is False for a place
    in a bundled meta-schema or a referenced schema, whose pointer is then relative to
    ``resource`` (the meta-schema's URI, the reference's name). ``dialect`` is the dialect of
    the resource the place is in (each referenced schema keeps the one it was stored with; None
    for a meta-schema of a draft Eventry does not serve) and ``referenced`` tells a place in a
    Confluent-style referenced schema from one in a meta-schema."""

    pointer: str
    base: str
    local: bool = True
    resource: str = ""
    dialect: Dialect | None = None
    referenced: bool = False


@dataclass
class Index:
    """Places of every sub-schema object (by identity), and each resource's dynamic anchors."""

    places: dict[int, Place] = field(default_factory=dict)
    holders: list[tuple[str, dict]] = field(default_factory=list)  # (pointer, node with $ref…)
    dynamic_anchors: dict[str, dict[str, dict]] = field(default_factory=dict)  # base -> name
    _nodes: dict[int, dict] = field(default_factory=dict)  # keeps every id() valid and unique

    def add_resource(
        self,
        contents: Any,
        base: str,
        spec: Specification,
        local: bool = True,
        resource: str | None = None,
        dialect: Dialect | None = None,
    ) -> None:
        """Index one schema resource: the document itself, a bundled meta-schema or a referenced
        schema. ``resource`` names a non-local one in pointers (``base`` when None): a
        referenced schema is named by its reference's name. ``dialect`` is the resource's own."""
        named = "" if local else base if resource is None else resource
        referenced = not local and resource is not None
        for where, node, node_base in _walk(contents, base, spec):
            self._nodes[id(node)] = node
            self.places[id(node)] = Place(where, node_base, local, named, dialect, referenced)
            if local and any(isinstance(node.get(word), str) for word in REFERENCE_KEYWORDS):
                self.holders.append((where, node))
            anchor = node.get("$dynamicAnchor")
            if isinstance(anchor, str):
                self.dynamic_anchors.setdefault(node_base, {}).setdefault(anchor, node)

    def node(self, node_id: int) -> dict:
        """Return the indexed sub-schema object with this identity."""
        return self._nodes[node_id]

    def place_of(self, node: Any) -> Place | None:
        """Return where an indexed sub-schema sits, or None for a value not in the index."""
        return self.places.get(id(node)) if isinstance(node, dict) else None


def _walk(root: Any, base: str, spec: Specification) -> Iterator[tuple[str, dict, str]]:
    """Yield (pointer, object, base URI) for the root and every sub-schema object below it.

    A member is a sub-schema when the dialect's specification says so, or when it sits in
    ``$defs``/``definitions`` (a draft-07 schema may keep definitions under ``$defs`` and refer
    to them by pointer); only the specification's sub-resources may change the base URI."""
    stack: list[_Entry] = [_Entry(root, "", base, True, frozenset(), frozenset())]
    while stack:
        entry = stack.pop()
        current = entry.value
        if isinstance(current, list):
            _push_items(stack, entry, spec)
            continue
        if not isinstance(current, dict):
            continue
        schemas, resources = entry.schemas, entry.resources
        if entry.is_schema:
            yield entry.pointer, current, entry.base
            resources = frozenset(id(child) for child in spec.subresources_of(current))
            schemas = resources | _definitions(current)
        for key, value in current.items():
            if (key in VALUE_KEYWORDS and entry.is_schema) or not isinstance(value, dict | list):
                continue  # a scalar holds no sub-schema: not worth a place on the stack
            is_schema = id(value) in schemas
            child_base = _base_of(value, entry.base, spec) if id(value) in resources else entry.base
            pointer = f"{entry.pointer}/{escape(key)}"
            stack.append(_Entry(value, pointer, child_base, is_schema, schemas, resources))


class _Entry(NamedTuple):  # a tuple: made once per object and array of the document
    value: Any
    pointer: str
    base: str
    is_schema: bool
    schemas: frozenset[int]  # ids of the sub-schemas of the nearest schema above
    resources: frozenset[int]  # ids of those the specification counts as sub-resources


def _definitions(node: dict) -> frozenset[int]:
    found = set()
    for word in ("$defs", "definitions"):
        members = node.get(word)
        if isinstance(members, dict):
            found.update(id(value) for value in members.values() if isinstance(value, dict))
    return frozenset(found)


def _push_items(stack: list[_Entry], entry: _Entry, spec: Specification) -> None:
    for position, item in enumerate(entry.value):
        if not isinstance(item, dict | list):
            continue
        is_schema = id(item) in entry.schemas
        item_base = _base_of(item, entry.base, spec) if id(item) in entry.resources else entry.base
        pointer = f"{entry.pointer}/{position}"
        stack.append(_Entry(item, pointer, item_base, is_schema, entry.schemas, entry.resources))


def _base_of(value: Any, base: str, spec: Specification) -> str:
    # An embedded resource's $id sets the base for everything inside it (JSON Schema 2020-12
    # section 8.2.1; `id`/`$id` beside `$ref` is ignored before 2019-09, as spec.id_of knows).
    embedded = spec.id_of(value) if isinstance(value, dict) else None
    return urldefrag(urljoin(base, embedded)).url if embedded else base
