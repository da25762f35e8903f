"""Field consistency of a schemas-as-code tree, offline: the same conflicts the registry finds
among its latest versions (app.core.analysis.consistency), among the tree's latest versions."""

from __future__ import annotations

from app.core.analysis import LintFinding
from app.core.analysis.consistency import FieldUse, conflicts, index_fields
from app.core.limits import LimitExceeded
from app.core.schema import SchemaDocument


def conflict_findings(
    latest: dict[str, tuple[int, SchemaDocument]],
) -> dict[str, list[LintFinding]]:
    """``latest`` maps each event (``domain.Name``) to its latest usable version's number and
    document; returns each event's field-type-conflict and field-format-conflict warnings."""
    uses = []
    for event, (number, document) in latest.items():
        try:
            uses += [FieldUse(event, number, found) for found in index_fields(document)]
        except LimitExceeded:  # too big to walk: its lint item says so already
            continue
    found: dict[str, list[LintFinding]] = {}
    for conflict in conflicts(uses):
        for event in conflict.events:
            found.setdefault(event, []).append(conflict.finding(event))
    return found
