"""The `$ref` resolver, one family per rule (issue #10, item 2).

Every case is a schema of its own that ``SchemaDocument.checked`` must accept, the path of one
reference in it (as a validator reports it: ``$ref`` left out) with the real pointer of the
schema that reference names, and instances that validation must accept or refuse, each refusal
with the pointer into the schema's text where the failing keyword is. The JSON-Schema-Test-Suite
was only the inspiration; the inputs are this file's own.
"""

from __future__ import annotations

import copy
import json
import socket
from dataclasses import dataclass
from typing import Any

import pytest

from app.core.limits import Limits
from app.core.limits import configure as configure_limits
from app.core.pointers import split_pointer
from app.core.schema import InvalidSchema, SchemaDocument
from app.core.validation import validate_event

S04 = "http://json-schema.org/draft-04/schema#"
S06 = "http://json-schema.org/draft-06/schema#"
S07 = "http://json-schema.org/draft-07/schema#"
S19 = "https://json-schema.org/draft/2019-09/schema"
S20 = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class Case:
    """``ref``: the path of a reference (ending at the schema that holds it); ``target``: the
    real pointer of what it names; ``valid``: instances to accept; ``invalid``: (instance, the
    schema pointer one of its errors must name). ``word`` is the reference keyword, checked with
    ``resolve`` too when ``ref`` is the holder's literal pointer (None: a dynamic reference whose
    target depends on the path taken to it, so only ``locate`` knows it)."""

    name: str
    schema: Any
    ref: str
    target: str
    valid: tuple[Any, ...] = ()
    invalid: tuple[tuple[Any, str], ...] = ()
    word: str | None = "$ref"


def at(document: Any, pointer: str) -> Any:
    node = document
    for token in split_pointer(pointer):
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def check(case: Case) -> None:
    document = SchemaDocument.checked(copy.deepcopy(case.schema))
    where = document.locate(case.ref, into_refs=True)
    assert (where.pointer, where.found) == (case.target, True)
    if case.word is not None:
        assert document.resolve(at(document.raw, case.ref), case.word).pointer == case.target
    for instance in case.valid:
        assert validate_event(document, instance) == [], instance
    for instance, schema_path in case.invalid:
        errors = validate_event(document, instance)
        assert schema_path in [error.schema_path for error in errors], (instance, errors)


def cases(*found: Case) -> Any:
    return pytest.mark.parametrize("case", found, ids=[case.name for case in found])


def refused(schema: Any) -> list[tuple[str, str]]:
    with pytest.raises(InvalidSchema) as caught:
        SchemaDocument.checked(schema)
    return [(problem.pointer, problem.message) for problem in caught.value.problems]


# --- $id base URIs: absolute, relative, with a trailing '#' --------------------------------

ORDER = {
    "$id": "http://example.com/schemas/order.json",
    "definitions": {"money": {"type": "number", "minimum": 0}},
    "properties": {
        "total": {"$ref": "#/definitions/money"},
        "tax": {"$ref": "order.json#/definitions/money"},
        "fee": {"$ref": "http://example.com/schemas/order.json#/definitions/money"},
    },
}
SKU = {
    "$schema": S20,
    "$id": "schemas/order.json",
    "$defs": {"sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]+$"}},
    "properties": {"sku": {"$ref": "order.json#/$defs/sku"}, "alt": {"$ref": "#/$defs/sku"}},
}
NESTED_BASES = {
    "$schema": S20,
    "$id": "https://example.com/a/root.json",
    "$defs": {
        "b": {
            "$id": "https://example.com/b/",
            "$defs": {"leaf": {"$id": "leaf.json", "type": "integer"}},
            "properties": {"z": {"$ref": "leaf.json"}},
        }
    },
    "properties": {
        "x": {"$ref": "../b/leaf.json"},
        "y": {"$ref": "https://example.com/b/leaf.json"},
        "w": {"$ref": "https://example.com/b/"},
    },
}


def trailing_hash(draft: str) -> dict:
    word = "id" if draft == S04 else "$id"
    return {
        "$schema": draft,
        word: "http://example.com/root.json#",
        "definitions": {"n": {"type": "integer"}},
        "properties": {
            "a": {"$ref": "http://example.com/root.json#/definitions/n"},
            "b": {"$ref": "root.json#/definitions/n"},
            "c": {"$ref": "#/definitions/n"},
        },
    }


