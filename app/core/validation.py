"""Validating events against a SchemaDocument, never over the network.

The reference validator is python-jsonschema, in the document's dialect, with the document's own
resolver registry (the bundled meta-schemas and nothing remote), exact decimal ``multipleOf`` and
format checkers that follow their RFCs. Each error carries the instance pointer, the real pointer
into the stored schema text (through any ``$ref``), the references crossed, and a JSON message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jsonschema._keywords
import jsonschema._legacy_keywords
import jsonschema._utils
import referencing.exceptions
from jsonschema import validators
from jsonschema.exceptions import ValidationError

from app.core import formats
from app.core.pointers import to_pointer
from app.core.schema import Dialect, SchemaDocument
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


@cache
def validator_class(dialect: Dialect) -> Any:
    """python-jsonschema's validator class for the dialect, with exact decimal multipleOf."""
    keywords: dict[str, Any] = {"multipleOf": formats.multiple_of}
    if dialect is Dialect.DRAFT2019:
        keywords["unevaluatedProperties"] = _unevaluated_properties_2019
    return validators.extend(dialect.validator_class, keywords)


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
    """Return the document's validator, built on first use and kept with the document."""
    found = document.__dict__.get("_validator")
    if found is None:
        cls = validator_class(document.dialect)
        found = cls(
            document.raw,
            registry=BUNDLED,
            format_checker=_format_checker(document.dialect),
        )
        document.__dict__["_validator"] = found
    return found


def validate_event(document: SchemaDocument, event: Any) -> list[EventError]:
    """Return every error of the event against the document (empty when the event is valid)."""
    try:
        errors = list(compiled(document).iter_errors(event))
    except referencing.exceptions.Unresolvable as error:
        return [EventError("", "", f"the schema has a reference Eventry cannot resolve: {error}")]
    except RecursionError:
        return [EventError("", "", "the schema's references loop without end; fix the schema")]
    return [_event_error(document, error) for error in sorted(errors, key=_error_order)]


def is_valid(document: SchemaDocument, event: Any) -> bool:
    """Return whether the event matches the document."""
    try:
        return compiled(document).is_valid(event)
    except (referencing.exceptions.Unresolvable, RecursionError):
        return False


def _event_error(document: SchemaDocument, error: ValidationError) -> EventError:
    where = document.locate(to_pointer(error.absolute_schema_path))
    return EventError(
        path=to_pointer(error.absolute_path),
        schema_path=where.pointer,
        message=message_of(error),
        refs=where.refs,
    )


def _error_order(error: ValidationError) -> tuple[list[str], list[str]]:
    return list(map(str, error.absolute_path)), list(map(str, error.absolute_schema_path))
