"""The bounded load and its steady state.

A few threads send registrations (a new, compatible content each time), reads and validations
at a fixed total rate, each on a connection of its own, and note every outcome. The steady
state of a stretch of time is what those outcomes say: the share that succeeded, the p99
latency, the 5xx answers other than 503, the 503s (each with ``Retry-After``?) and the requests
that got no answer at all. Every acknowledged registration (201) goes to the ledger, which
checks afterwards that it is still there.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
import uuid
from dataclasses import dataclass, field

from chaos.client import Client
from chaos.ledger import Ledger

DOMAIN = "chaos"
# One event type per compatibility level the load writes under; every registration differs
# from the others in annotations only, so it is compatible whatever order writes take.
EVENTS = {"LoadBackward": "BACKWARD", "LoadFullTransitive": "FULL_TRANSITIVE"}
BASE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"id": {"type": "string"}, "amount": {"type": "integer", "minimum": 0}},
    "required": ["id"],
}
SAMPLE = {"id": "order-1", "amount": 12}


def content(label: str) -> dict:
    """A schema that only its description tells apart from BASE."""
    return {**BASE, "description": f"chaos load {label}"}


@dataclass(frozen=True)
class Outcome:
    """One request of the load: what, when (monotonic seconds), how long, and its status
    (None when no answer came: refused, reset, timed out)."""

    kind: str
    started: float
    seconds: float
    status: int | None
    retry_after: bool = False


@dataclass(frozen=True)
class Steady:
    """The steady state of a stretch of the load."""

    requests: int
    succeeded: int
    p99_ms: float
    server_errors: int  # 5xx other than 503
    unavailable: int  # 503
    unavailable_without_retry_after: int
    no_answer: int
    slowest_ms: float

    @property
    def success_rate(self) -> float:
        """Successes over requests (1.0 for no requests)."""
        return self.succeeded / self.requests if self.requests else 1.0

    def to_dict(self) -> dict:
        """The figures, for --json."""
        return {**self.__dict__, "success_rate": round(self.success_rate, 4)}


def steady(outcomes: list[Outcome]) -> Steady:
    """The steady state of these outcomes."""
    times = sorted(o.seconds for o in outcomes)
    p99 = times[max(0, math.ceil(0.99 * len(times)) - 1)] if times else 0.0
    statuses = [o.status for o in outcomes]
    return Steady(
        requests=len(outcomes),
        succeeded=sum(1 for s in statuses if s is not None and 200 <= s < 300),
        p99_ms=round(p99 * 1000, 1),
        server_errors=sum(1 for s in statuses if s is not None and s >= 500 and s != 503),
        unavailable=statuses.count(503),
        unavailable_without_retry_after=sum(
            1 for o in outcomes if o.status == 503 and not o.retry_after
        ),
        no_answer=statuses.count(None),
        slowest_ms=round((times[-1] if times else 0.0) * 1000, 1),
    )


@dataclass
class Load:
    """``threads`` senders sharing ``rate`` requests a second between them."""

    client: Client
    ledger: Ledger
    threads: int = 4
    rate: float = 40.0
    kinds: tuple[str, ...] = ("register", "read", "validate")
    outcomes: list[Outcome] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _senders: list[threading.Thread] = field(default_factory=list)
    _counter: itertools.count = field(default_factory=itertools.count)

    def start(self) -> Load:
        """Start sending."""
        self._stop.clear()
        self._senders = [
            threading.Thread(target=self._send, name=f"chaos-load-{n}", daemon=True)
            for n in range(self.threads)
        ]
        for sender in self._senders:
            sender.start()
        return self

    def stop(self) -> None:
        """Stop sending and wait for the requests in flight."""
        self._stop.set()
        for sender in self._senders:
            sender.join(timeout=self.client.timeout + 5)

    def between(self, start: float, end: float, finished: bool = False) -> list[Outcome]:
        """The outcomes of the requests started in [start, end); with ``finished``, only those
        also answered before ``end`` (a request in flight when a fault begins meets it)."""
        return [
            o
            for o in list(self.outcomes)
            if start <= o.started < end and (not finished or o.started + o.seconds < end)
        ]

    def _send(self) -> None:
        interval = self.threads / self.rate
        while not self._stop.is_set():
            began = time.monotonic()
            self._one(next(self._counter))
            self._stop.wait(max(0.0, interval - (time.monotonic() - began)))

    def _one(self, number: int) -> None:
        name = list(EVENTS)[number % len(EVENTS)]
        path = f"/api/v1/events/{DOMAIN}/{name}"
        kinds = self.kinds
        kind = kinds[number % len(kinds)]
        label = uuid.uuid4().hex
        began = time.monotonic()
        try:
            if kind == "register":
                answer = self.client.call("POST", f"{path}/versions", {"schema": content(label)})
            elif kind == "read":
                answer = self.client.call("GET", f"{path}/versions/latest")
            else:
                answer = self.client.call("POST", f"{path}/validate", {"events": [SAMPLE]})
        except OSError:
            self.outcomes.append(Outcome(kind, began, time.monotonic() - began, None))
            if kind == "register":  # it may or may not have been stored: never "lost"
                self.ledger.uncertain(name)
            return
        if kind == "register" and answer.status == 201:
            self.ledger.acknowledged(name, answer.json())
        retry = "retry-after" in answer.headers
        self.outcomes.append(Outcome(kind, began, answer.seconds, answer.status, retry))
