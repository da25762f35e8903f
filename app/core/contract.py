"""A registered content's identity: the schema with its references, and a data contract's
extras (Confluent's ``metadata`` and ``ruleSet``).

Confluent gives one global id to one schema text with its references, metadata and rule set;
Eventry stores each such content once, keyed by a fingerprint. Without extras the fingerprint
is the schema document's own (so contents registered before extras existed keep theirs).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from app.core.canonical import canonical_json
from app.core.errors import InvalidSchemaInput
from app.core.schema import SchemaDocument


@dataclass(frozen=True)
class Contract:
    """What a registration carries besides the schema: ``references`` as sent
    (``[{"name", "subject", "version"}]``), ``metadata`` and ``rule_set`` (JSON objects kept
    exactly as sent, or None)."""

    references: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, Any] | None = None
    rule_set: dict[str, Any] | None = None

    def fingerprint(self, document: SchemaDocument) -> str:
        """The content's identity: the document's fingerprint (which covers its references),
        extended by the metadata and rule set when present (sha-256 hex)."""
        if self.metadata is None and self.rule_set is None:
            return document.fingerprint
        text = canonical_json(
            {"schema": document.fingerprint, "metadata": self.metadata, "ruleSet": self.rule_set}
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def group_value(self, group: str | None) -> Any:
        """The value of the compatibility group's property in the metadata (None without)."""
        if not group or not isinstance(self.metadata, dict):
            return None
        properties = self.metadata.get("properties")
        return properties.get(group) if isinstance(properties, dict) else None


def checked_contract(references: Any, metadata: Any, rule_set: Any) -> Contract:
    """Check the shapes of a registration's extras and return them as a Contract.

    Raises InvalidSchemaInput (Confluent's 42201) for references that are not a list of
    ``{"name": str, "subject": str, "version": int}`` with distinct names (version -1 means the
    latest), and for metadata or a rule set that is not an object."""
    references = [] if references is None else references
    if not isinstance(references, list):
        raise InvalidSchemaInput("references must be a list of {name, subject, version}")
    names = set()
    for at, reference in enumerate(references):
        _check_reference(at, reference)
        if reference["name"] in names:
            raise InvalidSchemaInput(f"references/{at}: the name {reference['name']!r} repeats")
        names.add(reference["name"])
    for word, value in (("metadata", metadata), ("ruleSet", rule_set)):
        if value is not None and not isinstance(value, dict):
            raise InvalidSchemaInput(f"{word} must be a JSON object")
    return Contract(list(references), metadata, rule_set)


def _check_reference(at: int, reference: Any) -> None:
    where = f"references/{at}"
    if not isinstance(reference, dict):
        raise InvalidSchemaInput(f"{where} must be an object {{name, subject, version}}")
    for word in ("name", "subject"):
        if not isinstance(reference.get(word), str) or not reference[word]:
            raise InvalidSchemaInput(f"{where}: {word} must be a non-empty string")
    version = reference.get("version")
    if (
        isinstance(version, bool)
        or not isinstance(version, int)
        or not (version >= 1 or version == -1)
    ):
        raise InvalidSchemaInput(f"{where}: version must be a whole number from 1, or -1")
