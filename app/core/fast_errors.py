"""The errors of an invalid event from jsonschema-rs, where they are provably the reference's.

The reference path (python-jsonschema, app.core.validation) costs a millisecond or two per
invalid event; jsonschema-rs finds the same errors in microseconds. Its errors are taken only
where each one is, keyword by keyword, what the reference reports, and turned into the
reference's answer by the reference's own code (the order, the cut, the pointers into the
stored schema through ``SchemaDocument.locate``, and the one message function,
``app.core.schema.messages.message_of``). An event takes the reference path instead when:

- its document has no fast path (``app.core.fast_path.refusal`` says why);
- any error's keyword is not one of ``SAME_ERRORS``: keywords that fail once per failing value
  with no branches (``anyOf``, ``oneOf``, ``not``, ``if``, ``contains``, ``dependentRequired``,
  ``unevaluatedProperties``, a ``false`` schema… take the reference path: python-jsonschema
  reports their branches' errors, or words them itself);
- any error is reached through a keyword outside the plain descent ``_walk`` follows
  (``properties``, ``patternProperties``, ``additionalProperties``, ``items``,
  ``prefixItems``, ``allOf``, ``$defs``/``definitions``, and ``$ref`` within the document);
- it has more than ``MAX_FAST_ERRORS`` errors, so an event whose errors would cost the
  reference path more than its work budget still answers the budget's 4xx.

Agreement is tested, not assumed: tests/unit/test_fast_path.py compares the full answers of
both paths (pointers, messages, order, cut) on the JSON-Schema-Test-Suite, the demo samples
and generated events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core import fast_path
from app.core.schema import Dialect, SchemaDocument, UnresolvableReference

# Keywords that both validators report as exactly one error per failing value, at the keyword
# itself (``required``: one per missing name, in both), with a message made from the keyword's
# value, the value and the schema around it alone.
SAME_ERRORS = frozenset(
    {
        "type",
        "enum",
        "const",
        "required",
        "additionalProperties",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
    }
)
# Draft 4 writes exclusiveMaximum: true beside maximum: python-jsonschema reports the bound at
# "maximum", jsonschema-rs at "exclusiveMaximum"; such events take the reference path.
_DRAFT4_BOUNDS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})
# Beyond this many errors an event takes the reference path, with its work budget.
MAX_FAST_ERRORS = 100
# Keywords followed by a name or an index, then a schema; and those holding one schema.
_KEYED = frozenset({"properties", "patternProperties", "$defs", "definitions", "prefixItems"})
_KEYED_LIST = frozenset({"allOf", "prefixItems", "items"})
_SINGLE = frozenset({"additionalProperties", "items"})


@dataclass(frozen=True)
class Failure:
    """One error jsonschema-rs found, in python-jsonschema's terms (the attributes
    ``app.core.validation`` and ``message_of`` read): ``absolute_path`` (the event's tokens),
    ``absolute_schema_path`` (the keywords' tokens, ``$ref`` left out as python-jsonschema
    leaves it out), ``validator`` (the keyword), ``validator_value``, ``instance`` (the failing
    value, taken from the event itself) and ``schema`` (the schema holding the keyword)."""

    absolute_path: tuple[str | int, ...]
    absolute_schema_path: tuple[str | int, ...]
    validator: str
    validator_value: Any
    instance: Any
    schema: dict
    context: None = None  # no branch errors: keywords with branches are not taken
    message: str = ""  # never read: every keyword of SAME_ERRORS has its own wording


def failures(document: SchemaDocument, event: Any) -> list[Failure] | None:
    """The event's errors found by jsonschema-rs, as the reference path finds them (in no
    particular order), or None when the reference path must answer (see the module's
    docstring; an event jsonschema-rs finds valid, or cannot read, included)."""
    validator = fast_path.compiled(document)
    if validator is None:
        return None
    found: list[Failure] = []
    try:
        for error in validator.iter_errors(event):
            failure = _failure(document, event, error)
            if failure is None or len(found) == MAX_FAST_ERRORS:
                return None
            found.append(failure)
    except (ValueError, TypeError, OverflowError):
        return None  # whatever jsonschema-rs cannot read, the reference path answers
    return found or None


def _failure(document: SchemaDocument, event: Any, error: Any) -> Failure | None:
    tokens = tuple(error.evaluation_path)
    walked = _walked(document, tokens[:-1])
    if walked is None or not tokens:
        return None
    schema, kept = walked
    keyword = tokens[-1]
    if keyword not in SAME_ERRORS or not isinstance(schema, dict) or keyword not in schema:
        return None
    if keyword in _DRAFT4_BOUNDS and document.dialect_at(schema) is Dialect.DRAFT4:
        return None
    path = tuple(error.instance_path)
    instance = _value_at(event, path)
    if instance is _MISSING:
        return None
    return Failure(path, (*kept, keyword), keyword, schema[keyword], instance, schema)


# Where an evaluation path leads never changes for a document, and the errors of a batch
# repeat their paths: kept with the document, at most this many (then it starts again).
_MAX_WALKS = 4096
_NOWHERE = (None, None)  # the kept answer "the way crosses another keyword"


def _walked(document: SchemaDocument, tokens: tuple) -> tuple[Any, tuple] | None:
    """``_walk``'s answer for the tokens, kept with the document."""
    found = document.__dict__.setdefault("_fast_walks", {})
    walked = found.get(tokens)
    if walked is None:
        if len(found) >= _MAX_WALKS:
            found.clear()
        way = _walk(document, list(tokens))
        walked = found[tokens] = _NOWHERE if way is None else (way[0], tuple(way[1]))
    return None if walked is _NOWHERE else walked


def _walk(document: SchemaDocument, tokens: list) -> tuple[Any, list] | None:
    """Follow jsonschema-rs's evaluation path from the root to the schema holding the failing
    keyword: that schema, and python-jsonschema's tokens for the way (without ``$ref``); None
    where the way crosses any other keyword."""
    node: Any = document.raw
    kept: list = []
    index = 0
    while index < len(tokens):
        word = tokens[index]
        if not isinstance(node, dict) or word not in node:
            return None
        value = node[word]
        if word == "$ref" and isinstance(value, str):
            try:
                node = document.resolve(node).schema
            except UnresolvableReference:
                return None
            index += 1
        elif word in _KEYED or (word in _KEYED_LIST and isinstance(value, list)):
            if index + 1 == len(tokens):
                return None
            key = tokens[index + 1]
            node = _value_at(value, (key,))
            kept += [word, key]
            index += 2
        elif word in _SINGLE and isinstance(value, dict):
            node = value
            kept.append(word)
            index += 1
        else:
            return None
    return node, kept


_MISSING = object()


def _value_at(value: Any, path: tuple) -> Any:
    # The value at the path's tokens (a name in an object, an index in an array), or _MISSING.
    for token in path:
        named = isinstance(value, dict) and isinstance(token, str) and token in value
        indexed = isinstance(value, list) and type(token) is int and 0 <= token < len(value)
        if not (named or indexed):
            return _MISSING
        value = value[token]
    return value
