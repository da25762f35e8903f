"""How the versions of a schemas-as-code tree name each other: Confluent's references.

A version's ``references`` (``[{"name", "subject", "version"}]`` in its event.yaml entry, as the
native API and Confluent's ``POST /subjects/{s}/versions`` take them) name versions of other
event types by subject: one an event.yaml binds in ``subjects``, else ``<domain>.<EventName>``.
Whatever stores a tree (``eventry apply``, the demo loader) registers the referenced versions
first, so the registry can resolve each reference when the referencing version arrives.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.errors import InvalidInput
from app.core.subjects import parse_subject
from app.core.tree import EventSpec, VersionSpec


def referenced_event(subject: str, events: Sequence[EventSpec]) -> EventSpec | None:
    """Return the event of the tree a reference's subject names: the one whose ``subjects``
    bind it, else the event ``<domain>.<EventName>`` names directly; None when neither."""
    for event in events:
        if subject in event.subjects:
            return event
    try:
        direct = parse_subject(subject).direct
    except InvalidInput:
        return None
    if not direct:
        return None
    return next((e for e in events if (e.domain, e.name) == tuple(direct)), None)


def used_versions(version: VersionSpec, events: Sequence[EventSpec]) -> list[str]:
    """Return the versions of the tree that ``version`` references, as ``domain.Name vN``
    (the targets of a plan's registrations), in the order of its references; a reference
    to what the tree lacks is left out (the tree reader reports it)."""
    found = []
    for reference in version.references:
        event = referenced_event(reference["subject"], events)
        if event is not None:
            found.append(f"{event.ref} v{reference['version']}")
    return found


def in_reference_order(events: Sequence[EventSpec]) -> list[EventSpec]:
    """Return the events in the tree's order, except that an event comes after the events its
    versions reference, so their versions are registered first. Events that reference each
    other (each version's references are acyclic, the tree reader checks) keep the tree's
    order between them."""
    ordered: list[EventSpec] = []
    placed: set[str] = set()
    visiting: set[str] = set()

    def place(event: EventSpec) -> None:
        if event.ref in placed or event.ref in visiting:
            return
        visiting.add(event.ref)
        for version in event.versions:
            for reference in version.references:
                target = referenced_event(reference["subject"], events)
                if target is not None and target.ref != event.ref:
                    place(target)
        visiting.discard(event.ref)
        placed.add(event.ref)
        ordered.append(event)

    for event in events:
        place(event)
    return ordered
