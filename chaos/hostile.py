"""Requests built to hurt a worker (issue #11's list), each with the answers that are right
for it. Each must be answered in bounded time, by a worker that lives on."""

from __future__ import annotations

import json
from dataclasses import dataclass

from chaos.load import BASE, DOMAIN

HOSTILE_EVENT = "HostileInput"
CATASTROPHIC = "^(a+)+$"  # backtracks for minutes on "aaa…a!" in a backtracking engine
PATTERNED = {"type": "object", "properties": {"code": {"type": "string", "pattern": CATASTROPHIC}}}
TWO_MEGABYTES = 2 * 1024 * 1024
WIDE = 20_000  # properties of one object


@dataclass(frozen=True)
class Hostile:
    """One hostile request: the method, path and raw body, whether the body is sent chunked,
    and the statuses that are right answers to it."""

    name: str
    method: str
    path: str
    body: bytes
    expected: frozenset[int]
    chunked: bool = False


def _json(value) -> bytes:
    return json.dumps(value).encode()


def _nested(opening: str, closing: str, depth: int, inner: str = "") -> str:
    return opening * depth + inner + closing * depth


def requests() -> list[Hostile]:
    """The hostile requests, against the chaos domain's event types."""
    event = f"/api/v1/events/{DOMAIN}/LoadBackward"
    patterned = f"/api/v1/events/{DOMAIN}/{HOSTILE_EVENT}"
    deep_schema = _nested('{"items": ', "}", 10_000, '{"type": "string"}')
    digits = "9" * 5_000
    return [
        Hostile(
            "an event nested 100,000 deep",
            "POST",
            f"{event}/validate",
            f'{{"events": [{_nested("[", "]", 100_000)}]}}'.encode(),
            frozenset({400, 422}),
        ),
        Hostile(
            "a schema nested 10,000 deep",
            "POST",
            f"{event}/versions",
            f'{{"schema": {deep_schema}}}'.encode(),
            frozenset({400, 422}),
        ),
        Hostile(
            "an integer of 5,000 digits",
            "POST",
            f"{event}/validate",
            f'{{"events": [{{"id": "x", "amount": {digits}}}]}}'.encode(),
            frozenset({400, 422}),
        ),
        Hostile(
            "a catastrophic pattern against 40 a's and a !",
            "POST",
            f"{patterned}/validate",
            _json({"events": [{"code": "a" * 40 + "!"}]}),
            frozenset({200}),  # answered: the event is invalid, in microseconds
        ),
        Hostile(
            "a catastrophic pattern in a stateless compatibility check",
            "POST",
            "/api/v1/compatibility",
            _json(
                {
                    "old": PATTERNED,
                    "new": {"type": "object", "patternProperties": {CATASTROPHIC: {}}},
                    "level": "FULL",
                }
            ),
            frozenset({200}),
        ),
        Hostile(
            "an enum of 100,000 values",
            "POST",
            f"{event}/versions",
            _json({"schema": {**BASE, "properties": {"id": {"enum": list(range(100_000))}}}}),
            frozenset({422}),
        ),
        Hostile(
            "an object of 20,000 properties",
            "POST",
            f"{event}/versions",
            _json({"schema": {"type": "object", "properties": {f"p{n}": {} for n in range(WIDE)}}}),
            frozenset({422}),
        ),
        Hostile(
            "a 2 MB body",
            "POST",
            f"{event}/validate",
            b'{"events": ["' + b"x" * TWO_MEGABYTES + b'"]}',
            frozenset({413}),
        ),
        Hostile(
            "a 2 MB body sent in chunks",
            "POST",
            f"{event}/validate",
            b'{"events": ["' + b"x" * TWO_MEGABYTES + b'"]}',
            frozenset({413}),
            chunked=True,
        ),
    ]
