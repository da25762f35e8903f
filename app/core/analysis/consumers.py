"""What an event's shape costs its consumers: call-backs per event and missing fields."""

from __future__ import annotations

from typing import Any

from app.core.vocabulary import EventShape
from app.core.words import counted, verb

from .model import ConsumerCost, ConsumerGap, ShapeResult

_TRADE_OFFS = {
    EventShape.THIN: (
        "A thin event means {callbacks} to the producer per event, and each call races "
        "with later changes: the consumer may read a newer state than the one announced."
    ),
    EventShape.DELTA: (
        "A delta is small and says exactly what changed, but every consumer must hold the "
        "prior state and apply changes in order; {consumers} still {call}."
    ),
    EventShape.FULL: (
        "A full event is larger and couples consumers to the producer's model, but spares "
        "call-backs; {consumers} still {call}."
    ),
}


def missing_fields(needed: list[str], event_fields: set[str]) -> list[str]:
    """The pointers a consumer reads (``needed``) that the event does not carry."""
    return [p for p in needed if not _covered(p, event_fields)]


def _covered(pointer: str, event_fields: set[str]) -> bool:
    # Reading a parent object is satisfied by any of its children being carried, and vice versa.
    if pointer in event_fields:
        return True
    prefix = pointer.rstrip("/") + "/"
    return any(f.startswith(prefix) for f in event_fields)


def _gap(consumer: dict[str, Any], event_fields: set[str]) -> ConsumerGap:
    name = str(consumer.get("name") or "unnamed consumer")
    needed = [str(p) for p in consumer.get("fields") or []]
    missing = missing_fields(needed, event_fields)
    calls_back = bool(consumer.get("calls_back")) or bool(missing)
    if consumer.get("calls_back"):
        reason = "declares that it calls the producer back"
    elif missing:
        reason = f"reads {counted(len(missing), 'field')} the event does not carry"
    else:
        reason = "everything it reads is in the event"
    return ConsumerGap(name, calls_back, missing, reason)


def consumer_cost(
    shape: ShapeResult, consumers: list[dict], event_fields: set[str]
) -> ConsumerCost:
    """Count consumers that must call the producer back per event, and what each one lacks."""
    if not isinstance(consumers, list):
        raise ValueError("consumers must be a list of {name, fields, calls_back} dicts")
    gaps = [_gap(c, set(event_fields)) for c in consumers]
    callbacks = sum(1 for g in gaps if g.calls_back)
    trade_off = _TRADE_OFFS[shape.shape].format(
        callbacks=counted(callbacks, "call-back"),
        consumers=counted(callbacks, "consumer"),
        call=verb(callbacks, "calls back", "call back"),
    )
    return ConsumerCost(shape.shape, len(gaps), callbacks, gaps, trade_off)
