"""Example events of a schema version: generated, validated, never stored."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.core.examples import example_of
from app.core.vocabulary import MAX_NUMBER
from app.services import served
from app.services.tree_event import load_event, tree_schema

# A seed is any whole number from 0 to this: what a 32-bit signed integer holds, as any
# client's does.
MAX_SEED = MAX_NUMBER


@dataclass(frozen=True)
class Example:
    """An example event (``event``, a parsed JSON value) of ``version`` of ``domain.name``,
    made from ``seed``."""

    domain: str
    name: str
    version: int
    seed: int
    event: Any

    def to_dict(self) -> dict[str, Any]:
        """``{"event": "domain.Name", "version", "seed", "example"}``, JSON-ready."""
        return {
            "event": f"{self.domain}.{self.name}",
            "version": self.version,
            "seed": self.seed,
            "example": self.event,
        }


def example(
    session: Session, domain: str, name: str, number: str | int = "latest", seed: int = 0
) -> Example:
    """Generate an example event for a live version (a number or "latest") from ``seed``
    (0 to MAX_SEED): the same seed gives the same event. Raises NotFound for an unknown event
    type or version, NoExample (422) when the schema admits no value the generator can make,
    LimitExceeded (422) beyond the work budget."""
    version, document = served.version_document(session, domain, name, number)
    return Example(domain, name, version, seed, example_of(document, seed))


def tree_example(root: Path, ref: str, version: int | None = None, seed: int = 0) -> Example:
    """An example event of a live version (default: the latest) of an event of a
    schemas-as-code tree, offline. Raises TreeError for an unknown event or version or broken
    files, and what ``example_of`` raises."""
    _catalog, event = load_event(root, ref)
    spec = tree_schema(root, ref, version)
    return Example(event.domain, event.name, spec.number, seed, example_of(spec.document, seed))
