"""JSON Schema dialects, meta-schema checks and event validation, never over the network."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jsonschema_rs
import referencing
import referencing.exceptions
import referencing.jsonschema
from jsonschema import validators
from jsonschema.exceptions import ValidationError
from jsonschema_specifications import REGISTRY as META_SCHEMAS

from app.core.canonical import canonical_json, parse_json
from app.core.pointers import to_pointer
from app.core.references import reference_problems

DEFAULT_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# The $schema spellings people use, folded to one name per supported draft.
DIALECTS = {
    "https://json-schema.org/draft/2020-12/schema": "2020-12",
    "https://json-schema.org/draft/2019-09/schema": "2019-09",
    "http://json-schema.org/draft-07/schema": "draft-07",
    "http://json-schema.org/draft-06/schema": "draft-06",
    "http://json-schema.org/draft-04/schema": "draft-04",
}
_VALIDATORS = {
    "2020-12": validators.Draft202012Validator,
    "2019-09": validators.Draft201909Validator,
    "draft-07": validators.Draft7Validator,
    "draft-06": validators.Draft6Validator,
    "draft-04": validators.Draft4Validator,
}


@dataclass(frozen=True)
class SchemaProblem:
    """One reason a schema is not usable, with the JSON pointer into the schema."""

    pointer: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """Return the problem as a JSON-ready dict."""
        return {"pointer": self.pointer, "message": self.message}


@dataclass(frozen=True)
class EventError:
    """One reason an event does not match a schema."""

    path: str
    schema_path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """Return the error as a JSON-ready dict."""
        return {"path": self.path, "schema_path": self.schema_path, "message": self.message}


def dialect_of(schema: Any) -> str | None:
    """Return a schema's short dialect name ('2020-12', 'draft-07', ...); None if unsupported."""
    if not isinstance(schema, dict) or "$schema" not in schema:
        return "2020-12"
    uri = schema["$schema"]
    if not isinstance(uri, str):
        return None
    normalised = uri.rstrip("#")
    for known, name in DIALECTS.items():
        if normalised in (known, known.replace("http://", "https://", 1)):
            return name
    return None


def check_schema(schema: Any) -> list[SchemaProblem]:
    """Return every reason the schema is invalid for its dialect (empty when it is usable)."""
    if not isinstance(schema, dict | bool):
        return [SchemaProblem("", "a JSON Schema must be an object or a boolean")]
    dialect = dialect_of(schema)
    if dialect is None:
        supported = ", ".join(DIALECTS)
        message = f"unsupported $schema {schema['$schema']!r}; use one of {supported}"
        return [SchemaProblem("/$schema", message)]
    if jsonschema_rs.meta.is_valid(schema):
        # The compiled check takes microseconds where jsonschema's takes milliseconds (2020-12's
        # $dynamicRef); jsonschema below runs only to explain a schema that is invalid.
        return _reference_problems(schema, dialect)
    cls = _VALIDATORS[dialect]
    meta = cls(cls.META_SCHEMA, registry=META_SCHEMAS)
    problems = [
        SchemaProblem(to_pointer(error.absolute_path), error.message)
        for error in sorted(meta.iter_errors(schema), key=lambda e: list(map(str, e.absolute_path)))
    ]
    if not problems:
        problems.extend(_reference_problems(schema, dialect))
    return problems


def compile_schema(schema: Any):
    """Return a reusable validator for a schema: validate many events without re-reading it."""
    return _compiled(canonical_json(schema))


def validate_event(schema: Any, event: Any, validator: Any = None) -> list[EventError]:
    """Return every error of the event against the schema (empty when the event is valid)."""
    validator = validator or compile_schema(schema)
    try:
        errors = list(validator.iter_errors(event))
    except referencing.exceptions.Unresolvable as error:
        return [EventError("", "", f"the schema has a reference Eventry cannot resolve: {error}")]
    except RecursionError:
        return [EventError("", "", "the schema's references loop without end; fix the schema")]
    return [_event_error(error) for error in sorted(errors, key=_error_order)]


def is_valid(schema: Any, event: Any) -> bool:
    """Return whether the event matches the schema."""
    return not validate_event(schema, event)


@lru_cache(maxsize=1024)
def _compiled(canonical_text: str):
    # Keyed by canonical content: schema versions are immutable, so the cache never goes stale.
    schema = parse_json(canonical_text)
    cls = _VALIDATORS.get(dialect_of(schema) or "", validators.Draft202012Validator)
    return cls(schema, registry=META_SCHEMAS, format_checker=cls.FORMAT_CHECKER)


def _event_error(error: ValidationError) -> EventError:
    return EventError(
        path=to_pointer(error.absolute_path),
        schema_path=to_pointer(error.absolute_schema_path),
        message=error.message,
    )


def _error_order(error: ValidationError) -> tuple[list[str], list[str]]:
    return list(map(str, error.absolute_path)), list(map(str, error.absolute_schema_path))


DIALECT_URIS = {name: uri for uri, name in DIALECTS.items()}


def _reference_problems(schema: Any, dialect: str) -> list[SchemaProblem]:
    found = reference_problems(schema, DIALECT_URIS[dialect])
    return [SchemaProblem(pointer, message) for pointer, message in found]
