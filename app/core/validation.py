"""Validating events against a SchemaDocument, never over the network.

The reference validator is python-jsonschema, in the document's dialect, with the document's own
resolver registry (the bundled meta-schemas, the schemas it references, nothing remote), exact
decimal ``multipleOf`` and format checkers that follow their RFCs. Each error carries the
instance pointer, the real pointer into the stored schema text (through any ``$ref``; a
``name#/pointer`` URI inside a referenced schema), the references crossed, and a JSON message.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jsonschema._keywords
import jsonschema._legacy_keywords
import jsonschema._utils
import referencing.exceptions
import referencing.jsonschema
from jsonschema import validators
from jsonschema.exceptions import ValidationError

from app.core import fast_errors, fast_path, formats, limits
from app.core.canonical import canonical_json
from app.core.fast_errors import Failure
from app.core.pointers import to_pointer
from app.core.schema import Dialect, SchemaDocument
from app.core.schema.document import Location
from app.core.schema.index import REFERENCE_KEYWORDS
from app.core.schema.messages import message_of
from app.core.schema.regex import EcmaRe
from app.core.schema.resolver import BUNDLED

# python-jsonschema matches `pattern` and `patternProperties` with Python's `re` (another
# dialect, unbounded backtracking) in these three modules and offers no hook to change it; the
# only call they make is `re.search(pattern, text)`, which EcmaRe answers with an ECMA-262
# engine in bounded time. tests/unit/test_validation.py checks that the swap holds.
for _module in (jsonschema._keywords, jsonschema._legacy_keywords, jsonschema._utils):
    _module.re = EcmaRe  # type: ignore[attr-defined]


@dataclass(frozen=True)
class EventError:
    """One reason an event does not match a schema: ``path`` (JSON pointer into the event),
    ``schema_path`` (JSON pointer into the stored schema text, after following references),
    ``refs`` (pointers of the ``$ref`` keywords crossed on the way), and ``message``."""

    path: str
    schema_path: str
    message: str
    refs: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"path", "schema_path", "message"}`` and ``"refs"`` when a $ref was crossed."""
        body: dict[str, Any] = {
            "path": self.path,
            "schema_path": self.schema_path,
            "message": self.message,
        }
        if self.refs:
            body["refs"] = list(self.refs)
        return body


@dataclass(frozen=True)
class EventReport:
    """The errors of one event, at most the limit asked for (the first ones by event and
    schema pointer), and how many more were found and ``cut``."""

    errors: list[EventError]
    cut: int = 0


@cache
def validator_class(dialect: Dialect) -> Any:
    """python-jsonschema's validator class for the dialect, with exact decimal multipleOf,
    ``enum`` and ``uniqueItems`` in linear time, and every keyword spending one step of the
    work budget (app.core.limits), so no schema and event can keep a worker busy for long."""
    keywords: dict[str, Any] = {
        **dialect.validator_class.VALIDATORS,
        "multipleOf": formats.multiple_of,
        "enum": _enum,
        "uniqueItems": _unique_items,
    }
    if dialect is Dialect.DRAFT2019:
        keywords["unevaluatedProperties"] = _unevaluated_properties_2019
    counted = {word: _counted(keyword) for word, keyword in keywords.items()}
    return validators.extend(dialect.validator_class, counted)


# The steps an error costs beyond the keyword that found it: making one (and the anyOf and
# oneOf errors that gather their branches' errors) is what makes failing branches slow.
_ERROR_STEPS = 3


def _counted(keyword: Any) -> Any:
    def run(validator, value, instance, schema):
        limits.step()
        errors = keyword(validator, value, instance, schema)
        return None if errors is None else _spending(errors)

    return run


def _spending(errors: Iterable[ValidationError]) -> Iterator[ValidationError]:
    for error in errors:
        limits.step(_ERROR_STEPS)
        yield error


def _enum(validator, enums, instance, schema):
    # python-jsonschema compares the value with every member and writes all of them into the
    # message: an enum of 1,000 values costs 1,000 comparisons per value checked. Scalars are
    # looked up by their canonical JSON (1 and 1.0 agree, true and 1 do not, as JSON Schema
    # says); only arrays and objects are compared one by one, with the enum's containers.
    if not isinstance(enums, list):
        return
    scalars, containers = _enum_lookup(enums)
    if isinstance(instance, dict | list):
        found = any(jsonschema._utils.equal(each, instance) for each in containers)
    else:
        found = canonical_json(instance) in scalars
    if not found:
        # Worded by app.core.schema.messages for the errors kept; the others are only counted.
        yield ValidationError(f"not one of the enum's {len(enums)} values")


