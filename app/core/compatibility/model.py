"""Schema kinds in everit's model: every raw schema becomes one typed node."""

from __future__ import annotations

import json
from typing import Any

from app.core.compatibility.refs import DRAFT4, DRAFT2019, DRAFT2020, Document
from app.core.schema.messages import show

OBJECT_KEYS = frozenset(
    [
        "properties",
        "patternProperties",
        "additionalProperties",
        "required",
        "minProperties",
        "maxProperties",
        "dependencies",
        "dependentRequired",
        "dependentSchemas",
        "propertyNames",
        "unevaluatedProperties",
    ]
)
ARRAY_KEYS = frozenset(
    [
        "items",
        "prefixItems",
        "additionalItems",
        "minItems",
        "maxItems",
        "uniqueItems",
        "contains",
        "minContains",
        "maxContains",
        "unevaluatedItems",
    ]
)
NUMBER_KEYS = frozenset(
    ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]
)
STRING_KEYS = frozenset(["minLength", "maxLength", "pattern", "format"])
_SNIFF_ORDER = (
    ("object", OBJECT_KEYS),
    ("array", ARRAY_KEYS),
    ("number", NUMBER_KEYS),
    ("string", STRING_KEYS),
)
COMBINATORS = ("allOf", "anyOf", "oneOf")
_TYPE_KINDS = {
    "integer": "number",
    "number": "number",
    "string": "string",
    "object": "object",
    "array": "array",
    "boolean": "boolean",
    "null": "null",
}


