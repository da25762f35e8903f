"""Result types of the event-design analysis: frozen dataclasses with JSON-ready ``to_dict``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from app.core.vocabulary import SHAPES as SHAPES  # re-exported: the shapes, in order
from app.core.vocabulary import EventShape, ShapeSignal

# An event's shape is one of the EventShape members (each is also its plain string).
Shape = EventShape
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


class _Serializable:
    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict of this result."""
        return asdict(self)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Signal(_Serializable):
    """One piece of evidence about an event's shape."""

    id: ShapeSignal
    message: str
    pointers: list[str] = field(default_factory=list)
    weight: float = 0.0
    points_to: Shape | None = None


@dataclass(frozen=True)
class ShapeResult(_Serializable):
    """The classification of an event as thin, delta or full."""

    shape: Shape
    richness: float
    signals: list[Signal] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    envelope: str | None = None


@dataclass(frozen=True)
class ConsumerGap(_Serializable):
    """What one consumer needs that the event does not carry."""

    name: str
    calls_back: bool
    missing_fields: list[str] = field(default_factory=list)
    reason: str = ""


@dataclass(frozen=True)
class ConsumerCost(_Serializable):
    """How many consumers call the producer back per event, and why."""

    shape: Shape
    consumers: int
    callbacks_per_event: int
    gaps: list[ConsumerGap] = field(default_factory=list)
    trade_off: str = ""


@dataclass(frozen=True)
class OrderingHazard(_Serializable):
    """Why consumers may apply an old state over a newer one."""

    router: str
    shape: Shape
    missing: list[str] = field(default_factory=list)
    message: str = ""
    fix: str = ""


@dataclass(frozen=True)
class LintFinding(_Serializable):
    """A design problem found by a lint or a governance rule."""

    id: str
    severity: Severity
    pointer: str
    message: str
    hint: str = ""


@dataclass(frozen=True)
class RouterEstimate(_Serializable):
    """Monthly cost estimate of carrying an event stream on one router kind."""

    router: str
    monthly_usd: float | None
    ordering: Literal["per key", "none"]
    breakdown: dict[str, Any] = field(default_factory=dict)