_ENUMS: dict[int, tuple[list, frozenset[str], list]] = {}


def _enum_lookup(enums: list) -> tuple[frozenset[str], list]:
    # Keyed by the list's id, the list kept alongside so the id cannot be reused while cached.
    found = _ENUMS.get(id(enums))
    if found is None or found[0] is not enums:
        scalars = frozenset(canonical_json(v) for v in enums if not isinstance(v, dict | list))
        found = (enums, scalars, [v for v in enums if isinstance(v, dict | list)])
        if len(_ENUMS) >= 4096:
            _ENUMS.clear()
        _ENUMS[id(enums)] = found
    return found[1], found[2]


def _unique_items(validator, unique, instance, schema):
    # python-jsonschema compares objects pairwise: 50,000 objects take 10^9 comparisons.
    # Canonical JSON is one text per JSON value, so a set finds duplicates in one pass.
    if unique is True and isinstance(instance, list):
        seen: set[str] = set()
        for item in instance:
            text = canonical_json(item)
            if text in seen:
                yield ValidationError("has non-unique elements")
                return
            seen.add(text)


def _unevaluated_properties_2019(validator, unevaluated, instance, schema):
    # python-jsonschema's 2019-09 rule misses the properties an adjacent additionalProperties
    # schema evaluates, and its 2020-12 rule misses those reached through $recursiveRef; a
    # property either counts as evaluated is evaluated (JSON-Schema-Test-Suite, 2019-09).
    legacy = list(
        jsonschema._legacy_keywords.unevaluatedProperties_draft2019(
            validator, unevaluated, instance, schema
        )
    )
    if legacy and list(
        jsonschema._keywords.unevaluatedProperties(validator, unevaluated, instance, schema)
    ):
        yield from legacy


@cache
def _format_checker(dialect: Dialect) -> Any:
    return formats.format_checker(dialect.value)


def compiled(document: SchemaDocument) -> Any:
    """Return the document's validator, built on first use and kept with the document. It
    resolves references in the bundled meta-schemas and, for a document with Confluent-style
    references, in the referenced schemas (its resolver's registry), each read in its own
    dialect: never over the network."""
    found = document.__dict__.get("_validator")
    if found is None:
        if document.references:
            cls, registry = _Dialects(document).of(document.dialect), document.resolver.registry
        else:
            cls, registry = validator_class(document.dialect), BUNDLED
        checker = _format_checker(document.dialect)
        found = cls(document.raw, registry=registry, format_checker=checker)
        document.__dict__["_validator"] = found
    return found


class _Dialects:
    """The validator classes of one document with Confluent-style references: a reference
    that lands in a schema of another dialect (a draft-07 type referenced by a 2020-12 event)
    goes on with that dialect's class and format checker, as the schema was stored, where
    python-jsonschema would go on in the referrer's (or, for a target naming its ``$schema``,
    in its own class without Eventry's keywords and work budget)."""

    def __init__(self, document: SchemaDocument) -> None:
        self.document = document
        self.classes: dict[Dialect, Any] = {}

    def of(self, dialect: Dialect) -> Any:
        """The dialect's validator class (validator_class's) with reference keywords that
        switch dialect where their target's resource is of another."""
        found = self.classes.get(dialect)
        if found is None:
            base = validator_class(dialect)
            words = [word for word in REFERENCE_KEYWORDS if word in base.VALIDATORS]
            found = validators.extend(base, {word: self._crossing(word) for word in words})
            self.classes[dialect] = found
        return found

    def _crossing(self, word: str) -> Any:
        def keyword(validator, ref, instance, schema):
            # As python-jsonschema's own keywords look the target up, with its resolver.
            if word == "$recursiveRef":
                resolved = referencing.jsonschema.lookup_recursive_ref(validator._resolver)
            else:
                resolved = validator._resolver.lookup(ref)
            dialect = self.document.dialect_at(resolved.contents)
            inner = self.of(dialect)(
                resolved.contents,
                registry=self.document.resolver.registry,
                format_checker=_format_checker(dialect),
                _resolver=resolved.resolver,
            )
            yield from inner.iter_errors(instance)

        return _counted(keyword)


