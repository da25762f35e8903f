"""What a discovered type would become in the catalogue."""

from __future__ import annotations

from enum import StrEnum


class Proposal(StrEnum):
    """A discovered type's proposal (app.services.discovery)."""

    NEW_EVENT_TYPE = "new-event-type"  # the bus carries no event type of its name
    NEW_VERSION = "new-version"  # a candidate next version of the bus's event type
    NONE = "none"  # its type maps to no valid event name: nothing can be proposed
