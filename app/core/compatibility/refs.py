"""The engine's view of a SchemaDocument: its draft, its nodes (built lazily) and references.

References are resolved by the document's one resolver; keywords the document's dialect does not
apply are invisible here, exactly as they are to the validator. A reference into a Confluent-style
referenced schema of another dialect goes on in a view of that dialect (``Document.at``), as the
validator does.
"""

from __future__ import annotations

import copy
from typing import Any

from app.core.schema import Dialect, SchemaDocument, Target

DRAFT4, DRAFT6, DRAFT7, DRAFT2019, DRAFT2020 = 4, 6, 7, 2019, 2020
REF_KEYS = ("$ref", "$recursiveRef", "$dynamicRef")
# Keywords whose values are data, not schemas: never scanned for references.
_VALUE_KEYS = frozenset(("enum", "const", "default", "examples"))


def _has_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, dict):
        return any(_has_bool(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_bool(v) for v in value)
    return False


class Document:
    """One schema as the engine walks it: ``raw``, ``draft`` (4, 6, 7, 2019 or 2020), the typed
    nodes built so far, and which subtrees are plain (no reference, no boolean literal)."""

    def __init__(self, schema: SchemaDocument) -> None:
        self.schema = schema
        self.raw = schema.raw
        self._read_in(schema.dialect)
        self.nodes: dict[int, Any] = {}
        self._plain: dict[int, bool] = {}
        self._views: dict[int, dict] = {}
        self._dialects: dict[Dialect, Document] = {schema.dialect: self}
        self._scan(self.raw)

    @classmethod
    def of(cls, schema: SchemaDocument) -> Document:
        """Return the schema's model, built on first use and kept with the document, as its
        validators are (app.core.validation.compiled). A model only ever gains nodes built from
        its own schema, so one serves every comparison: a stored schema, whose document the
        services cache by id and fingerprint, is modelled once per process, however many
        transitive checks compare against it."""
        found = schema.__dict__.get("_compatibility_model")
        if found is None:
            found = cls(schema)
            schema.__dict__["_compatibility_model"] = found
        return found

    def _read_in(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.draft = dialect.order
        self.keywords = dialect.keywords
        self.reference_words = tuple(w for w in REF_KEYS if w in self.keywords)

    def at(self, target: Target) -> Document:
        """Return the view in which target's schema is read: this one, or for a target in a
        referenced schema of another dialect, the same document read in that dialect (one
        cache of nodes: a sub-schema sits in one resource, so it has one dialect)."""
        dialect = target.place.dialect if target.place is not None else None
        if dialect is None or dialect is self.dialect:
            return self
        found = self._dialects.get(dialect)
        if found is None:
            found = copy.copy(self)  # shares the caches and the family of views
            found._read_in(dialect)
            self._dialects[dialect] = found
        return found

    def _scan(self, value: Any) -> bool:
        """Record which subtrees are plain: no reference and no boolean literal."""
        if isinstance(value, list):
            return all([self._scan(v) for v in value])
        if not isinstance(value, dict):
            return True
        plain = True
        for key, sub in value.items():
            if key in _VALUE_KEYS:
                plain = plain and not _has_bool(sub)
            elif key in REF_KEYS and isinstance(sub, str):
                plain = False
            elif isinstance(sub, dict | list):
                plain = self._scan(sub) and plain
        self._plain[id(value)] = plain
        return plain

    def is_plain(self, raw: Any) -> bool:
        """Tell whether raw holds no reference and no boolean literal (safe for == shortcuts)."""
        return isinstance(raw, bool) or self._plain.get(id(raw), False)

    def view(self, raw: dict) -> dict:
        """Return raw without the keywords its dialect ignores (``dependentRequired`` in
        draft-07, ``dependencies`` in 2020-12…); unknown extension keywords are dropped too."""
        found = self._views.get(id(raw))
        if found is None:
            keywords = self.keywords
            found = {key: value for key, value in raw.items() if key in keywords}
            self._views[id(raw)] = found
        return found

    def same_references(self, other: Document) -> bool:
        """Tell whether both documents name the same schemas through their Confluent-style
        references (the same text with other references is other content: its fingerprint
        says which)."""
        return self.schema.fingerprint == other.schema.fingerprint

    def resolve(self, holder: dict, word: str) -> Target:
        """Return where holder's reference keyword leads (raises UnresolvableReference); a
        ``$ref`` may lead into a referenced schema, whose nodes the engine walks as this
        document's, read in that schema's own dialect (``at``), as the validator reads them."""
        return self.schema.resolve(holder, word)
