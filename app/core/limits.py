"""Bounded work for every input: the limits, how they are configured, and the work budget.

Every limit is a plain value of ``Limits``; the app factory builds one from its settings and
hands it to ``configure`` (as it does the default dialect), so core functions read the
process's limits through ``current()`` and tests pass their own. Each limit has the setting
that changes it (``SETTINGS``); an input beyond a limit raises ``LimitExceeded``, a 422 naming
the limit, its value and that setting.

The work budget bounds what no structural limit can: a schema whose references fan out (ten
definitions, each naming the next ten times, expand to 10^10 paths) or whose ``anyOf``
branches multiply with an event's depth. Every walk over a schema spends steps as it goes
(``step``), about one per few microseconds of work: a keyword checked costs 1 and an error
found 3 more, a pair of nodes compared 2, a field walked for the analysis or the UI 8. The
steps of one request are counted together (``budget``) and the walk stops with a 422 when they
run out, within a few seconds of one core, long before a worker would be killed. A megabyte of
events validated against a 40-property schema takes about 140,000 steps.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from typing import Any

import orjson

from app.core.errors import InvalidInput

# Python refuses to convert integers of more digits than this to or from text (CVE-2020-10735).
PYTHON_MAX_DIGITS = 4300


@dataclass(frozen=True)
class Limits:
    """The bounds on one request's input and work; see ``SETTINGS`` for each one's setting."""

    max_event_depth: int = 64
    max_schema_depth: int = 128
    max_integer_digits: int = 1000
    max_schema_nodes: int = 50_000
    max_enum_values: int = 1_000
    max_object_properties: int = 1_000
    max_events_per_batch: int = 10_000
    max_events_per_stream: int = 1_000_000
    max_events_per_discovery: int = 100_000
    max_errors_per_event: int = 100
    max_work_steps: int = 500_000

    def __post_init__(self) -> None:
        for item in fields(self):
            if getattr(self, item.name) < 1:
                raise ValueError(f"{SETTINGS[item.name]} must be greater than 0")
        if self.max_integer_digits > PYTHON_MAX_DIGITS:
            raise ValueError(
                f"{SETTINGS['max_integer_digits']} can be at most {PYTHON_MAX_DIGITS} "
                "(Python converts no longer integers)"
            )


# The environment variable that sets each limit (read by app.config, named in every refusal).
SETTINGS: dict[str, str] = {
    "max_event_depth": "EVENTRY_MAX_EVENT_DEPTH",
    "max_schema_depth": "EVENTRY_MAX_SCHEMA_DEPTH",
    "max_integer_digits": "EVENTRY_MAX_INTEGER_DIGITS",
    "max_schema_nodes": "EVENTRY_MAX_SCHEMA_NODES",
    "max_enum_values": "EVENTRY_MAX_ENUM_VALUES",
    "max_object_properties": "EVENTRY_MAX_OBJECT_PROPERTIES",
    "max_events_per_batch": "EVENTRY_MAX_EVENTS_PER_BATCH",
    "max_events_per_stream": "EVENTRY_MAX_EVENTS_PER_STREAM",
    "max_events_per_discovery": "EVENTRY_MAX_EVENTS_PER_DISCOVERY",
    "max_errors_per_event": "EVENTRY_MAX_ERRORS_PER_EVENT",
    "max_work_steps": "EVENTRY_MAX_WORK_STEPS",
}


class LimitExceeded(InvalidInput):
    """An input or the work it asks for goes beyond a limit (422): ``limit`` names the setting
    that raises it and ``max`` its value, in the problem answer too."""

    title = "Limit exceeded"

    def __init__(self, name: str, maximum: int, detail: str, pointer: str | None = None) -> None:
        setting = SETTINGS.get(name, name)
        text = f"{detail}; the limit is {maximum:,} ({setting})"
        problems = [{"pointer": pointer, "message": text}] if pointer is not None else []
        super().__init__(text, problems, limit=setting, max=maximum)
        self.name = name
        self.maximum = maximum
        self.problem_pointer = pointer or ""


_configured: list[Limits] = []


def configure(limits: Limits | None) -> None:
    """Set the process's limits (the app factory does, from its settings); None restores the
    defaults."""
    _configured[:] = [] if limits is None else [limits]


def current() -> Limits:
    """The process's limits: the configured ones, else the defaults."""
    return _configured[0] if _configured else _DEFAULTS


_DEFAULTS = Limits()


class _Budget:
    __slots__ = ("left", "total")

    def __init__(self, total: int) -> None:
        self.total = total
        self.left = total


_budget: ContextVar[_Budget | None] = ContextVar("eventry_work_budget", default=None)