def canonical(value: Any) -> str:
    """Return a JSON text that is equal for equal JSON values (true and 1 stay distinct)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


class Node:
    """A schema of one kind (string, object, combined, ...) with its parsed keywords."""

    __slots__ = ("doc", "f", "kind", "meta", "raw", "tag")

    def __init__(self, kind: str, doc: Document, raw: Any, tag: str = "", **fields: Any) -> None:
        self.kind = kind
        self.doc = doc
        self.raw = raw
        self.tag = tag or kind
        self.f = fields
        self.meta: tuple = (None, None, None, False, None)

    def node(self, raw: Any) -> Node | None:
        """Build (or reuse) the node of a sub-schema of the same document."""
        return None if raw is None else build(self.doc, raw)

    def key(self) -> str:
        """Return an identity used to collapse duplicate branches of a combined schema."""
        return self.tag + ":" + canonical(self.raw)

    @property
    def title(self) -> Any:
        return self.meta[1]

    @property
    def has_default(self) -> bool:
        return self.meta[3]


def deref(node: Node | None) -> Node | None:
    """Follow reference nodes to the schema they point to (through the document's resolver).

    A ``$dynamicRef`` whose target depends on a dynamic scope beyond the document's root becomes
    an ``unsupported`` node that names the construct, since no single schema stands behind it."""
    seen = 0
    while node is not None and node.kind == "ref":
        seen += 1
        if seen > 64:  # loops through references alone are refused when a schema is stored
            raise ValueError(f"Circular $ref chain at {show(node.f['ref'])}.")
        target = node.doc.resolve(node.raw, node.f["word"])
        if target.dynamic:
            return Node("unsupported", node.doc, node.raw, construct=node.f["word"])
        node = build(node.doc.at(target), target.schema)
    return node


def build(doc: Document, raw: Any) -> Node:
    """Return the node for raw, building it once per document."""
    cached = doc.nodes.get(id(raw))
    if cached is not None and cached.raw is raw:
        return cached
    node = _build(doc, raw)
    doc.nodes[id(raw)] = node
    return node


def _build(doc: Document, raw: Any) -> Node:
    if raw is True or not isinstance(raw, dict):
        return Node("false" if raw is False else "empty", doc, raw)
    kw = doc.view(raw)
    word = next((w for w in doc.reference_words if isinstance(kw.get(w), str)), None)
    if word is not None and doc.draft < DRAFT2019:
        # Siblings of $ref are ignored before 2019-09.
        return Node("ref", doc, raw, ref=kw[word], word=word)
    parts = _type_parts(doc, raw) + _other_parts(doc, raw)
    if word is not None:
        parts.insert(0, Node("ref", doc, raw, ref=kw[word], word=word))
    if not parts:
        node = Node("empty", doc, raw)
    elif len(parts) == 1:
        node = parts[0]
    else:
        node = Node("combined", doc, raw, "allOf*", criterion="allOf", subs=parts, synthetic=True)
    node.meta = _meta(doc, raw)
    return node


def _meta(doc: Document, raw: dict) -> tuple:
    # 2019-09 and later use $id as a base URI only, which Confluent does not report.
    sid = None if doc.draft >= DRAFT2019 else raw.get("id" if doc.draft == DRAFT4 else "$id")
    return (sid, raw.get("title"), raw.get("description"), "default" in raw, raw.get("default"))


def _type_parts(doc: Document, raw: dict) -> list[Node]:
    kw = doc.view(raw)
    declared = kw.get("type")
    if isinstance(declared, str):
        return [_typed(doc, raw, declared)]
    if isinstance(declared, list):
        names = list(dict.fromkeys(t for t in declared if isinstance(t, str)))
        subs = [_typed(doc, raw, name) for name in names]
        return [Node("combined", doc, raw, "type*", criterion="anyOf", subs=subs, synthetic=True)]
    keys = kw.keys()
    if doc.draft >= DRAFT2019 and kw.get("properties") == {}:
        keys = keys - {"properties"}  # an empty `properties` constrains nothing
    return [_typed(doc, raw, kind) for kind, words in _SNIFF_ORDER if not words.isdisjoint(keys)]


def _other_parts(doc: Document, raw: dict) -> list[Node]:
    kw = doc.view(raw)
    parts = []
    for word in COMBINATORS:
        if isinstance(kw.get(word), list):
            parts.append(
                Node("combined", doc, raw, word, criterion=word, subs=kw[word], synthetic=False)
            )
    if "enum" in kw and isinstance(kw["enum"], list):
        parts.append(Node("enum", doc, raw, "enum", word="enum", values=kw["enum"]))
    if "const" in kw:
        parts.append(Node("enum", doc, raw, "const", word="const", values=[kw["const"]]))
    if "not" in kw:
        parts.append(Node("not", doc, raw, schema=kw["not"]))
    if "if" in kw:
        parts.append(
            Node(
                "conditional",
                doc,
                raw,
                cond=kw["if"],
                then=kw.get("then"),
                otherwise=kw.get("else"),
            )
        )
    return parts


def _typed(doc: Document, raw: dict, name: str) -> Node:
    kind = _TYPE_KINDS.get(name, "empty")
    tag = "type:" + name
    if kind == "number":
        return Node(kind, doc, raw, tag, integer=name == "integer", **_number_fields(doc.view(raw)))
    if kind == "string":
        return Node(kind, doc, raw, tag, **{k: doc.view(raw).get(k) for k in STRING_KEYS})
    if kind == "object":
        return Node(kind, doc, raw, tag, **_object_fields(doc, raw))
    if kind == "array":
        return Node(kind, doc, raw, tag, **_array_fields(doc, raw))
    return Node(kind, doc, raw, tag)


def _num(value: Any) -> int | float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _number_fields(raw: dict) -> dict:
    maximum, minimum = _num(raw.get("maximum")), _num(raw.get("minimum"))
    ex_max, ex_min = raw.get("exclusiveMaximum"), raw.get("exclusiveMinimum")
    # Draft-04 style: a boolean turns maximum/minimum into an exclusive limit.
    if isinstance(ex_max, bool):
        ex_max, maximum = (maximum, None) if ex_max else (None, maximum)
    if isinstance(ex_min, bool):
        ex_min, minimum = (minimum, None) if ex_min else (None, minimum)
    return {
        "maximum": maximum,
        "minimum": minimum,
        "exclusiveMaximum": _num(ex_max),
        "exclusiveMinimum": _num(ex_min),
        "multipleOf": _num(raw.get("multipleOf")),
    }


def _open_slot(value: Any) -> tuple[bool, Any]:
    """Split additionalX/unevaluatedX into (permits, schema-or-None)."""
    if value is None or value is True:
        return True, None
    if value is False:
        return False, None
    return True, value


def _object_fields(doc: Document, raw: dict) -> dict:
    kw = doc.view(raw)
    props = kw.get("properties")
    props = props if isinstance(props, dict) else {}
    patterns = kw.get("patternProperties")
    patterns = patterns if isinstance(patterns, dict) else {}
    required = kw.get("required")
    add_permits, add_schema = _open_slot(kw.get("additionalProperties"))
    un_permits, un_schema = _open_slot(kw.get("unevaluatedProperties"))
    prop_deps, schema_deps = {}, {}
    for word in ("dependencies", "dependentRequired", "dependentSchemas"):
        entries = kw.get(word)
        for name, value in entries.items() if isinstance(entries, dict) else ():
            if isinstance(value, list):
                prop_deps[name] = (word, value)
            elif isinstance(value, (dict, bool)):
                schema_deps[name] = (word, value)
    return {
        "properties": props,
        "patterns": patterns,
        "required": set(required) if isinstance(required, list) else set(),
        "add_present": "additionalProperties" in kw,
        "add_permits": add_permits,
        "add_schema": add_schema,
        "un_permits": un_permits,
        "un_schema": un_schema,
        "prop_deps": prop_deps,
        "schema_deps": schema_deps,
        "names": kw.get("propertyNames"),
        "maxProperties": _num(kw.get("maxProperties")),
        "minProperties": _num(kw.get("minProperties")),
    }


def _array_fields(doc: Document, raw: dict) -> dict:
    kw = doc.view(raw)
    items = kw.get("items")
    if doc.draft >= DRAFT2020:
        tuple_word, tuple_items = "prefixItems", kw.get("prefixItems")
        add_word, extra = "items", items if "prefixItems" in kw else None
        all_items = items if "prefixItems" not in kw else None
    else:
        tuple_word, tuple_items = "items", items if isinstance(items, list) else None
        add_word, extra = "additionalItems", kw.get("additionalItems")
        all_items = items if not isinstance(items, list) else None
    if isinstance(all_items, bool):
        # items: false forbids every element; items: true constrains nothing.
        if all_items is False:
            add_word, extra = "items", False
        all_items = None
    add_permits, add_schema = _open_slot(extra)
    un_permits, un_schema = _open_slot(kw.get("unevaluatedItems"))
    has_contains = "contains" in kw
    return {
        "all_items": all_items,
        "tuple_word": tuple_word,
        "tuple": tuple_items if isinstance(tuple_items, list) else [],
        "add_word": add_word,
        "add_present": extra is not None,
        "add_permits": add_permits,
        "add_schema": add_schema,
        "un_permits": un_permits,
        "un_schema": un_schema,
        "maxItems": _num(kw.get("maxItems")),
        "minItems": _num(kw.get("minItems")),
        "uniqueItems": kw.get("uniqueItems") is True,
        "contains": kw.get("contains"),
        "minContains": _num(kw.get("minContains")) if has_contains else None,
        "maxContains": _num(kw.get("maxContains")) if has_contains else None,
    }
