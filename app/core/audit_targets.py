"""How an audit-log target filter selects entries: a whole target and everything beneath it.

Targets are written `kind:name`, with `.` between a domain and its event and `/` before a part
of it (`event:orders.OrderPlaced/versions/2`). A filter matches at those boundaries only, so
`consumer:4` finds consumer 4 and not consumer 40, and `event:orders.OrderPlaced` finds the
event and its versions but not `OrderPlacedV2`. A filter that itself ends in a separator
(`event:orders.`) is a plain prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

SEPARATORS = (":", ".", "/")


@dataclass(frozen=True)
class TargetFilter:
    """What a target filter matches: `exact` (or None) and every target starting with one of
    `prefixes`."""

    exact: str | None
    prefixes: tuple[str, ...]


def target_filter(text: str) -> TargetFilter:
    """The entries a `target=` filter selects; see the module docstring for the rule."""
    if text.endswith(SEPARATORS):
        return TargetFilter(None, (text,))
    return TargetFilter(text, tuple(text + separator for separator in SEPARATORS))