@cases(
    Case(
        "absolute id, fragment ref",
        ORDER,
        "/properties/total",
        "/definitions/money",
        ({"total": 0, "tax": 1.5, "fee": 2},),
        (({"total": -1}, "/definitions/money/minimum"),),
    ),
    Case(
        "absolute id, relative ref to itself",
        ORDER,
        "/properties/tax",
        "/definitions/money",
        ({"tax": 3},),
        (({"tax": "3"}, "/definitions/money/type"),),
    ),
    Case(
        "absolute id, absolute ref to itself",
        ORDER,
        "/properties/fee",
        "/definitions/money",
        ({"fee": 0.5},),
        (({"fee": -0.5}, "/definitions/money/minimum"),),
    ),
    Case(
        "relative id, relative ref",
        SKU,
        "/properties/sku",
        "/$defs/sku",
        ({"sku": "ABC-12", "alt": "XYZ-1"},),
        (({"sku": "abc-12"}, "/$defs/sku/pattern"), ({"alt": 12}, "/$defs/sku/type")),
    ),
    *(
        Case(
            f"id with a trailing '#' ({draft}, {ref})",
            trailing_hash(draft),
            f"/properties/{ref}",
            "/definitions/n",
            ({"a": 1, "b": 2, "c": 3},),
            (({ref: "one"}, "/definitions/n/type"),),
        )
        for draft in (S04, S06, S07, S19, S20)
        for ref in ("a", "b", "c")
    ),
    Case(
        "a relative ref against an embedded resource's base",
        NESTED_BASES,
        "/properties/x",
        "/$defs/b/$defs/leaf",
        ({"x": 1, "y": 2, "w": {"z": 3}},),
        (({"x": "1"}, "/$defs/b/$defs/leaf/type"),),
    ),
    Case(
        "an absolute ref to a resource embedded in an embedded resource",
        NESTED_BASES,
        "/properties/y",
        "/$defs/b/$defs/leaf",
        ({"y": -4},),
        (({"y": 4.5}, "/$defs/b/$defs/leaf/type"),),
    ),
    Case(
        "a ref inside an embedded resource resolves against its $id",
        NESTED_BASES,
        "/properties/w/properties/z",
        "/$defs/b/$defs/leaf",
        ({"w": {"z": 7}},),
        (({"w": {"z": "7"}}, "/$defs/b/$defs/leaf/type"),),
        word=None,
    ),
)
def test_id_base_uris(case):
    check(case)


def test_a_relative_ref_resolves_against_the_base_where_it_stands():
    # "leaf.json" names https://example.com/b/leaf.json inside b, but a/leaf.json at the root.
    at_root = {**NESTED_BASES, "properties": {"x": {"$ref": "leaf.json"}}}
    [(pointer, message)] = refused(at_root)
    assert pointer == "/properties/x/$ref"
    assert '"leaf.json"' in message


# --- embedded schema resources in $defs / definitions ---------------------------------------


def shadowed(draft: str, defs: str, id_word: str = "$id") -> dict:
    # The root's "n" is a string; the embedded resource's own "n" is an integer: a fragment
    # $ref inside the resource means the resource's one.
    return {
        "$schema": draft,
        defs: {
            "n": {"type": "string"},
            "item": {
                id_word: "http://example.test/item",
                defs: {"n": {"type": "integer"}},
                "properties": {"v": {"$ref": f"#/{defs}/n"}},
            },
        },
        "properties": {"x": {"$ref": "http://example.test/item"}},
    }


@cases(
    *(
        Case(
            f"a fragment ref inside a resource means that resource ({draft})",
            shadowed(draft, defs, id_word),
            f"/{defs}/item/properties/v",
            f"/{defs}/item/{defs}/n",
            ({"x": {"v": 1}}, {"x": {}}),
            (({"x": {"v": "one"}}, f"/{defs}/item/{defs}/n/type"),),
        )
        for draft, defs, id_word in (
            (S04, "definitions", "id"),
            (S06, "definitions", "$id"),
            (S07, "definitions", "$id"),
            (S19, "$defs", "$id"),
            (S20, "$defs", "$id"),
        )
    ),
    Case(
        "the same, reached through the ref to the resource",
        shadowed(S20, "$defs"),
        "/properties/x/properties/v",
        "/$defs/item/$defs/n",
        ({"x": {"v": 2}},),
        (({"x": {"v": "two"}}, "/$defs/item/$defs/n/type"),),
        word=None,
    ),
    Case(
        "a relative ref naming an embedded $id is local",
        {
            "$schema": S20,
            "$id": "https://example.com/order.json",
            "$defs": {"addr": {"$id": "address.json", "type": "object", "required": ["city"]}},
            "properties": {"ship": {"$ref": "address.json"}},
        },
        "/properties/ship",
        "/$defs/addr",
        ({"ship": {"city": "Oslo"}},),
        (({"ship": {}}, "/$defs/addr/required"), ({"ship": []}, "/$defs/addr/type")),
    ),
    Case(
        "an embedded relative $id under a root without $id (2020-12)",
        {
            "$schema": S20,
            "$defs": {"item": {"$id": "item.json", "type": "integer"}},
            "properties": {"x": {"$ref": "item.json"}},
        },
        "/properties/x",
        "/$defs/item",
        ({"x": 1},),
        (({"x": "1"}, "/$defs/item/type"),),
    ),
    Case(
        "an embedded relative $id under a root without $id (draft-07 default)",
        {
            "definitions": {"item": {"$id": "item.json", "type": "integer"}},
            "properties": {"x": {"$ref": "item.json"}},
        },
        "/properties/x",
        "/definitions/item",
        ({"x": 1},),
        (({"x": True}, "/definitions/item/type"),),
    ),
    Case(
        "a pointer into a resource takes that resource's base",
        {
            "$schema": S20,
            "$id": "https://example.test/root",
            "$defs": {
                "n": {"type": "string"},
                "item": {
                    "$id": "item",
                    "$defs": {"n": {"type": "integer"}},
                    "properties": {"v": {"$ref": "#/$defs/n"}},
                },
            },
            "properties": {"x": {"$ref": "#/$defs/item"}},
        },
        "/properties/x/properties/v",
        "/$defs/item/$defs/n",
        ({"x": {"v": 1}},),
        (({"x": {"v": "s"}}, "/$defs/item/$defs/n/type"),),
        word=None,
    ),
)
def test_embedded_resources(case):
    check(case)


