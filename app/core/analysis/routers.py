"""Router cost estimates and advice: which bus carries an event stream, at what price.

Prices are public list prices (us-east-1, without free tiers) and are estimates only;
callers may pass their own table with the same keys.
"""

from __future__ import annotations

import math
from typing import Any

from app.core.vocabulary import UNORDERED_ROUTERS, EventShape

from .model import RouterEstimate

KIB = 1024
MIB = 1024 * 1024
HOURS_PER_MONTH = 730

DEFAULT_PRICES: dict[str, dict[str, Any]] = {
    "eventbridge": {
        "usd_per_million_events": 1.00,
        "chunk_bytes": 64 * KIB,  # each 64 KiB chunk of a payload is billed as one event
        "max_event_bytes": 256 * KIB,
        "ordering": "none",
        "note": "Custom events put on a bus; each 64 KiB chunk is billed as one event.",
    },
    "kinesis": {
        "usd_per_shard_hour": 0.015,
        "usd_per_million_put_units": 0.014,
        "put_unit_bytes": 25 * KIB,  # a PUT payload unit is 25 KiB
        "shard_bytes_per_second": 1 * MIB,
        "shard_records_per_second": 1000,
        "ordering": "per key",
        "note": "Kinesis Data Streams provisioned; a shard takes 1 MiB/s or 1,000 records/s.",
    },
    "sns": {
        "usd_per_million_requests": 0.50,
        "chunk_bytes": 64 * KIB,
        "max_event_bytes": 256 * KIB,
        "ordering": "none",
        "note": "Standard topic publishes; each 64 KiB chunk is one request; deliveries extra.",
    },
    "sqs": {
        "usd_per_million_requests": 0.40,
        "chunk_bytes": 64 * KIB,
        "max_event_bytes": 256 * KIB,
        "requests_per_message": 3,  # send, receive and delete, unbatched
        "ordering": "none",
        "note": "Standard queue; send + receive + delete per message, each 64 KiB chunk a request.",
    },
    "kafka": {
        "usd_per_broker_hour": 0.21,  # kafka.m5.large, MSK provisioned
        "min_brokers": 3,
        "broker_bytes_per_second": 10 * MIB,  # planning figure, not a hard limit
        "usd_per_gb_month_storage": 0.10,
        "retention_hours": 168,
        "replication_factor": 3,
        "ordering": "per key",
        "note": "Documented estimate for an MSK-like provisioned cluster: broker-hours + storage.",
    },
    "mq": {
        "ordering": "per key",
        "note": "Not estimated: broker pricing depends on engine, instance size and deployment.",
    },
}


# Beyond any stream a router carries, and small enough that every product in an estimate stays
# a finite float (1e308 events a second overflowed to infinity, then failed in math.ceil).
MAX_EVENTS_PER_SECOND = 1e9
MAX_PAYLOAD_BYTES = 2**31 - 1


def _check(events_per_second: float, payload_bytes: int) -> None:
    if not isinstance(events_per_second, int | float) or isinstance(events_per_second, bool):
        raise ValueError("events_per_second must be a number")
    if not isinstance(payload_bytes, int) or isinstance(payload_bytes, bool):
        raise ValueError("payload_bytes must be an integer number of bytes")
    if not 0 <= events_per_second <= MAX_EVENTS_PER_SECOND:  # NaN fails every comparison
        most = f"{MAX_EVENTS_PER_SECOND:g}"
        raise ValueError(f"events_per_second must be from 0 to {most}, got {events_per_second}")
    if not 0 <= payload_bytes <= MAX_PAYLOAD_BYTES:
        raise ValueError(
            f"payload_bytes must be from 0 to {MAX_PAYLOAD_BYTES}, got {payload_bytes}"
        )


def _per_month(per_second: float) -> float:
    return per_second * 3600 * HOURS_PER_MONTH


def _chunks(payload_bytes: int, chunk: int) -> int:
    return max(1, math.ceil(payload_bytes / chunk))


def _requests_router(name: str, p: dict, eps: float, size: int) -> RouterEstimate:
    chunks = _chunks(size, p["chunk_bytes"])
    per_message = p.get("requests_per_message", 1)
    price = p.get("usd_per_million_events", p.get("usd_per_million_requests"))
    billed = _per_month(eps) * chunks * per_message
    breakdown = {
        "chunks_per_event": chunks,
        "requests_per_event": chunks * per_message,
        "billed_units_per_month": round(billed),
        "usd_per_million": price,
        "over_size_limit": size > p.get("max_event_bytes", math.inf),
        "note": p["note"],
    }
    return RouterEstimate(name, round(billed / 1e6 * price, 2), p["ordering"], breakdown)


