"""The fast path of event validation: jsonschema-rs, compiled once per SchemaDocument.

The reference validator (app.core.validation, python-jsonschema) costs about half a
millisecond per event of a real schema; jsonschema-rs decides the same question in a few
microseconds. It answers only what it provably answers alike, so results never depend on which
path ran:

- it decides only that an event is **valid**: an event it finds invalid goes through the
  reference path, which finds the errors with their pointers and messages (and decides again,
  so a stricter reading of jsonschema-rs costs time, never a different answer);
- it runs with Eventry's rules where jsonschema-rs has its own: the RFC format checks of
  app.core.formats that are not jsonschema-rs's (``check_for``), formats the dialect does not
  define as annotations only, and exact decimal ``multipleOf``; ``pattern`` and
  ``patternProperties`` run on the same ECMA-262 engine as the reference (app.core.schema.regex
  is jsonschema-rs's own regex engine);
- it compiles a document only when its work per event is bounded by construction (``plan``):
  every ``$ref`` leading, through the document's one resolver, to a place in the document
  itself, no reference loop (so no recursive schema), no ``$dynamicRef``/``$recursiveRef``, no
  nested ``$id`` that would move the base URI, no references to other registered schemas, and
  at most ``MAX_EXPANDED_NODES`` JSON values once every ``$ref`` is expanded. Each keyword of
  that expanded tree meets each value of the event at most once, so the work is at most that
  size times the event's size. Any other document (and any document jsonschema-rs will not
  compile) takes the reference path for every event, with its work budget; ``refusal`` says
  why.

tests/unit/test_fast_path.py runs both paths over the JSON-Schema-Test-Suite, the demo samples
and generated events, and checks that they agree.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from app.core.formats import DIALECT_FORMATS, is_multiple_of
from app.core.formats.checker import check_for
from app.core.formats.rust import rust_check
from app.core.schema import Dialect, SchemaDocument, UnresolvableReference

# Beyond this many JSON values with every $ref expanded, a schema takes the reference path
# (with its work budget): 10,000 keywords per event value is still well under a second.
MAX_EXPANDED_NODES = 10_000

_RUST_CLASSES: dict[Dialect, Any] = {
    Dialect.DRAFT4: jsonschema_rs.Draft4Validator,
    Dialect.DRAFT6: jsonschema_rs.Draft6Validator,
    Dialect.DRAFT7: jsonschema_rs.Draft7Validator,
    Dialect.DRAFT2019: jsonschema_rs.Draft201909Validator,
    Dialect.DRAFT2020: jsonschema_rs.Draft202012Validator,
}
# Keywords whose value is data, not a schema: a "$id" string in there moves no base URI.
_DATA = frozenset({"enum", "const", "default", "examples"})
# Keywords whose object value maps names (of properties, definitions) to schemas.
_NAMED = frozenset(
    {"properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependencies"}
)
_DYNAMIC = frozenset({"$dynamicRef", "$recursiveRef"})
_NONE = object()  # the cached answer "no fast path for this document"


class _Refused(Exception):
    """Why a document takes the reference path."""


class _Plan:
    """One walk over a schema, expanding each local $ref once (memoised by the pointer it leads
    to, through the document's one resolver): the expanded size, the format names it uses and
    whether it uses multipleOf."""

    def __init__(self, document: SchemaDocument) -> None:
        self.document = document
        self.id_word = "id" if document.dialect is Dialect.DRAFT4 else "$id"
        self.sizes: dict[str, int] = {}
        self.open: set[str] = set()
        self.formats: set[str] = set()
        self.multiple_of = False

    def size(self, node: Any, data: bool = False, names: bool = False, root: bool = False) -> int:
        if isinstance(node, list):
            return 1 + sum(self.size(item, data) for item in node)
        if not isinstance(node, dict):
            return 1
        total = 1
        for key, value in node.items():
            if names:
                total += self.size(value, data)
            elif key == "$ref" and isinstance(value, str):
                total += self.ref(node)
            else:
                total += self._keyword(key, value, data, root)
            if total > MAX_EXPANDED_NODES:
                raise _Refused(f"more than {MAX_EXPANDED_NODES:,} values with $ref expanded")
        return total

    def _keyword(self, key: str, value: Any, data: bool, root: bool) -> int:
        # Conservative on purpose: a "$ref", "format" or "multipleOf" inside data is treated as
        # if it were a keyword (an extra check or a refusal, never a missed one).
        if isinstance(value, str):
            if key in _DYNAMIC:
                raise _Refused(f"{key} (dynamic scope)")
            if key == self.id_word and not root and not data:
                raise _Refused(f"a nested {key} (another base URI)")
            if key == "format":
                self.formats.add(value)
        if key == "multipleOf":
            self.multiple_of = True
        inner = data or key in _DATA
        return self.size(value, inner, names=key in _NAMED and not inner)

    def ref(self, holder: dict) -> int:
        try:
            target = self.document.resolve(holder)
        except UnresolvableReference:
            raise _Refused(f"the reference {holder['$ref']!r} is not followed here") from None
        place = target.pointer
        if target.dynamic or place is None:
            raise _Refused(f"the reference {holder['$ref']!r} leads outside the schema")
        if place in self.sizes:
            return self.sizes[place]
        if place in self.open:
            raise _Refused("a recursive schema (a reference loop)")
        self.open.add(place)
        self.sizes[place] = found = self.size(target.schema)
        self.open.discard(place)
        return found


def plan(document: SchemaDocument) -> _Plan:
    """Walk the document as ``refusal`` describes; raises _Refused when it takes the
    reference path."""
    if document.references:
        raise _Refused("references to other registered schemas")
    walk = _Plan(document)
    try:
        walk.size(document.raw, root=True)
    except RecursionError:
        raise _Refused("references chained too deep") from None
    return walk


def refusal(document: SchemaDocument) -> str | None:
    """Return why the document takes the reference path for every event, or None when
    jsonschema-rs decides its valid events (see the module's docstring for the rules)."""
    try:
        _compile(plan(document), document)
    except _Refused as reason:
        return str(reason)
    except (ValueError, jsonschema_rs.ReferencingError) as error:
        return f"jsonschema-rs does not compile it ({str(error).splitlines()[0]})"
    return None


def compiled(document: SchemaDocument) -> Any | None:
    """The document's jsonschema-rs validator (built on first use and kept with the document),
    or None when the document takes the reference path."""
    found = document.__dict__.get("_fast")
    if found is None:
        try:
            found = _compile(plan(document), document)
        except (_Refused, ValueError, jsonschema_rs.ReferencingError):
            found = _NONE
        document.__dict__["_fast"] = found
    return None if found is _NONE else found


def passes(document: SchemaDocument, event: Any) -> bool:
    """True when the fast path finds the event valid (then the reference path would too);
    False when it finds it invalid, cannot tell, or the document has no fast path."""
    validator = compiled(document)
    if validator is None:
        return False
    try:
        return bool(validator.is_valid(event))
    except (ValueError, TypeError, OverflowError):
        return False  # whatever jsonschema-rs cannot read, the reference path answers


def _compile(walk: _Plan, document: SchemaDocument) -> Any:
    dialect = document.dialect.value
    formats = {}
    for name in walk.formats:
        if name not in DIALECT_FORMATS[dialect]:
            formats[name] = _annotation  # as the reference: a format the draft does not define
            continue
        check = check_for(name, dialect)
        if check is not rust_check(name, dialect):
            formats[name] = _remembered(check)
    return _RUST_CLASSES[document.dialect](
        document.raw,
        formats=formats or None,
        validate_formats=True,
        keywords={"multipleOf": _MultipleOf} if walk.multiple_of else None,
        offline=True,  # never over the network: a reference not in the schema does not compile
    )


# Eventry's format checks written in Python cost microseconds a value (email: its grammar,
# then its domain as a host name), many times jsonschema-rs's own work on an event. A verdict
# depends on the text alone and the values of a batch repeat (a domain, a sender), so each
# compiled check keeps its verdicts for texts up to _REMEMBERED_CHARS long (an email is at most
# 254 octets), at most _REMEMBERED of them (then it starts again): a few hundred kB at most.
_REMEMBERED = 4096
_REMEMBERED_CHARS = 320


def _remembered(check: Any) -> Any:
    verdicts: dict[str, bool] = {}

    def remembered(text: str) -> bool:
        found = verdicts.get(text)
        if found is None:
            found = check(text)
            if len(text) <= _REMEMBERED_CHARS:
                if len(verdicts) >= _REMEMBERED:
                    verdicts.clear()
                verdicts[text] = found
        return found

    return remembered


def _annotation(_text: str) -> bool:
    return True


class _MultipleOf:
    """multipleOf by exact decimal arithmetic, as the reference reads it (app.core.formats)."""

    def __init__(self, _parent: dict, value: Any, _path: list) -> None:
        self.divisor = value

    def validate(self, instance: Any) -> None:
        number = isinstance(instance, int | float) and not isinstance(instance, bool)
        if number and not is_multiple_of(instance, self.divisor):
            raise ValueError("not a multiple")