# --- $anchor, legacy "$id": "#name" and draft-04 "id": "#name" ------------------------------


def anchored(draft: str, defs: str, declaration: dict) -> dict:
    return {
        "$schema": draft,
        defs: {"n": {**declaration, "type": "integer", "minimum": 1}},
        "properties": {"x": {"$ref": "#num"}},
    }


@cases(
    *(
        Case(
            f"{next(iter(declaration))} in {draft}",
            anchored(draft, defs, declaration),
            "/properties/x",
            f"/{defs}/n",
            ({"x": 1}, {}),
            (({"x": 0}, f"/{defs}/n/minimum"), ({"x": "1"}, f"/{defs}/n/type")),
        )
        for draft, defs, declaration in (
            (S20, "$defs", {"$anchor": "num"}),
            (S19, "$defs", {"$anchor": "num"}),
            (S07, "definitions", {"$id": "#num"}),
            (S06, "definitions", {"$id": "#num"}),
            (S04, "definitions", {"id": "#num"}),
        )
    ),
    Case(
        "legacy #name under the draft-07 default",
        {
            "definitions": {"n": {"$id": "#num", "type": "integer"}},
            "properties": {"x": {"$ref": "#num"}},
        },
        "/properties/x",
        "/definitions/n",
        ({"x": 5},),
        (({"x": 5.5}, "/definitions/n/type"),),
    ),
    Case(
        "an anchor inside an embedded resource",
        {
            "$schema": S20,
            "$id": "http://example.test/root",
            "$defs": {
                "item": {"$id": "item", "$defs": {"n": {"$anchor": "num", "type": "integer"}}}
            },
            "properties": {"x": {"$ref": "item#num"}},
        },
        "/properties/x",
        "/$defs/item/$defs/n",
        ({"x": 1},),
        (({"x": "s"}, "/$defs/item/$defs/n/type"),),
    ),
    Case(
        "the root's anchor named from inside an embedded resource",
        {
            "$schema": S20,
            "$id": "http://example.test/root",
            "$defs": {
                "n": {"$anchor": "num", "type": "integer"},
                "item": {"$id": "item", "properties": {"y": {"$ref": "root#num"}}},
            },
            "properties": {"x": {"$ref": "item"}},
        },
        "/$defs/item/properties/y",
        "/$defs/n",
        ({"x": {"y": 1}},),
        (({"x": {"y": "s"}}, "/$defs/n/type"),),
    ),
    Case(
        "a legacy anchor inside an embedded draft-07 resource",
        {
            "$schema": S07,
            "definitions": {
                "item": {
                    "$id": "http://example.test/item.json",
                    "definitions": {"n": {"$id": "#num", "type": "integer"}},
                }
            },
            "properties": {"x": {"$ref": "http://example.test/item.json#num"}},
        },
        "/properties/x",
        "/definitions/item/definitions/n",
        ({"x": 1},),
        (({"x": "s"}, "/definitions/item/definitions/n/type"),),
    ),
)
def test_anchors(case):
    check(case)


@pytest.mark.parametrize(
    ("schema", "pointer"),
    [
        # An anchor belongs to its resource: "#num" inside "item" is item#num, which is absent.
        (
            {
                "$schema": S20,
                "$id": "http://example.test/root",
                "$defs": {
                    "n": {"$anchor": "num", "type": "integer"},
                    "item": {"$id": "item", "properties": {"y": {"$ref": "#num"}}},
                },
                "properties": {"x": {"$ref": "item"}},
            },
            "/$defs/item/properties/y/$ref",
        ),
        # $anchor is no keyword of draft-07: it declares nothing there.
        (
            {
                "definitions": {"n": {"$anchor": "num", "type": "integer"}},
                "properties": {"x": {"$ref": "#num"}},
            },
            "/properties/x/$ref",
        ),
        ({"$schema": S20, "properties": {"x": {"$ref": "#nope"}}}, "/properties/x/$ref"),
    ],
    ids=["outside its resource", "$anchor under draft-07", "no such anchor"],
)
def test_an_anchor_nobody_declares_is_refused(schema, pointer):
    [(where, message)] = refused(schema)
    assert where == pointer
    assert "anchor" in message