@contextmanager
def budget(steps: int | None = None) -> Iterator[None]:
    """Count the steps of the walks inside the block against one budget (``steps``, else the
    configured ``max_work_steps``). A block inside another one spends the outer budget, so a
    use case that validates, compares and analyses is bounded as a whole."""
    if _budget.get() is not None:
        yield
        return
    token = _budget.set(_Budget(steps or current().max_work_steps))
    try:
        yield
    finally:
        _budget.reset(token)


def step(count: int = 1) -> None:
    """Spend steps of the current budget (free outside one); raise LimitExceeded when it is
    spent."""
    found = _budget.get()
    if found is None:
        return
    found.left -= count
    if found.left < 0:
        found.left = 0  # stays spent: every later step of this request refuses too
        raise LimitExceeded(
            "max_work_steps",
            found.total,
            "the schema and input need more work than one request may do (references or "
            "anyOf/oneOf branches that multiply)",
        )


def depth_of(value: Any, stop: int) -> int:
    """How deep a parsed JSON value nests (a scalar is 0, ``[]`` is 1), counted without
    recursion; counting stops once ``stop`` is passed, so a hostile value costs at most the
    walk down to that depth on each branch."""
    # Level by level, keeping only the containers: scalars, most of an event, are looked at
    # once and never stacked.
    deepest, level = 0, [value] if isinstance(value, dict | list) else []
    while level and deepest <= stop:
        deepest += 1
        below = []
        for item in level:
            children = item.values() if isinstance(item, dict) else item
            below += [child for child in children if isinstance(child, dict | list)]
        level = below
    return deepest


def within_depth(value: Any, most: int, written: bytes | None = None) -> bool:
    """Whether a parsed JSON value nests at most ``most`` levels (a scalar is 0, ``[]`` is 1),
    as ``depth_of`` counts, in far less time for most values: level by level, a container whose
    JSON text (written by orjson, in Rust) has no more opening brackets than the levels left,
    those in strings too, cannot go deeper and is not walked (an event of a batch costs one
    writing, about a tenth of the walk). The writings are bounded at ``_WRITINGS`` times the
    whole value's text; past that the rest is walked as ``depth_of`` walks it, so a hostile
    value costs a few writings and one walk. ``written`` is the value's orjson writing when the
    caller has it already (the parser does), so it is not written twice.

    A container that is the only container in its parent (the list of ``{"events": [...]}``)
    is walked without being written: it has its parent's brackets but one (less those in the
    parent's own strings), so its writing, nearly its parent's again, would almost never
    spare the walk."""
    if not isinstance(value, dict | list):
        return True
    written = written if written is not None else _written(value)
    if written is not None and _brackets(written) <= most:
        return True  # most events: one writing, no walk
    budget = _WRITINGS * len(written or b"")
    level, depth = [value], 0
    while level:
        depth += 1
        if depth > most:
            return False
        below = []
        for item in level:
            children = item.values() if isinstance(item, dict) else item
            inner = [child for child in children if isinstance(child, dict | list)]
            if len(inner) == 1:
                below += inner  # an only child: walked, as its writing would have it
                continue
            for child in inner:
                text = _written(child) if budget > 0 else None
                budget -= len(text or b"")
                if text is None or _brackets(text) > most - depth:
                    below.append(child)
        level = below
    return True


# A body and each event: two writings of the whole for a batch (the list of events, its
# body's only container, is walked unwritten); hostile values stop here.
_WRITINGS = 4


def _written(value: dict | list) -> bytes | None:
    # None when orjson cannot write it (an integer beyond 64 bits, 255 levels): then walked.
    try:
        return orjson.dumps(value)
    except TypeError:
        return None


def _brackets(text: bytes) -> int:
    return text.count(b"[") + text.count(b"{")


def check_event(event: Any, limits: Limits | None = None, pointer: str = "") -> None:
    """Refuse an event (or sample payload) nested deeper than ``max_event_depth``."""
    limits = limits or current()
    if not within_depth(event, limits.max_event_depth):
        raise LimitExceeded(
            "max_event_depth",
            limits.max_event_depth,
            f"the event nests more than {limits.max_event_depth} levels deep",
            pointer,
        )


def check_batch(count: int, limits: Limits | None = None, pointer: str = "/events") -> None:
    """Refuse a batch of more than ``max_events_per_batch`` events."""
    limits = limits or current()
    if count > limits.max_events_per_batch:
        raise LimitExceeded(
            "max_events_per_batch",
            limits.max_events_per_batch,
            f"{count:,} events were sent in one call; split the batch",
            pointer,
        )
