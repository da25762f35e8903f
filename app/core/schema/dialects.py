"""JSON Schema dialects: the drafts Eventry supports, their keywords, and the default one.

A schema names its dialect with ``$schema``; one without it is read in the registry's default
dialect, ``draft-07`` unless ``EVENTRY_DEFAULT_DIALECT`` says otherwise. Draft-07 is what
Confluent Schema Registry and Karapace assume for a JSON Schema without ``$schema``.
"""

from __future__ import annotations

import os
from enum import StrEnum
from functools import cached_property
from typing import Any

from jsonschema import validators

from app.core.schema.messages import show

DEFAULT_DIALECT_SETTING = "EVENTRY_DEFAULT_DIALECT"
# Annotations and structure: keywords every dialect reads but that never reject an instance.
_ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "id",
        "$comment",
        "title",
        "description",
        "default",
        "examples",
        "readOnly",
        "writeOnly",
        "deprecated",
        "definitions",
        "$defs",
        "contentMediaType",
        "contentEncoding",
        "contentSchema",
        "$anchor",
        "$dynamicAnchor",
        "$recursiveAnchor",
        "$vocabulary",
    }
)


class Dialect(StrEnum):
    """A supported JSON Schema draft, by the short name used in settings and responses."""

    DRAFT4 = "draft-04"
    DRAFT6 = "draft-06"
    DRAFT7 = "draft-07"
    DRAFT2019 = "2019-09"
    DRAFT2020 = "2020-12"

    @property
    def uri(self) -> str:
        """The meta-schema URI a schema of this dialect names in ``$schema``."""
        return _URIS[self]

    @property
    def order(self) -> int:
        """A number that sorts the drafts by age: 4, 6, 7, 2019, 2020."""
        return _ORDER[self]

    @property
    def validator_class(self) -> Any:
        """python-jsonschema's validator class for this draft (the reference validator)."""
        return _VALIDATORS[self]

    @cached_property
    def assertions(self) -> frozenset[str]:
        """The keywords this draft's validator applies (``then``/``else`` with ``if``; the
        ``*Contains`` bounds with ``contains`` from 2019-09). Taken from python-jsonschema's
        validator class, so the compatibility engine ignores exactly what validation ignores."""
        words = set(self.validator_class.VALIDATORS)
        if "if" in words:
            words |= {"then", "else"}
        if self.order >= 2019:
            words |= {"minContains", "maxContains"}
        if self is Dialect.DRAFT4:
            words |= {"exclusiveMaximum", "exclusiveMinimum"}  # booleans beside maximum/minimum
        return frozenset(words)

    @cached_property
    def keywords(self) -> frozenset[str]:
        """Every keyword this draft knows: its assertions and the annotations."""
        return self.assertions | _ANNOTATIONS


_URIS = {
    Dialect.DRAFT4: "http://json-schema.org/draft-04/schema#",
    Dialect.DRAFT6: "http://json-schema.org/draft-06/schema#",
    Dialect.DRAFT7: "http://json-schema.org/draft-07/schema#",
    Dialect.DRAFT2019: "https://json-schema.org/draft/2019-09/schema",
    Dialect.DRAFT2020: "https://json-schema.org/draft/2020-12/schema",
}
_ORDER = {
    Dialect.DRAFT4: 4,
    Dialect.DRAFT6: 6,
    Dialect.DRAFT7: 7,
    Dialect.DRAFT2019: 2019,
    Dialect.DRAFT2020: 2020,
}
_VALIDATORS = {
    Dialect.DRAFT4: validators.Draft4Validator,
    Dialect.DRAFT6: validators.Draft6Validator,
    Dialect.DRAFT7: validators.Draft7Validator,
    Dialect.DRAFT2019: validators.Draft201909Validator,
    Dialect.DRAFT2020: validators.Draft202012Validator,
}


def _normalise(uri: str) -> str:
    return uri.strip().rstrip("#").replace("https://", "http://", 1)


_BY_URI = {_normalise(uri): dialect for dialect, uri in _URIS.items()}


def dialect_of_uri(uri: Any) -> Dialect | None:
    """Return the dialect a ``$schema`` value names (http or https, with or without the
    trailing ``#``), or None when it names no supported draft."""
    return _BY_URI.get(_normalise(uri)) if isinstance(uri, str) else None


def parse_dialect(text: str) -> Dialect:
    """Return the dialect named by a short name ('draft-07', '2020-12'…) or a meta-schema URI.

    Raises ValueError naming the accepted values.
    """
    for dialect in Dialect:
        if text.strip().lower() in (dialect.value, dialect.name.lower()):
            return dialect
    found = dialect_of_uri(text)
    if found is None:
        names = ", ".join(d.value for d in Dialect)
        raise ValueError(f"unknown JSON Schema dialect {show(text)}; use one of {names}")
    return found


_configured: list[Dialect] = []


def configure_default(dialect: Dialect | str | None) -> None:
    """Set the process's default dialect (the app factory does, from its settings); None goes
    back to reading ``EVENTRY_DEFAULT_DIALECT``. Raises ValueError for an unknown name."""
    _configured[:] = [] if dialect is None else [parse_dialect(str(dialect))]


def default_dialect() -> Dialect:
    """The dialect of a schema without ``$schema``: the configured one, else
    ``EVENTRY_DEFAULT_DIALECT``, else draft-07.

    Raises ValueError when the setting names no supported dialect.
    """
    if _configured:
        return _configured[0]
    return parse_dialect(os.environ.get(DEFAULT_DIALECT_SETTING) or Dialect.DRAFT7.value)
