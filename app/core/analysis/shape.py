"""Classify an event as thin (notification), delta (what changed) or full (state transfer)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from app.core.schema import SchemaDocument
from app.core.vocabulary import EventShape, ShapeSignal
from app.core.words import counted, verb

from .changes import find_changes
from .fields import Field, flatten_schema, sample_fields
from .model import ShapeResult, Signal
from .names import BUSINESS, ID, LINK, REF, STATUS
from .samples import sample_signals
from .signals import Stats, coverage, id_share, measure

# Richness at or above this is a full event; five business attributes reach it.
FULL_THRESHOLD = 0.6
_RICHNESS_SCALE = 5.0
_MAX_POINTERS = 8


@dataclass
class Evidence:
    """Everything measured on the schema and the samples of one event."""

    views: list[Stats] = field(default_factory=list)
    all_fields: list[Field] = field(default_factory=list)
    schema_fields: list[Field] = field(default_factory=list)
    per_sample: list[list[Field]] = field(default_factory=list)
    samples: list[dict] = field(default_factory=list)
    envelope: str | None = None
    kinds: list[str | None] = field(default_factory=list)  # each sample's envelope


def gather(document: SchemaDocument | None, samples: list[dict] | None) -> Evidence:
    """Flatten the schema and samples (after unwrapping envelopes) and measure them."""
    ev = Evidence(samples=list(samples or []))
    for sample in samples or []:
        fields, kind, _meta = sample_fields(sample)
        ev.envelope = ev.envelope or kind
        ev.kinds.append(kind)
        ev.per_sample.append(fields)
        ev.all_fields.extend(fields)
        ev.views.append(measure(fields))
    if document is not None:
        ev.schema_fields, kind = flatten_schema(document)
        ev.envelope = ev.envelope or kind
        ev.all_fields.extend(ev.schema_fields)
        if not ev.per_sample:
            # A schema alone tells what may be carried; samples, when known, tell what is.
            ev.views.append(measure(ev.schema_fields))
    return ev


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def richness_of(weight: float, depth: int) -> float:
    """Map a business weight (and nesting) to [0, 1] with diminishing returns."""
    value = 1.0 - math.exp(-weight / _RICHNESS_SCALE)
    if depth >= 3 and weight >= 3:
        value += 0.05  # nested business objects are a sign of a whole aggregate
    return round(min(1.0, max(0.0, value)), 3)


def classify(
    document: SchemaDocument | None = None, samples: list[dict] | None = None
) -> ShapeResult:
    """Classify an event from its JSON Schema document and/or sample payloads."""
    if document is None and not samples:
        raise ValueError("classify needs a schema, samples, or both")
    return _classified(gather(document, samples))


def _classified(ev: Evidence) -> ShapeResult:
    weight = _mean([v.business_weight() for v in ev.views])
    depth = max((v.max_business_depth for v in ev.views), default=0)
    richness = richness_of(weight, depth)
    signals = _signals(ev, weight, depth)
    shape = _decide(signals, richness)
    return ShapeResult(shape, richness, signals, _advice(shape, signals), ev.envelope)


def _one_sample(ev: Evidence, index: int) -> EventShape:
    """The shape of the index-th sample alone: what classify(samples=[that sample]) answers,
    from the fields and counts already gathered for it (each sample is walked once)."""
    fields = ev.per_sample[index]
    alone = Evidence(
        views=[ev.views[index]],
        all_fields=list(fields),
        per_sample=[fields],
        samples=[ev.samples[index]],
        envelope=ev.kinds[index],
        kinds=[ev.kinds[index]],
    )
    return _classified(alone).shape


def _signals(ev: Evidence, weight: float, depth: int) -> list[Signal]:
    out: list[Signal] = []
    out += _identifier_signal(ev.views)
    out += _link_signal(ev.views, weight)
    out += _status_signal(ev.views, weight)
    out += _delta_signals(ev.all_fields)
    out += _actor_signal(ev.views)
    out.append(_business_signal(ev.views, weight, depth))
    out += _coverage_signal(ev)
    out += _null_padding_signal(ev.views)
    out += sample_signals(
        ev.per_sample, ev.schema_fields, lambda index: _one_sample(ev, index), ev.samples
    )
    return out


def _pointers(views: list[Stats], category: str) -> list[str]:
    seen: list[str] = []
    for view in views:
        seen += [p for p in view.pointers[category] if p not in seen]
    return seen[:_MAX_POINTERS]


def _identifier_signal(views: list[Stats]) -> list[Signal]:
    share = _mean([id_share(v) for v in views])
    if not any(v.counts[ID] for v in views):
        return []
    points = EventShape.THIN if share >= 0.5 else None
    msg = f"{share:.0%} of the payload's own fields are identifiers"
    return [
        Signal(ShapeSignal.IDENTIFIER_SHARE, msg, _pointers(views, ID), round(share, 3), points)
    ]


def _link_signal(views: list[Stats], weight: float) -> list[Signal]:
    links = _pointers(views, LINK)
    if not links:
        return []
    many = counted(len(links), "link")
    if weight <= 4:
        msg = f"{many} {verb(len(links), 'invites', 'invite')} consumers to call back, alongside"
        return [
            Signal(ShapeSignal.CALLBACK_LINKS, f"{msg} little else", links, 0.6, EventShape.THIN)
        ]
    msg = f"{many} {verb(len(links), 'sits', 'sit')} next to a rich payload; consumers rarely"
    msg += " need them"
    return [Signal(ShapeSignal.CALLBACK_LINKS, msg, links, 0.1, None)]


def _status_signal(views: list[Stats], weight: float) -> list[Signal]:
    statuses = _pointers(views, STATUS)
    if statuses and all(v.counts[BUSINESS] == 0 for v in views) and weight <= 2:
        msg = "apart from identifiers and times the payload only says a status"
        return [Signal(ShapeSignal.STATUS_ONLY, msg, statuses, 0.8, EventShape.THIN)]
    return []


# Each form of change evidence (app/core/analysis/changes.py): its signal, message, weight, shape.
_CHANGE_FORMS = (
    (
        "markers",
        ShapeSignal.DELTA_MARKERS,
        "the event carries a change set (changed-field lists, old/new values or a patch)",
        1.0,
        EventShape.DELTA,
    ),
    (
        "id_pairs",
        ShapeSignal.OLD_NEW_IDENTIFIERS,
        "old and new identifiers side by side: the change is which entity is referenced",
        0.9,
        EventShape.DELTA,
    ),
    (
        "renames",
        ShapeSignal.RENAME,
        "a rename or move: the old and the new name travel, not the state",
        0.9,
        EventShape.DELTA,
    ),
    (
        "patch_requests",
        ShapeSignal.PATCH_REQUEST,
        "the event records a PATCH request: its body is the change, not the state",
        0.8,
        EventShape.DELTA,
    ),
    (
        "images",
        ShapeSignal.FULL_IMAGES,
        "before/after images carry the complete state; no prior state is needed",
        0.7,
        EventShape.FULL,
    ),
)


def _delta_signals(fields: list[Field]) -> list[Signal]:
    found = find_changes(fields)
    out = []
    for attr, sid, msg, weight, points_to in _CHANGE_FORMS:
        pointers = sorted(set(getattr(found, attr)))[:_MAX_POINTERS]
        if pointers:
            out.append(Signal(sid, msg, pointers, weight, points_to))
    return out


def _actor_signal(views: list[Stats]) -> list[Signal]:
    refs = _pointers(views, REF)
    if not refs:
        return []
    msg = (
        f"{counted(len(refs), 'field')} {verb(len(refs), 'names', 'name')} an actor or a "
        "related person (sender, createdBy, owner…): neither the subject's identifier nor its state"
    )
    return [Signal(ShapeSignal.ACTOR_REFERENCES, msg, refs, float(len(refs)), None)]


def _business_signal(views: list[Stats], weight: float, depth: int) -> Signal:
    points = EventShape.FULL if richness_of(weight, depth) >= FULL_THRESHOLD else EventShape.THIN
    # The weight counts times and statuses at half, so it is said whole and explained.
    nesting = f"nested {counted(depth, 'level')} deep" if depth else "none nested"
    msg = (
        f"about {counted(round(weight), 'business attribute')} (times and statuses count "
        f"half), {nesting}"
    )
    return Signal(
        ShapeSignal.BUSINESS_ATTRIBUTES, msg, _pointers(views, BUSINESS), round(weight, 2), points
    )


def _coverage_signal(ev: Evidence) -> list[Signal]:
    share = coverage(ev.schema_fields, ev.per_sample)
    if share is None:
        return []
    points = EventShape.DELTA if share < 0.4 else None
    msg = f"samples carry {share:.0%} of the schema's fields"
    return [Signal(ShapeSignal.SCHEMA_COVERAGE, msg, [], round(share, 3), points)]


def _null_padding_signal(views: list[Stats]) -> list[Signal]:
    padded = [v.nulls / (v.nulls + v.leaves) for v in views if v.nulls + v.leaves]
    share = _mean(padded)
    if share < 0.5:
        return []
    msg = f"{share:.0%} of the sample's fields are null: unchanged fields may be padded out"
    return [Signal(ShapeSignal.NULL_PADDING, msg, [], round(share, 3), None)]


def _decide(signals: list[Signal], richness: float) -> EventShape:
    ids = {s.id: s for s in signals}
    if any(s.points_to == EventShape.DELTA and s.id in _DELTA_DECIDES for s in signals):
        return EventShape.DELTA
    if ShapeSignal.FULL_IMAGES in ids:
        return EventShape.FULL
    if ShapeSignal.STATUS_ONLY in ids:
        return EventShape.THIN
    if (
        ShapeSignal.CALLBACK_LINKS in ids
        and ids[ShapeSignal.CALLBACK_LINKS].points_to == EventShape.THIN
    ):
        return EventShape.THIN if richness < FULL_THRESHOLD + 0.15 else EventShape.FULL
    return EventShape.FULL if richness >= FULL_THRESHOLD else EventShape.THIN


# Signals that alone make an event a delta; schema coverage only advises.
_DELTA_DECIDES = {
    ShapeSignal.DELTA_MARKERS,
    ShapeSignal.OLD_NEW_IDENTIFIERS,
    ShapeSignal.RENAME,
    ShapeSignal.PATCH_REQUEST,
    ShapeSignal.VARYING_FIELDS,
}


def _advice(shape: EventShape, signals: list[Signal]) -> list[str]:
    ids = {s.id for s in signals}
    advice = list(_SHAPE_ADVICE[shape])
    if shape == EventShape.DELTA and _rich(signals):
        advice.append(
            "The change set travels with a full copy of the entity: consumers may read either, "
            "so document which one they should trust."
        )
    if ShapeSignal.NULL_PADDING in ids:
        advice.append(
            "Null values may mean 'unchanged' rather than 'cleared'; say which, or list "
            "cleared fields explicitly (as Salesforce does with nulledFields)."
        )
    if ShapeSignal.CALLBACK_LINKS in ids and shape == EventShape.THIN:
        advice.append(
            "Links are fine for rare needs; if most consumers follow them, widen the event."
        )
    return advice


def _rich(signals: list[Signal]) -> bool:
    business = next((s for s in signals if s.id == ShapeSignal.BUSINESS_ATTRIBUTES), None)
    return business is not None and business.points_to == EventShape.FULL


_SHAPE_ADVICE: dict[EventShape, list[str]] = {
    EventShape.THIN: [
        "Consumers that need more than identifiers must call the producer back: one call per "
        "consumer per event, racing with later changes.",
        "Add the few fields most consumers read, or publish a full event beside this one.",
    ],
    EventShape.DELTA: [
        "Consumers must hold the prior state to apply a delta; a missed or reordered event "
        "corrupts it, so carry an entity version and let consumers detect gaps.",
    ],
    EventShape.FULL: [
        "A full event couples consumers to the producer's model: version its schema and "
        "close it (additionalProperties: false) so changes are deliberate.",
        "Carry an entity version so consumers can drop stale copies delivered out of order.",
    ],
}
