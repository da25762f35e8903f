"""Compatibility levels: which comparisons a level runs, and against which versions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

# Importing the comparers registers them with the walker.
from app.core import limits
from app.core.compatibility import arrays, combined, numbers, objects, strings  # noqa: F401
from app.core.compatibility.model import build
from app.core.compatibility.refs import Document
from app.core.compatibility.types import (
    LEVELS,
    Difference,
    compares_all,
    compatible_set,
    directions,
)
from app.core.compatibility.walker import Context, RawDiff, to_differences, walk
from app.core.schema import SchemaDocument, UnresolvableReference
from app.core.vocabulary import CompatibilityLevel


def compare(old: SchemaDocument, new: SchemaDocument, policy: str = "strict") -> list[Difference]:
    """Walk two schemas in parallel; old is the registered (writer) schema, new the update.

    Returns every difference (Confluent's types, Eventry's own for keywords Confluent skips),
    each with its path, old and new values and a message. Raises ValueError for an unknown
    policy, LimitExceeded when the walk needs more than the work budget."""
    with limits.budget():
        diffs = _compare_docs(Document.of(old), Document.of(new), compatible_set(policy))
        return to_differences(diffs, "backward", old, new)


def _compare_docs(old: Document, new: Document, allowed: frozenset[str]) -> list[RawDiff]:
    ctx = Context(allowed)
    try:
        walk(ctx, build(old, old.raw), build(new, new.raw), "")
    except (ValueError, RecursionError, UnresolvableReference) as error:
        # Never a 500 and never a silent pass: the answer names what could not be compared.
        ctx.add("CONSTRUCT_NOT_COMPARED", "", None, str(error) or type(error).__name__)
    return ctx.diffs


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one compatibility check: ``compatible``, the ``level`` and ``policy``,
    the version that failed and in which ``direction`` ("backward": the new schema cannot read
    that version's data; "forward": that version cannot read the new schema's data), and the
    differences of the failing comparison (else of the comparison with the latest version)."""

    compatible: bool
    level: CompatibilityLevel
    policy: str
    failed_version: int | None
    differences: list[Difference] = field(default_factory=list)
    direction: str | None = None

    def to_dict(self) -> dict:
        """Return the result as a JSON-ready dict; each difference says if the policy allows it."""
        allowed = compatible_set(self.policy)
        return {
            "compatible": self.compatible,
            "level": str(self.level),
            "policy": self.policy,
            "failed_version": self.failed_version,
            "direction": self.direction,
            "differences": [
                {**d.to_dict(), "compatible": d.type in allowed} for d in self.differences
            ],
        }


def check(
    previous: Sequence[tuple[int, SchemaDocument]],
    new: SchemaDocument,
    level: CompatibilityLevel,
    policy: str = "strict",
) -> CheckResult:
    """Check new against the earlier versions ``(number, document)``, oldest first, under a
    level and a policy ("strict" or "lenient"). Raises ValueError for a level that is not a
    CompatibilityLevel (callers convert names where they come in) or an unknown policy,
    LimitExceeded when the comparisons need more than the work budget."""
    if not isinstance(level, CompatibilityLevel):
        raise ValueError(
            f"Unknown compatibility level {level!r}; expected a CompatibilityLevel, one of "
            f"{', '.join(LEVELS)}."
        )
    allowed = compatible_set(policy)
    if not previous or level is CompatibilityLevel.NONE:
        return CheckResult(True, level, policy, None, [], None)
    with limits.budget():
        return _check(previous, new, level, policy, allowed)


def _check(
    previous: Sequence[tuple[int, SchemaDocument]],
    new: SchemaDocument,
    level: CompatibilityLevel,
    policy: str,
    allowed: frozenset[str],
) -> CheckResult:
    new_doc = Document.of(new)
    targets = list(reversed(previous)) if compares_all(level) else [previous[-1]]
    latest: list[Difference] | None = None
    for version, schema in targets:
        old_doc = Document.of(schema)
        for direction in directions(level):
            if direction == "backward":
                raw = _compare_docs(old_doc, new_doc, allowed)
                diffs = to_differences(raw, direction, schema, new)
            else:
                raw = _compare_docs(new_doc, old_doc, allowed)
                diffs = to_differences(raw, direction, schema, new)
            if latest is None:
                latest = diffs
            if any(d.type not in allowed for d in diffs):
                return CheckResult(False, level, policy, version, diffs, direction)
    return CheckResult(True, level, policy, None, latest or [], None)
