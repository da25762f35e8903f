"""Sample evidence: stored events that a schema change would break, beyond the structural rules."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.core.compatibility.types import compares_all, directions
from app.core.schema import SchemaDocument
from app.core.validation import EventError, is_valid, validate_event
from app.core.vocabulary import CompatibilityLevel


@dataclass(frozen=True)
class BrokenSample:
    """A sample valid under one schema that the other rejects: a concrete counter-example."""

    sample: str
    version: int
    direction: str
    errors: tuple[EventError, ...]

    def message(self) -> str:
        """Explain in one sentence what this sample shows."""
        if self.direction == "backward":
            return (
                f"sample {json.dumps(self.sample)} is valid under version {self.version} but "
                f"the new schema rejects it: {self.errors[0].message}"
            )
        return (
            f"sample {json.dumps(self.sample)} is valid under the new schema but version "
            f"{self.version} rejects it, so consumers still on it would fail: "
            f"{self.errors[0].message}"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the evidence as a JSON-ready dict."""
        return {
            "sample": self.sample,
            "version": self.version,
            "direction": self.direction,
            "message": self.message(),
            "errors": [error.to_dict() for error in self.errors],
        }


def broken_samples(
    samples: Sequence[tuple[str, Any]],
    previous: Sequence[tuple[int, SchemaDocument]],
    new: SchemaDocument,
    level: CompatibilityLevel,
) -> list[BrokenSample]:
    """Return the samples ``(name, payload)`` that show the new schema breaking a reader or a
    writer under the level, against the versions ``(number, document)``, oldest first."""
    if not directions(level) or not previous:
        return []
    targets = list(reversed(previous)) if compares_all(level) else [previous[-1]]
    found = []
    for version, old in targets:
        for direction in directions(level):
            if direction == "backward":
                found += _breaks(samples, version, writer=old, reader=new, direction=direction)
            else:
                found += _breaks(samples, version, writer=new, reader=old, direction=direction)
    return found


def _breaks(
    samples: Sequence[tuple[str, Any]],
    version: int,
    writer: SchemaDocument,
    reader: SchemaDocument,
    direction: str,
) -> list[BrokenSample]:
    found = []
    for name, payload in samples:
        if is_valid(writer, payload):
            errors = validate_event(reader, payload)
            if errors:
                found.append(BrokenSample(name, version, direction, tuple(errors)))
    return found
