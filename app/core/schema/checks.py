"""The checks a new schema passes before it is stored: its dialect's meta-schema, references
that resolve inside it (or into the schemas it references), and no reference loop that could
never read a value, within it or through the schemas it references."""

from __future__ import annotations

import contextlib
from typing import Any

import jsonschema_rs
from jsonschema_specifications import REGISTRY as META_SCHEMAS

from app.core import limits
from app.core.formats import is_ecma_regex
from app.core.pointers import escape, to_pointer
from app.core.schema.dialects import Dialect
from app.core.schema.messages import message_of, show
from app.core.schema.problems import SchemaProblem
from app.core.schema.regex import not_ecma
from app.core.schema.resolver import Resolver, UnresolvableReference

# Keywords that apply a sub-schema to the same value: a reference cycle through only these
# never reads any part of the value, so no event could ever be validated against it.
_IN_PLACE = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else")


def meta_schema_problems(raw: Any, dialect: Dialect) -> list[SchemaProblem]:
    """Return every place where raw breaks its dialect's meta-schema (empty when it is valid)."""
    if isinstance(raw, bool):
        if dialect is Dialect.DRAFT4:
            return [SchemaProblem("", 'draft-04 has no boolean schemas; use {} or {"not": {}}')]
        return []
    declared = raw if "$schema" in raw else {**raw, "$schema": dialect.uri}
    # The compiled check takes microseconds where python-jsonschema's takes milliseconds;
    # python-jsonschema runs only to explain a schema that is invalid.
    if jsonschema_rs.meta.is_valid(declared):
        return []
    cls = dialect.validator_class
    meta = cls(cls.META_SCHEMA, registry=META_SCHEMAS)
    errors = sorted(meta.iter_errors(raw), key=lambda e: list(map(str, e.absolute_path)))
    found = [SchemaProblem(to_pointer(error.absolute_path), message_of(error)) for error in errors]
    return list(dict.fromkeys(found))  # 2019-09 and later reach some keywords twice


def reference_problems(resolver: Resolver) -> list[SchemaProblem]:
    """Return a problem for each reference that does not resolve, or that loops forever: back
    to itself (through referenced schemas too), or into a loop inside referenced schemas."""
    problems, targets = [], {}
    for pointer, ref, holder in resolver.references():
        word = pointer.rsplit("/", 1)[1]
        try:
            targets.setdefault(id(holder), []).append(resolver.resolve(holder, word).schema)
        except UnresolvableReference as error:
            problems.append(
                SchemaProblem(pointer, f"{word} {show(ref)} does not resolve: {error.why}")
            )
    if problems:
        return problems
    looping: dict[int, bool] = {}  # foreign reference holders: whether each loops back
    for pointer, ref, holder in resolver.references():
        back, foreign = _loops_back(holder, targets, resolver)
        if back:
            problems.append(SchemaProblem(pointer, f"{show(ref)} leads back to itself {_IDLE}"))
            continue
        for node in foreign:
            if id(node) not in looping:
                looping[id(node)] = _loops_back(node, targets, resolver)[0]
            if looping[id(node)]:
                where = _foreign_place(resolver, node)
                message = f"{show(ref)} leads into a loop of references at {where} {_IDLE}"
                problems.append(SchemaProblem(pointer, message))
                break
    return problems


_IDLE = (
    "without reading any part of the value (through $ref, allOf, anyOf, oneOf, not or "
    "if/then/else only): no event could ever be validated against it"
)


def pattern_problems(resolver: Resolver) -> list[SchemaProblem]:
    """Return a problem for each ``pattern`` or ``patternProperties`` name the ECMA-262 engine
    cannot run, with its pointer (so no event is ever matched against it)."""
    problems = []
    index = resolver.index
    for place_id, place in index.places.items():
        if not place.local:
            continue
        node = index.node(place_id)
        found = [("pattern", node["pattern"])] if isinstance(node.get("pattern"), str) else []
        names = node.get("patternProperties")
        if isinstance(names, dict):
            found += [(f"patternProperties/{escape(name)}", name) for name in names]
        for where, pattern in found:
            # The rule of `format: regex` (ECMA-262 with the u flag, both engines agreeing):
            # a pattern that is Python or PCRE syntax would run with another meaning.
            if not is_ecma_regex(pattern):
                problems.append(SchemaProblem(f"{place.pointer}/{where}", not_ecma(pattern)))
    return sorted(problems, key=lambda problem: problem.pointer)


def _loops_back(
    start: dict, targets: dict[int, list[Any]], resolver: Resolver
) -> tuple[bool, list[dict]]:
    # Whether start is reached again, and the holders of a $ref outside the document's text
    # (in a referenced schema, a meta-schema) passed on the way, in the order reached.
    seen: set[int] = set()
    foreign: list[dict] = []
    stack = _in_place(start, targets, resolver)
    while stack:
        limits.step()  # one search per reference: many references into one large allOf
        node = stack.pop()
        if node is start:
            return True, foreign
        if id(node) in seen or not isinstance(node, dict):
            continue
        seen.add(id(node))
        place = resolver.index.place_of(node)
        if (place is None or not place.local) and isinstance(node.get("$ref"), str):
            foreign.append(node)
        stack.extend(_in_place(node, targets, resolver))
    return False, foreign


def _foreign_place(resolver: Resolver, node: dict) -> str:
    place = resolver.index.place_of(node)
    return show(f"{place.resource}#{place.pointer}" if place is not None else node["$ref"])


def _in_place(node: dict, targets: dict[int, list[Any]], resolver: Resolver) -> list[Any]:
    following = list(targets.get(id(node), []))
    if id(node) not in targets and isinstance(node.get("$ref"), str):
        # A node reached through a reference but outside the index (in a meta-schema).
        with contextlib.suppress(UnresolvableReference):
            following.append(resolver.resolve(node).schema)
    for key in _IN_PLACE:
        value = node.get(key)
        following.extend(value if isinstance(value, list) else [value] if value is not None else [])
    return following
