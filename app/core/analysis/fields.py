"""Flatten JSON Schemas and sample payloads into field paths (JSON pointers) with kinds.

Array items are addressed as `/0` whatever their position: `/lines/0/amount` means
"the amount of any line", so schema and sample paths line up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.core.limits import budget, step
from app.core.pointers import escape
from app.core.references import follow, target_of
from app.core.schema import SchemaDocument

from .envelope import unwrap, unwrap_schema

_MAX_DEPTH = 16
_MAX_ITEMS = 25


@dataclass
class Field:
    """One field of a payload or schema."""

    pointer: str
    name: str
    kind: str
    depth: int
    leaf: bool = True
    has_value: bool = False
    value: Any = None
    ancestors: tuple[str, ...] = ()
    schema_pointer: str = ""
    node: dict[str, Any] = field(default_factory=dict)
    required: bool = False  # named in its object's `required` (any allOf/anyOf/oneOf part)


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def flatten_sample(doc: Any, prefix: str = "") -> list[Field]:
    """Flatten a sample payload into fields, merging array items under `/0`."""
    found: dict[str, Field] = {}
    _walk_value(doc, prefix, 0, (), found)
    return list(found.values())


def _walk_value(
    value: Any, pointer: str, depth: int, ancestors: tuple[str, ...], out: dict[str, Field]
) -> None:
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, dict):
        for key, child in value.items():
            child_ptr = f"{pointer}/{escape(str(key))}"
            _record(out, child_ptr, str(key), child, depth + 1, ancestors)
            _walk_value(child, child_ptr, depth + 1, (*ancestors, str(key)), out)
    elif isinstance(value, list):
        for item in value[:_MAX_ITEMS]:
            if isinstance(item, dict | list):
                _walk_value(item, f"{pointer}/0", depth, ancestors, out)


def _record(
    out: dict[str, Field], pointer: str, name: str, value: Any, depth: int, ancestors: tuple
) -> None:
    leaf = not (isinstance(value, dict) and value) and not _is_object_list(value)
    existing = out.get(pointer)
    if existing is not None and existing.value is not None:
        return
    out[pointer] = Field(pointer, name, _kind_of(value), depth, leaf, True, value, ancestors)


def _is_object_list(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(i, dict) for i in value)


class SchemaWalker:
    """Walks a JSON Schema document: properties, items, references (through the document's
    resolver), allOf/anyOf/oneOf, booleans."""

    def __init__(self, document: SchemaDocument) -> None:
        if not isinstance(document, SchemaDocument):
            # A raw dict would be walked without its dialect, $id bases or anchors.
            raise TypeError(
                "the analysis takes a SchemaDocument (SchemaDocument.checked(raw) for new "
                f"input), not {type(document).__name__}"
            )
        self.document = document
        self.fields: dict[str, Field] = {}

    def resolve(self, node: Any, seen: frozenset[int] = frozenset()) -> Any:
        """Follow references until a node that holds none (a target in ``seen``, the ids of
        those already on the path, or a reference leading nowhere, resolves to ``{}``)."""
        return follow(self.document, node, seen)

    def walk(self, node: Any, pointer: str, schema_ptr: str, depth: int, ctx: tuple) -> None:
        """Record the fields under `node`; ctx = (ancestor names, ids of the reference targets
        on the current path)."""
        ancestors, refs = ctx
        step(8)  # references that fan out make the paths to walk multiply
        if depth > _MAX_DEPTH or not isinstance(node, dict):
            return
        target = target_of(self.document, node)
        if target is not None:
            if id(target.schema) in refs:
                return  # recursion guard: a recursive structure is walked once
            inner = (ancestors, refs | {id(target.schema)})
            self.walk(target.schema, pointer, schema_ptr, depth, inner)
        for combinator in ("allOf", "anyOf", "oneOf"):
            for i, branch in enumerate(node.get(combinator) or []):
                self.walk(branch, pointer, f"{schema_ptr}/{combinator}/{i}", depth, ctx)
        props = node.get("properties")
        if isinstance(props, dict):
            for name, child in props.items():
                self._property(name, child, pointer, f"{schema_ptr}/properties", depth, ctx)
        self._mark_required(node, pointer)
        self._items(node, pointer, schema_ptr, depth, ctx)

    def _items(self, node: dict, pointer: str, schema_ptr: str, depth: int, ctx: tuple) -> None:
        items = node.get("items")
        if isinstance(items, dict):
            self.walk(items, f"{pointer}/0", f"{schema_ptr}/items", depth, ctx)
        tuples = node.get("prefixItems") or (items if isinstance(items, list) else [])
        for i, item in enumerate(tuples):
            self.walk(item, f"{pointer}/{i}", f"{schema_ptr}/prefixItems/{i}", depth, ctx)

    def _mark_required(self, node: dict, pointer: str) -> None:
        # After the properties: a `required` beside an allOf part's properties names them too.
        required = node.get("required")
        for name in required if isinstance(required, list) else []:
            found = self.fields.get(f"{pointer}/{escape(str(name))}")
            if found is not None:
                found.required = True

    def _property(
        self, name: str, child: Any, pointer: str, base: str, depth: int, ctx: tuple
    ) -> None:
        ancestors, refs = ctx
        child_ptr = f"{pointer}/{escape(name)}"
        schema_ptr = f"{base}/{escape(name)}"
        resolved = self.resolve(child, refs)
        kind = _schema_kind(resolved)
        leaf = not _schema_has_children(resolved, self)
        node = child if isinstance(child, dict) else {"const": child}
        merged = {**(resolved if isinstance(resolved, dict) else {}), **node}
        current = self.fields.get(child_ptr)
        if current is None:
            self.fields[child_ptr] = Field(
                child_ptr, name, kind, depth + 1, leaf, False, None, ancestors, schema_ptr, merged
            )
        else:
            current.leaf = current.leaf and leaf
            current.node = {**merged, **current.node}
        self.walk(child, child_ptr, schema_ptr, depth + 1, ((*ancestors, name), refs))


def _schema_kind(node: Any) -> str:
    if node is True or node == {}:
        return "any"
    if not isinstance(node, dict):
        return "never"
    declared = node.get("type")
    if isinstance(declared, list):
        declared = next((t for t in declared if t != "null"), "null")
    if isinstance(declared, str):
        return declared
    if "properties" in node:
        return "object"
    if "items" in node or "prefixItems" in node:
        return "array"
    return "any"


def _schema_has_children(node: Any, walker: SchemaWalker) -> bool:
    if not isinstance(node, dict):
        return False
    if node.get("properties"):
        return True
    items = walker.resolve(node.get("items"))
    if isinstance(items, dict) and (items.get("properties") or _has_combinator(items)):
        return True
    return _has_combinator(node)


def _has_combinator(node: dict) -> bool:
    return any(node.get(c) for c in ("allOf", "anyOf", "oneOf"))


def flatten_schema(
    document: SchemaDocument, *, unwrap_envelope: bool = True
) -> tuple[list[Field], str | None]:
    """Flatten a schema into fields of its payload; returns (fields, envelope kind).

    Kept with the document (it never changes): one analysis asks for its fields several times
    (shape, lints, rules, ordering), and walking 20,000 fields costs a second each time."""
    if not isinstance(document, SchemaDocument):
        return _flatten(document, unwrap_envelope)  # SchemaWalker says why it is refused
    kept = document.__dict__.setdefault("_analysis_fields", {})
    if unwrap_envelope not in kept:
        kept[unwrap_envelope] = _flatten(document, unwrap_envelope)
    fields, kind = kept[unwrap_envelope]
    return list(fields), kind


def _flatten(document: SchemaDocument, unwrap_envelope: bool) -> tuple[list[Field], str | None]:
    walker = SchemaWalker(document)
    node, kind, prefix = document.raw, None, ""
    if unwrap_envelope:
        node, kind, prefix, _meta = unwrap_schema(document)
    base = prefix.replace("/", "/properties/", 1) if prefix else ""
    with budget():  # joins the caller's budget, else bounds this walk alone
        walker.walk(node, "", base, 0, ((), frozenset()))
    return list(walker.fields.values()), kind


def schema_envelope_names(document: SchemaDocument) -> set[str]:
    """Top-level property names of a schema and of its envelope, for id/time look-ups."""
    walker = SchemaWalker(document)
    names: set[str] = set()
    node = walker.resolve(document.raw)
    if isinstance(node, dict) and isinstance(node.get("properties"), dict):
        names.update(node["properties"])
    return names


def sample_fields(sample: Any) -> tuple[list[Field], str | None, dict[str, Any]]:
    """Unwrap and flatten one sample; returns (fields, envelope kind, envelope metadata)."""
    unwrapped = unwrap(sample)
    return flatten_sample(unwrapped.payload), unwrapped.kind, unwrapped.meta


def field_pointers(
    document: SchemaDocument | None = None, samples: list[dict] | None = None
) -> set[str]:
    """JSON pointers an event carries, relative to its payload and to the raw (wrapped) document."""
    pointers: set[str] = set()
    if document is not None:
        fields, _kind = flatten_schema(document)
        pointers.update(f.pointer for f in fields)
        raw, _ = flatten_schema(document, unwrap_envelope=False)
        pointers.update(f.pointer for f in raw)
    for sample in samples or []:
        fields, _kind, _meta = sample_fields(sample)
        pointers.update(f.pointer for f in fields if f.value is not None)
        pointers.update(f.pointer for f in flatten_sample(sample) if f.value is not None)
    return pointers