def validate_event(
    document: SchemaDocument, event: Any, max_errors: int | None = None
) -> list[EventError]:
    """Return the errors of the event against the document (empty when the event is valid):
    at most ``max_errors`` (the configured ``max_errors_per_event`` by default). An event beyond
    the limits gets one error saying which (a file, a stored sample: one item of many, where
    event_report refuses the whole request)."""
    try:
        return event_report(document, event, max_errors).errors
    except limits.LimitExceeded as error:
        return [EventError(error.problem_pointer, "", error.detail)]


def event_report(
    document: SchemaDocument, event: Any, max_errors: int | None = None
) -> EventReport:
    """Validate an event: its first errors (at most ``max_errors``, else the configured
    ``max_errors_per_event``) and how many more were cut. Only the errors kept get a message
    and a pointer into the schema; the others are only counted.

    Raises LimitExceeded when validating it takes more than the work budget. (How deep an
    event may nest is the callers' to check, before they parse or store it: a request body
    validated against its own schema is no event.)"""
    if fast_path.passes(document, event):
        return EventReport([])  # agreed by construction: no errors to find (app.core.fast_path)
    found = fast_errors.failures(document, event)
    if found is None:
        return reference_report(document, event, max_errors)
    # The reference's errors, found by jsonschema-rs (app.core.fast_errors): kept, ordered,
    # cut, located and worded by the same code as the reference's own.
    kept = heapq.nsmallest(max_errors or limits.current().max_errors_per_event, found, _order)
    return EventReport([_event_error(document, error) for error in kept], len(found) - len(kept))


def reference_report(
    document: SchemaDocument, event: Any, max_errors: int | None = None
) -> EventReport:
    """``event_report`` on the reference path alone (python-jsonschema), whatever the fast
    path would say: what the fast path is tested against. Raises LimitExceeded as it does."""
    most = max_errors or limits.current().max_errors_per_event
    counter = _Counted()
    with limits.budget():
        try:
            kept = heapq.nsmallest(most, counter.of(compiled(document).iter_errors(event)), _order)
        except referencing.exceptions.Unresolvable as error:
            text = f"the schema has a reference Eventry cannot resolve: {error}"
            return EventReport([EventError("", "", text)])
        except RecursionError:
            text = "the schema's references loop without end; fix the schema"
            return EventReport([EventError("", "", text)])
        errors = [_event_error(document, error) for error in kept]
    return EventReport(errors, counter.seen - len(kept))


class _Counted:
    # Counts what passes through, so the errors beyond the kept ones are counted, not stored.
    seen = 0

    def of(self, items: Iterable[Any]) -> Iterator[Any]:
        for item in items:
            self.seen += 1
            yield item


def is_valid(document: SchemaDocument, event: Any) -> bool:
    """Return whether the event matches the document (False beyond the work budget too: an
    event too costly to validate is no valid event)."""
    if fast_path.passes(document, event):
        return True
    try:
        with limits.budget():
            return compiled(document).is_valid(event)
    except (referencing.exceptions.Unresolvable, RecursionError, limits.LimitExceeded):
        return False


def _event_error(document: SchemaDocument, error: ValidationError | Failure) -> EventError:
    where = _located(document, tuple(error.absolute_schema_path))
    return EventError(
        path=to_pointer(error.absolute_path),
        schema_path=where.pointer,
        message=message_of(error),
        refs=where.refs,
    )


# Where a schema path leads never changes for a document, and following it costs more than
# finding the error: kept with the document, at most this many (a recursive schema, on the
# reference path, can spell endless paths).
_MAX_LOCATIONS = 4096


def _located(document: SchemaDocument, tokens: tuple) -> Location:
    # Keyed by the schema path's tokens, so a kept one is not even joined into a pointer.
    found = document.__dict__.setdefault("_locations", {})
    where = found.get(tokens)
    if where is None:
        if len(found) >= _MAX_LOCATIONS:
            found.clear()
        where = found[tokens] = document.locate(to_pointer(tokens))
    return where


def _order(error: ValidationError | Failure) -> tuple[list[str], list[str]]:
    return list(map(str, error.absolute_path)), list(map(str, error.absolute_schema_path))
