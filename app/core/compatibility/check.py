"""Compatibility levels: which comparisons a level runs, and against which versions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# Importing the comparers registers them with the walker.
from app.core.compatibility import arrays, combined, numbers, objects, strings  # noqa: F401
from app.core.compatibility.model import build
from app.core.compatibility.refs import Document
from app.core.compatibility.types import LEVELS, Difference, compatible_set
from app.core.compatibility.walker import Context, RawDiff, to_differences, walk


def compare(old: Any, new: Any, policy: str = "strict") -> list[Difference]:
    """Walk two schemas in parallel; old is the registered (writer) schema, new the update."""
    return to_differences(_compare_docs(Document(old), Document(new), compatible_set(policy)))


def _compare_docs(old: Document, new: Document, allowed: frozenset[str]) -> list[RawDiff]:
    ctx = Context(allowed)
    walk(ctx, build(old, old.raw), build(new, new.raw), "")
    return ctx.diffs


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one compatibility check."""

    compatible: bool
    level: str
    policy: str
    failed_version: int | None
    differences: list[Difference] = field(default_factory=list)
    direction: str | None = None

    def to_dict(self) -> dict:
        """Return the result as a JSON-ready dict; each difference says if the policy allows it."""
        allowed = compatible_set(self.policy)
        return {
            "compatible": self.compatible,
            "level": self.level,
            "policy": self.policy,
            "failed_version": self.failed_version,
            "direction": self.direction,
            "differences": [
                {**d.to_dict(), "compatible": d.type in allowed} for d in self.differences
            ],
        }


def _directions(level: str) -> tuple[str, ...]:
    if level.startswith("BACKWARD"):
        return ("backward",)
    if level.startswith("FORWARD"):
        return ("forward",)
    return ("backward", "forward")


def check(
    previous: Sequence[tuple[int, Any]], new: Any, level: str, policy: str = "strict"
) -> CheckResult:
    """Check new against the earlier versions (oldest first) under a level and a policy."""
    if level not in LEVELS:
        raise ValueError(
            f"Unknown compatibility level {level!r}; expected one of {', '.join(LEVELS)}."
        )
    allowed = compatible_set(policy)
    new_doc = Document(new)
    if not previous or level == "NONE":
        return CheckResult(True, level, policy, None, [], None)
    targets = list(reversed(previous)) if level.endswith("_TRANSITIVE") else [previous[-1]]
    latest: list[RawDiff] | None = None
    for version, schema in targets:
        old_doc = Document(schema)
        for direction in _directions(level):
            if direction == "backward":
                diffs = _compare_docs(old_doc, new_doc, allowed)
            else:
                diffs = _compare_docs(new_doc, old_doc, allowed)
            if latest is None:
                latest = diffs
            if any(d[0] not in allowed for d in diffs):
                return CheckResult(False, level, policy, version, to_differences(diffs), direction)
    return CheckResult(True, level, policy, None, to_differences(latest or []), None)