def _kinesis(p: dict, eps: float, size: int) -> RouterEstimate:
    by_bytes = math.ceil(eps * size / p["shard_bytes_per_second"])
    by_records = math.ceil(eps / p["shard_records_per_second"])
    shards = max(1, by_bytes, by_records)
    units = _chunks(size, p["put_unit_bytes"])
    shard_usd = shards * p["usd_per_shard_hour"] * HOURS_PER_MONTH
    put_usd = _per_month(eps) * units / 1e6 * p["usd_per_million_put_units"]
    breakdown = {
        "shards": shards,
        "shards_for_throughput": by_bytes,
        "shards_for_records": by_records,
        "put_units_per_record": units,
        "shard_hours_usd": round(shard_usd, 2),
        "put_units_usd": round(put_usd, 2),
        "note": p["note"],
    }
    return RouterEstimate("kinesis", round(shard_usd + put_usd, 2), "per key", breakdown)


def _kafka(p: dict, eps: float, size: int) -> RouterEstimate:
    need = math.ceil(eps * size * p["replication_factor"] / p["broker_bytes_per_second"])
    # Brokers are spread over three zones, so clusters grow in threes.
    brokers = max(p["min_brokers"], 3 * math.ceil(need / 3))
    stored_gb = eps * size * 3600 * p["retention_hours"] * p["replication_factor"] / 1e9
    broker_usd = brokers * p["usd_per_broker_hour"] * HOURS_PER_MONTH
    storage_usd = stored_gb * p["usd_per_gb_month_storage"]
    breakdown = {
        "brokers": brokers,
        "stored_gb": round(stored_gb, 2),
        "broker_hours_usd": round(broker_usd, 2),
        "storage_usd": round(storage_usd, 2),
        "note": p["note"],
    }
    return RouterEstimate("kafka", round(broker_usd + storage_usd, 2), "per key", breakdown)


def estimate(
    events_per_second: float, payload_bytes: int, prices: dict | None = None
) -> list[RouterEstimate]:
    """Monthly cost of each router kind for a stream of events of a given size."""
    _check(events_per_second, payload_bytes)
    # An override changes single prices of a router and keeps the rest of its entry.
    overrides = prices or {}
    table = {name: {**entry, **overrides.get(name, {})} for name, entry in DEFAULT_PRICES.items()}
    out = []
    for name in ("eventbridge", "sns", "sqs"):
        out.append(_requests_router(name, table[name], events_per_second, payload_bytes))
    out.append(_kinesis(table["kinesis"], events_per_second, payload_bytes))
    out.append(_kafka(table["kafka"], events_per_second, payload_bytes))
    mq = table["mq"]
    out.append(RouterEstimate("mq", None, "per key", {"note": mq["note"], "estimated": False}))
    return out


def router_advice(router: str, shape: str, needs_ordering: bool) -> list[str]:
    """Plain-words advice on carrying an event of this shape on this router."""
    kind = (router or "").lower()
    if kind not in DEFAULT_PRICES and kind != "other":
        raise ValueError(f"unknown router {router!r}")
    ordered = DEFAULT_PRICES.get(kind, {}).get("ordering") == "per key"
    advice = []
    if needs_ordering and not ordered:
        advice.append(
            f"{kind} does not keep order: carry an entity version and let consumers drop "
            "stale events, or move to kinesis/kafka keyed by the aggregate id."
        )
    if shape == EventShape.DELTA and not ordered:
        advice.append("Deltas on an unordered router need gap detection (version N+1 on top of N).")
    if shape == EventShape.FULL and kind in UNORDERED_ROUTERS:
        advice.append("Full events over 64 KiB are billed per 64 KiB chunk; keep payloads lean.")
    if shape == EventShape.THIN:
        advice.append(
            "Thin events are cheap to route; the cost moves to call-backs to the producer."
        )
    if ordered and not needs_ordering:
        advice.append(f"{kind} keeps order per key; if order does not matter a cheaper bus may do.")
    return advice
