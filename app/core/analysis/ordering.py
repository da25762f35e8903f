"""Ordering hazard: state-carrying events on routers that do not keep order."""

from __future__ import annotations

from app.core.schema import SchemaDocument
from app.core.vocabulary import SHAPES, UNORDERED_ROUTERS, EventShape

from .fields import flatten_schema, sample_fields, schema_envelope_names
from .model import OrderingHazard
from .names import FORMAT_VERSION_NAMES, OCCURRED_AT_NAMES, is_version_name, norm


def _names(
    document: SchemaDocument | None, samples: list[dict] | None
) -> tuple[set[str], set[str]]:
    """Field names of the payload and of the envelope, normalised."""
    payload: set[str] = set()
    envelope: set[str] = set()
    if document is not None:
        fields, _kind = flatten_schema(document)
        payload.update(norm(f.name) for f in fields)
        envelope.update(norm(n) for n in schema_envelope_names(document))
    for sample in samples or []:
        fields, _kind, meta = sample_fields(sample)
        payload.update(norm(f.name) for f in fields)
        envelope.update(norm(p.rsplit("/", 1)[-1]) for p in meta)
    return payload, envelope


def _has_version(payload: set[str], envelope: set[str]) -> bool:
    candidates = (payload | envelope) - FORMAT_VERSION_NAMES
    # A bare `version` in an envelope is usually the envelope format (EventBridge "0").
    candidates -= {"version"} if "version" not in payload else set()
    return any(is_version_name(n) for n in candidates)


def _has_occurred_at(payload: set[str], envelope: set[str]) -> bool:
    return bool((payload | envelope) & OCCURRED_AT_NAMES)


def needs_ordering(shape: str) -> bool:
    """Whether events of this shape must be applied in order: a full or delta event carries
    state, so an older one applied over a newer one loses a change (a thin one carries none)."""
    return shape in {EventShape.FULL, EventShape.DELTA}


def ordering_hazard(
    shape: str,
    router: str | None,
    document: SchemaDocument | None,
    samples: list[dict] | None,
) -> OrderingHazard | None:
    """Flag full/delta events on eventbridge/sns/sqs lacking an entity version or occurred-at."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; expected thin, delta or full")
    kind = (router or "").lower()
    if shape == EventShape.THIN or kind not in UNORDERED_ROUTERS:
        return None
    payload, envelope = _names(document, samples)
    missing = []
    if not _has_version(payload, envelope):
        missing.append("entity version or sequence number")
    if not _has_occurred_at(payload, envelope):
        missing.append("occurred-at time")
    if not missing:
        return None
    return OrderingHazard(kind, shape, missing, _message(kind, shape, missing), _fix(shape))  # type: ignore[arg-type]


def _message(router: str, shape: str, missing: list[str]) -> str:
    return (
        f"{router} does not keep order, and this {shape} event has no "
        f"{' and no '.join(missing)}: consumers can apply an old state over a newer one."
    )


def _fix(shape: str) -> str:
    base = (
        "Add an entity version (e.g. `entityVersion`, incremented on every change) and an "
        "`occurredAt` time; consumers keep the highest version seen and drop older ones."
    )
    if shape == EventShape.DELTA:
        base += " Deltas also need gap detection: version N+1 applies only on top of version N."
    return base + " Or move the event to an ordered router (kinesis, kafka) keyed by entity id."