# --- $dynamicRef / $dynamicAnchor (2020-12), $recursiveRef / $recursiveAnchor (2019-09) -----

GENERIC_LIST = {
    "$schema": S20,
    "$id": "https://example.com/strings",
    "$defs": {
        "list": {
            "$id": "list",
            "type": "array",
            "items": {"$dynamicRef": "#T"},
            "$defs": {"default": {"$dynamicAnchor": "T"}},
        },
        "string": {"$dynamicAnchor": "T", "type": "string"},
    },
    "$ref": "list",
}
# Two generic lists in one document: the item type depends on the way in (if/then/else).
TWO_LISTS = {
    "$schema": S20,
    "$id": "https://example.test/main",
    "if": {"required": ["n"]},
    "then": {"$ref": "numbers"},
    "else": {"$ref": "strings"},
    "$defs": {
        "list": {
            "$id": "list",
            "type": "array",
            "items": {"$dynamicRef": "#T"},
            "$defs": {"default": {"$dynamicAnchor": "T"}},
        },
        "numbers": {
            "$id": "numbers",
            "properties": {"n": {"$ref": "list"}},
            "$defs": {"T": {"$dynamicAnchor": "T", "type": "number"}},
        },
        "strings": {
            "$id": "strings",
            "properties": {"s": {"$ref": "list"}},
            "$defs": {"T": {"$dynamicAnchor": "T", "type": "string"}},
        },
    },
}
DYNAMIC_TREE = {
    "$schema": S20,
    "$dynamicAnchor": "node",
    "type": "object",
    "properties": {
        "value": {"type": "integer"},
        "children": {"type": "array", "items": {"$dynamicRef": "#node"}},
    },
}
RECURSIVE_TREE = {
    "$schema": S19,
    "$id": "https://example.com/tree",
    "$recursiveAnchor": True,
    "type": "object",
    "properties": {
        "value": {"type": "integer"},
        "children": {"type": "array", "items": {"$recursiveRef": "#"}},
    },
}
# The 2019-09 extension pattern: a strict tree that reuses the tree and closes every node.
STRICT_TREE = {
    "$schema": S19,
    "$id": "https://example.com/strict-tree",
    "$recursiveAnchor": True,
    "$defs": {
        "tree": {
            "$id": "tree",
            "$recursiveAnchor": True,
            "type": "object",
            "properties": {"kids": {"type": "array", "items": {"$recursiveRef": "#"}}},
        }
    },
    "$ref": "tree",
    "unevaluatedProperties": False,
}


