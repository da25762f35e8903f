"""An event type's shape (thin notification, delta or full state) as the lists show it,
classified from its latest schema and valid samples and kept per process."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from app.core import analysis as rules
from app.core.limits import LimitExceeded
from app.core.schema import SchemaDocument


def shape_of(document: SchemaDocument | None, samples: list[Any]) -> str | None:
    """The shape (thin, delta, full) of a schema and its valid samples; None with neither."""
    if document is None and not samples:
        return None
    return _shape(document, json.dumps(samples, sort_keys=True) if samples else None)


@lru_cache(maxsize=8192)
def _shape(document: SchemaDocument | None, samples_text: str | None) -> str:
    # Keyed by the document (immutable; app.services.schemas hands out one per stored schema)
    # and by the samples' text, so a cached shape never goes stale.
    samples = json.loads(samples_text) if samples_text is not None else None
    try:
        return rules.classify(document, samples).shape
    except LimitExceeded:  # stored under larger limits: shown without a shape, not a 422
        return None