@cases(
    Case(
        "generic list of strings",
        GENERIC_LIST,
        "/$defs/list/items",
        "/$defs/string",
        (["a", "b"], []),
        ((["a", 1], "/$defs/string/type"), ("a", "/$defs/list/type")),
        word="$dynamicRef",
    ),
    Case(
        "generic list, reached through the root's $ref",
        GENERIC_LIST,
        "/items/$dynamicRef",
        "/$defs/string",
        (["x"],),
        ((["x", None], "/$defs/string/type"),),
        word=None,
    ),
    Case(
        "two lists: numbers by the then-branch",
        TWO_LISTS,
        "/then/properties/n/items",
        "/$defs/numbers/$defs/T",
        ({"n": [1, 2.5]},),
        (({"n": [1, "2"]}, "/$defs/numbers/$defs/T/type"),),
        word=None,
    ),
    Case(
        "two lists: strings by the else-branch",
        TWO_LISTS,
        "/else/properties/s/items",
        "/$defs/strings/$defs/T",
        ({"s": ["a"]}, {}),
        (({"s": ["a", 2]}, "/$defs/strings/$defs/T/type"),),
        word=None,
    ),
    Case(
        "a tree through its root's dynamic anchor",
        DYNAMIC_TREE,
        "/properties/children/items",
        "",
        ({"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}]},),
        (({"children": [{"children": [{"value": "3"}]}]}, "/properties/value/type"),),
        word="$dynamicRef",
    ),
    Case(
        "a $dynamicRef without a matching $dynamicAnchor is a plain $ref",
        {
            "$schema": S20,
            "$defs": {"a": {"$anchor": "a", "type": "integer"}},
            "properties": {"x": {"$dynamicRef": "#a"}},
        },
        "/properties/x",
        "/$defs/a",
        ({"x": 1},),
        (({"x": "1"}, "/$defs/a/type"),),
        word="$dynamicRef",
    ),
    Case(
        "$recursiveRef in a tree",
        RECURSIVE_TREE,
        "/properties/children/items",
        "",
        ({"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}]},),
        (({"children": [{"children": [{"value": 3.5}]}]}, "/properties/value/type"),),
        word="$recursiveRef",
    ),
    Case(
        "$recursiveRef extended: the strict tree closes every node",
        STRICT_TREE,
        "/properties/kids/items",
        "",
        ({"kids": [{"kids": []}]},),
        (({"kids": [{"extra": 1}]}, "/unevaluatedProperties"),),
        word=None,
    ),
    Case(
        "$recursiveRef without $recursiveAnchor in its resource is a ref to that resource",
        {
            "$schema": S19,
            "$id": "https://example.com/outer",
            "$recursiveAnchor": True,
            "$defs": {
                "tree": {
                    "$id": "tree",
                    "type": "object",
                    "properties": {
                        "n": {"type": "integer"},
                        "kids": {"items": {"$recursiveRef": "#"}},
                    },
                }
            },
            "$ref": "tree",
        },
        "/$defs/tree/properties/kids/items",
        "/$defs/tree",
        ({"kids": [{"n": 1}]},),
        (({"kids": [{"n": "1"}]}, "/$defs/tree/properties/n/type"),),
        word="$recursiveRef",
    ),
)
def test_dynamic_references(case):
    check(case)


# --- URN bases ------------------------------------------------------------------------------

UUID = "urn:uuid:deadbeef-1234-ffff-ffff-4321feebdaed"
MONEY = {
    "$schema": S20,
    "$id": "urn:example:root",
    "$defs": {
        "m": {
            "$id": "urn:example:money",
            "$defs": {"cur": {"enum": ["EUR", "USD"]}},
            "properties": {"currency": {"$ref": "#/$defs/cur"}},
        }
    },
    "properties": {
        "price": {"$ref": "urn:example:money"},
        "cur": {"$ref": "urn:example:money#/$defs/cur"},
    },
}


@cases(
    Case(
        "urn:uuid with a pointer",
        {
            "$schema": S20,
            "$id": UUID,
            "$defs": {"bar": {"type": "string"}},
            "properties": {"a": {"$ref": f"{UUID}#/$defs/bar"}, "b": {"$ref": "#/$defs/bar"}},
        },
        "/properties/a",
        "/$defs/bar",
        ({"a": "x", "b": "y"},),
        (({"a": 1}, "/$defs/bar/type"), ({"b": 1}, "/$defs/bar/type")),
    ),
    Case(
        "urn:example with an anchor",
        {
            "$schema": S20,
            "$id": "urn:example:order",
            "$defs": {"money": {"$anchor": "money", "type": "number"}},
            "properties": {"total": {"$ref": "urn:example:order#money"}},
        },
        "/properties/total",
        "/$defs/money",
        ({"total": 9.99},),
        (({"total": "9.99"}, "/$defs/money/type"),),
    ),
    Case(
        "an embedded urn resource",
        MONEY,
        "/properties/price",
        "/$defs/m",
        ({"price": {"currency": "EUR"}},),
        (({"price": {"currency": "GBP"}}, "/$defs/m/$defs/cur/enum"),),
    ),
    Case(
        "a pointer into an embedded urn resource",
        MONEY,
        "/properties/cur",
        "/$defs/m/$defs/cur",
        ({"cur": "USD"},),
        (({"cur": "GBP"}, "/$defs/m/$defs/cur/enum"),),
    ),
    Case(
        "an anchor at an embedded urn resource's root",
        {
            "$schema": S20,
            "$defs": {"m": {"$id": "urn:example:m", "$anchor": "top", "type": "integer"}},
            "properties": {"x": {"$ref": "urn:example:m#top"}},
        },
        "/properties/x",
        "/$defs/m",
        ({"x": 1},),
        (({"x": "s"}, "/$defs/m/type"),),
    ),
    Case(
        "a urn base with a legacy anchor (draft-07 default)",
        {
            "$id": "urn:example:legacy",
            "definitions": {"n": {"$id": "#num", "type": "integer"}},
            "properties": {"x": {"$ref": "urn:example:legacy#num"}},
        },
        "/properties/x",
        "/definitions/n",
        ({"x": 1},),
        (({"x": "s"}, "/definitions/n/type"),),
    ),
    Case(
        "a urn base with a pointer (draft-04)",
        {
            "$schema": S04,
            "id": "urn:example:d4",
            "definitions": {"n": {"id": "#num", "type": "integer"}},
            "properties": {"y": {"$ref": "urn:example:d4#/definitions/n"}},
        },
        "/properties/y",
        "/definitions/n",
        ({"y": 1},),
        (({"y": "s"}, "/definitions/n/type"),),
    ),
)
def test_urn_bases(case):
    check(case)


# --- percent-encoded pointers, ~0 and ~1 ----------------------------------------------------


def named(draft: str | None, defs: str, key: str, ref: str) -> dict:
    schema = {defs: {key: {"type": "integer"}}, "properties": {"x": {"$ref": ref}}}
    return {"$schema": draft, **schema} if draft else schema


@cases(
    Case("%25 is %", named(S20, "$defs", "a%b", "#/$defs/a%25b"), "/properties/x", "/$defs/a%b"),
    Case(
        "%20 is a space", named(S20, "$defs", "a b", "#/$defs/a%20b"), "/properties/x", "/$defs/a b"
    ),
    Case("~1 is /", named(S20, "$defs", "a/b", "#/$defs/a~1b"), "/properties/x", "/$defs/a~1b"),
    Case("~0 is ~", named(S20, "$defs", "a~b", "#/$defs/a~0b"), "/properties/x", "/$defs/a~0b"),
    Case(
        "%2525 is a literal %25",
        named(S19, "$defs", "a%25b", "#/$defs/a%2525b"),
        "/properties/x",
        "/$defs/a%25b",
    ),
    Case(
        "all at once (draft-07 default)",
        named(None, "definitions", '~/% "', "#/definitions/~0~1%25%20%22"),
        "/properties/x",
        '/definitions/~0~1% "',
    ),
    Case(
        "all at once (draft-04)",
        named(S04, "definitions", "t~i/l%de", "#/definitions/t~0i~1l%25de"),
        "/properties/x",
        "/definitions/t~0i~1l%de",
    ),
)
def test_percent_encoded_and_escaped_pointers(case):
    check(
        Case(
            case.name,
            case.schema,
            case.ref,
            case.target,
            ({"x": 1},),
            (({"x": "1"}, f"{case.target}/type"),),
        )
    )


def test_escaped_property_names_on_both_sides():
    check(
        Case(
            "a ref to an escaped property name, from one",
            {
                "$schema": S20,
                "properties": {"a/b": {"type": "integer"}, "c~d": {"$ref": "#/properties/a~1b"}},
            },
            "/properties/c~0d",
            "/properties/a~1b",
            ({"a/b": 1, "c~d": 2},),
            (({"c~d": "2"}, "/properties/a~1b/type"), ({"a/b": "1"}, "/properties/a~1b/type")),
        )
    )


# --- keywords beside $ref: ignored in draft-04/06/07, applied from 2019-09 ------------------


def beside(draft: str | None) -> dict:
    schema = {
        "definitions": {"s": {"type": "string"}},
        "properties": {"name": {"$ref": "#/definitions/s", "maxLength": 1}},
    }
    return {"$schema": draft, **schema} if draft else schema


@pytest.mark.parametrize("draft", [S04, S06, S07, None], ids=["04", "06", "07", "default"])
def test_keywords_beside_ref_are_ignored_before_2019(draft):
    document = SchemaDocument.checked(beside(draft))
    holder = document.raw["properties"]["name"]
    assert document.resolve(holder).pointer == "/definitions/s"
    assert validate_event(document, {"name": "much longer than one"}) == []
    [error] = validate_event(document, {"name": 5})
    assert (error.schema_path, error.refs) == ("/definitions/s/type", ("/properties/name/$ref",))


def test_siblings_of_ref_never_name_the_place_before_2019():
    # The sibling "properties" is ignored, so the error is the target's, and says so.
    schema = {
        "$ref": "#/definitions/base",
        "properties": {"a": {"type": "integer"}},
        "definitions": {"base": {"properties": {"a": {"type": "string"}}}},
    }
    document = SchemaDocument.checked(schema)
    [error] = validate_event(document, {"a": 1})
    assert error.schema_path == "/definitions/base/properties/a/type"
    assert validate_event(document, {"a": "one"}) == []


@pytest.mark.parametrize("draft", [S19, S20])
def test_keywords_beside_ref_apply_from_2019(draft):
    document = SchemaDocument.checked(beside(draft))
    holder = document.raw["properties"]["name"]
    assert document.resolve(holder).pointer == "/definitions/s"
    [error] = validate_event(document, {"name": "ab"})
    assert error.schema_path == "/properties/name/maxLength"
    assert validate_event(document, {"name": "a"}) == []
    [error] = validate_event(document, {"name": 5})
    assert error.schema_path == "/definitions/s/type"


@pytest.mark.parametrize("draft", [S19, S20])
def test_properties_beside_ref_and_in_its_target_are_both_found(draft):
    schema = {
        "$schema": draft,
        "$ref": "#/$defs/base",
        "properties": {"b": {"type": "integer"}},
        "$defs": {"base": {"properties": {"a": {"type": "string"}}}},
    }
    document = SchemaDocument.checked(schema)
    errors = validate_event(document, {"a": 1, "b": "2"})
    assert [(e.path, e.schema_path) for e in errors] == [
        ("/a", "/$defs/base/properties/a/type"),
        ("/b", "/properties/b/type"),
    ]


def test_a_property_named_ref_is_a_property():
    schema = {
        "definitions": {"is-string": {"type": "string"}},
        "properties": {"$ref": {"$ref": "#/definitions/is-string"}, "plain": {"type": "integer"}},
    }
    document = SchemaDocument.checked(schema)
    where = document.locate("/properties/$ref", into_refs=True)
    assert (where.pointer, where.refs) == ("/definitions/is-string", ("/properties/$ref/$ref",))
    [error] = validate_event(document, {"$ref": 1})
    assert error.schema_path == "/definitions/is-string/type"
    plain = SchemaDocument.checked({"properties": {"$ref": {"type": "string"}}})
    [error] = validate_event(plain, {"$ref": 1})
    assert error.schema_path == "/properties/$ref/type"


# --- $ref to a draft's meta-schema: local, no network ---------------------------------------

META = [
    # (the draft's meta-schema URI, the resource where "type" is checked)
    ("http://json-schema.org/draft-04/schema", "http://json-schema.org/draft-04/schema"),
    ("http://json-schema.org/draft-06/schema", "http://json-schema.org/draft-06/schema"),
    ("http://json-schema.org/draft-07/schema", "http://json-schema.org/draft-07/schema"),
    (
        "https://json-schema.org/draft/2019-09/schema",
        "https://json-schema.org/draft/2019-09/meta/validation",
    ),
    (
        "https://json-schema.org/draft/2020-12/schema",
        "https://json-schema.org/draft/2020-12/meta/validation",
    ),
]


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the resolver tried the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize("hash_", ["", "#"], ids=["bare", "with #"])
@pytest.mark.parametrize("own", [None, S20], ids=["default", "2020-12"])
@pytest.mark.parametrize(("uri", "checked_in"), META, ids=[m[0].split("/")[-2] for m in META])
def test_a_ref_to_a_meta_schema_is_local(uri, checked_in, own, hash_):
    schema = {"properties": {"schema": {"$ref": uri + hash_}}}
    document = SchemaDocument.checked({"$schema": own, **schema} if own else schema)
    where = document.locate("/properties/schema", into_refs=True)
    assert (where.pointer, where.refs) == (f"{uri}#", ("/properties/schema/$ref",))
    good = {"type": "object", "properties": {"id": {"type": "string", "minLength": 1}}}
    assert validate_event(document, {"schema": good}) == []
    booleans = not uri.endswith("draft-04/schema")  # draft-04 has no boolean schemas
    assert (validate_event(document, {"schema": True}) == []) is booleans
    [error] = validate_event(document, {"schema": {"type": 12}})
    assert error.path == "/schema/type"
    assert error.schema_path == f"{checked_in}#/properties/type/anyOf"
    assert validate_event(document, {"schema": {"minLength": -1}})


def test_each_meta_schema_is_its_own_draft():
    # Booleans beside minimum are draft-04's exclusiveMinimum; prefixItems is 2020-12's.
    def answers(uri: str, instance: Any) -> bool:
        document = SchemaDocument.checked({"properties": {"s": {"$ref": uri}}})
        return not validate_event(document, {"s": instance})

    draft4 = {"minimum": 0, "exclusiveMinimum": True}
    assert answers(S04, draft4)
    assert not answers(S07, draft4)
    assert not answers(S20, {"prefixItems": 5})
    assert answers(S07, {"prefixItems": 5})  # an unknown keyword to draft-07
    assert not answers(S04, True)  # draft-04 has no boolean schemas


# --- anything else remote is refused at the $ref keyword ------------------------------------


@pytest.mark.parametrize(
    "ref",
    [
        "http://example.com/other.json",
        "other.json",
        "https://example.com/schemas/money.json#/$defs/amount",
        "urn:example:missing",
        "file:///etc/passwd",
        "https://json-schema.org/draft/2020-12/meta/nope",
        "http://json-schema.org/draft-07/schema#/definitions/nope",
        "#/definitions/missing",
    ],
)
@pytest.mark.parametrize("draft", [None, S20], ids=["default", "2020-12"])
def test_anything_else_is_refused_with_the_ref_named(ref, draft, no_network):
    schema = {"properties": {"a": {"type": "string"}, "b": {"allOf": [{}, {"$ref": ref}]}}}
    [(pointer, message)] = refused({"$schema": draft, **schema} if draft else schema)
    assert pointer == "/properties/b/allOf/1/$ref"
    assert json.dumps(ref) in message
    assert "does not resolve" in message


def test_every_unresolvable_reference_is_a_problem_of_its_own():
    schema = {
        "$schema": S20,
        "properties": {
            "a": {"$ref": "https://example.com/a.json"},
            "b": {"items": {"$dynamicRef": "https://example.com/b.json#T"}},
        },
    }
    problems = refused(schema)
    assert [pointer for pointer, _ in problems] == [
        "/properties/a/$ref",
        "/properties/b/items/$dynamicRef",
    ]
    assert '"https://example.com/a.json"' in problems[0][1]
    assert "never fetches remote references" in problems[0][1]
    assert '"https://example.com/b.json#T"' in problems[1][1]


# --- loops that read nothing are refused; recursion into the value is accepted --------------

LOOP = "leads back to itself without reading any part of the value"


@pytest.mark.parametrize(
    ("schema", "pointer"),
    [
        ({"$ref": "#"}, "/$ref"),
        ({"$schema": S20, "$ref": "#"}, "/$ref"),
        (
            {
                "definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}},
                "properties": {"x": {"$ref": "#/definitions/a"}},
            },
            "/definitions/a/$ref",
        ),
        (
            {
                "$schema": S20,
                "$defs": {
                    "a": {"allOf": [{"$ref": "#/$defs/b"}]},
                    "b": {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/a"}]},
                },
                "$ref": "#/$defs/a",
            },
            "/$defs/a/allOf/0/$ref",
        ),
        ({"$schema": S20, "type": "object", "allOf": [{"$ref": "#"}]}, "/allOf/0/$ref"),
        ({"$schema": S20, "not": {"$ref": "#"}}, "/not/$ref"),
        ({"if": {"$ref": "#"}, "then": {"type": "string"}}, "/if/$ref"),
        ({"$schema": S20, "$dynamicAnchor": "x", "oneOf": [{"$dynamicRef": "#x"}]}, None),
        ({"$schema": S19, "$recursiveAnchor": True, "anyOf": [{"$recursiveRef": "#"}]}, None),
        (
            {
                "$schema": S20,
                "$id": "urn:example:loop",
                "$defs": {"a": {"$id": "urn:example:a", "$ref": "urn:example:loop"}},
                "allOf": [{"$ref": "urn:example:a"}],
            },
            "/allOf/0/$ref",
        ),
        (
            {
                "$schema": S04,
                "definitions": {"a": {"$ref": "#/definitions/a"}},
                "properties": {"x": {"$ref": "#/definitions/a"}},
            },
            "/definitions/a/$ref",
        ),
    ],
)
def test_a_loop_that_reads_nothing_is_refused(schema, pointer):
    problems = refused(schema)
    assert all(LOOP in message for _, message in problems)
    if pointer is not None:
        assert pointer in [where for where, _ in problems]


@pytest.mark.parametrize(
    ("schema", "valid", "invalid"),
    [
        (
            {
                "type": "object",
                "properties": {"value": {"type": "integer"}, "next": {"$ref": "#"}},
            },
            {"value": 1, "next": {"value": 2, "next": {"value": 3}}},
            ({"value": 1, "next": {"next": {"value": "3"}}}, "/properties/value/type"),
        ),
        (
            {"$schema": S20, "type": "object", "additionalProperties": {"$ref": "#"}},
            {"a": {"b": {"c": {}}}},
            ({"a": {"b": 1}}, "/type"),
        ),
        (
            {
                "$schema": S20,
                "$defs": {
                    "node": {
                        "type": "object",
                        "properties": {
                            "n": {"type": "integer"},
                            "kids": {"type": "array", "items": {"$ref": "#/$defs/node"}},
                        },
                    }
                },
                "$ref": "#/$defs/node",
            },
            {"n": 1, "kids": [{"n": 2, "kids": []}]},
            ({"kids": [{"kids": [{"n": "x"}]}]}, "/$defs/node/properties/n/type"),
        ),
        (
            {
                "$schema": S20,
                "anyOf": [
                    {"type": "null"},
                    {"type": "object", "properties": {"next": {"$ref": "#"}}},
                ],
            },
            {"next": {"next": None}},
            ({"next": {"next": 3}}, "/anyOf"),
        ),
        (
            {
                "$schema": S04,
                "id": "http://example.com/list.json",
                "type": "array",
                "items": {"anyOf": [{"type": "integer"}, {"$ref": "list.json"}]},
            },
            [1, [2, [3]]],
            ([1, [2, ["x"]]], "/items/anyOf"),
        ),
    ],
    ids=["linked list", "additionalProperties", "tree in $defs", "nullable list", "draft-04"],
)
def test_recursion_into_the_value_is_accepted(schema, valid, invalid):
    document = SchemaDocument.checked(schema)
    assert validate_event(document, valid) == []
    instance, schema_path = invalid
    assert schema_path in [error.schema_path for error in validate_event(document, instance)]


def test_deep_recursion_validates_and_locates():
    # Deeper than EVENTRY_MAX_EVENT_DEPTH allows by default (64): a registry may raise it.
    configure_limits(Limits(max_event_depth=200))
    document = SchemaDocument.checked(
        {"type": "object", "properties": {"v": {"type": "integer"}, "next": {"$ref": "#"}}}
    )
    event: dict = {"v": "bottom"}
    for _ in range(150):
        event = {"v": 1, "next": event}
    [error] = validate_event(document, event)
    assert error.path == "/next" * 150 + "/v"
    assert error.schema_path == "/properties/v/type"
    assert len(error.refs) == 150
