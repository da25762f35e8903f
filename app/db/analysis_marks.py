"""Which event types' stored analyses a flush may have changed (app.services.analysis_store
marks them stale before the transaction commits).

Every ORM flush notes, from the objects it wrote, what their change reaches: an event type's
own fields and versions and samples (itself, and, for a version, the event types sharing a
conflicting field name: app.db.queries.analyses.Marks.fields_of), a consumer (every event type
of its old and new bus and the ones it declared and declares), a bus or a domain (all their
event types), a team's slug or the governance rules (everything). Bulk statements the ORM does
not see note their event types themselves (``note_event_types``).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.db.models import Bus, Consumer, Domain, EventType, Sample, SchemaVersion, Setting, Team
from app.db.queries.analyses import Marks

# session.info: what the flushes since the last mark noted.
NOTED = "eventry_analysis_noted"


def _noted(session: Session) -> dict[str, Any]:
    return session.info.setdefault(
        NOTED,
        {"event": set(), "bus": set(), "domain": set(), "fields": set(), "everything": False},
    )


def note_event_types(session: Session, ids: Iterable[int | None]) -> None:
    """Note event types changed by a statement the ORM does not see (a bulk UPDATE or DELETE)."""
    _noted(session)["event"].update(i for i in ids if i is not None)


def note_bus(session: Session, bus_id: int) -> None:
    """Note every event type on a bus."""
    _noted(session)["bus"].add(bus_id)


def _old_and_new(thing: Any, attribute: str) -> list[Any]:
    history = getattr(inspect(thing).attrs, attribute).history
    return [v for v in chain([getattr(thing, attribute)], history.deleted) if v is not None]


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _context: Any) -> None:
    noted = _noted(session)
    for thing in chain(session.new, session.dirty, session.deleted):
        if isinstance(thing, EventType):
            noted["event"].add(thing.id)
            if thing not in session.new and _moved(thing):
                # A consumer declaring it names it in its answers about other events of its bus.
                noted["bus"].update(_old_and_new(thing, "bus_id"))
        elif isinstance(thing, SchemaVersion):
            noted["event"].add(thing.event_type_id)
            noted["fields"].add(thing.event_type_id)
        elif isinstance(thing, Sample):
            noted["event"].add(thing.event_type_id)
        elif isinstance(thing, Consumer):
            noted["bus"].update(_old_and_new(thing, "bus_id"))
            noted["event"].update(_old_and_new(thing, "event_type_id"))
        elif isinstance(thing, Bus) and _changed(session, thing):
            noted["bus"].add(thing.id)
        elif isinstance(thing, Domain) and _changed(session, thing):
            noted["domain"].add(thing.id)
        elif _everywhere(thing):
            noted["everything"] = True


def _moved(event_type: EventType) -> bool:
    """Whether an event type changed its address or bus (not just its own contents: a version
    registered moves its ``last_version``, which reaches no other event type)."""
    attrs = inspect(event_type).attrs
    return any(getattr(attrs, name).history.deleted for name in ("bus_id", "name", "domain_id"))


def _changed(session: Session, thing: Any) -> bool:
    """Whether a bus or domain itself changed or went: a new one reaches no event yet, and one
    whose collections alone changed (an event type or bus added to it) is unchanged."""
    if thing in session.new:
        return False
    return thing in session.deleted or session.is_modified(thing, include_collections=False)


def _everywhere(thing: Any) -> bool:
    """A renamed team (findings name teams) or changed governance rules reach every event."""
    if isinstance(thing, Team):
        return bool(inspect(thing).attrs.slug.history.deleted)
    return isinstance(thing, Setting) and inspect(thing).attrs.rules.history.has_changes()


def take(session: Session) -> Marks:
    """What was noted since the last take, forgotten once taken."""
    noted = session.info.pop(NOTED, None)
    if not noted:
        return Marks()
    return Marks(
        frozenset(noted["event"]),
        frozenset(noted["bus"]),
        frozenset(noted["domain"]),
        frozenset(noted["fields"]),
        noted["everything"],
    )


def forget(session: Session) -> None:
    """Forget what was noted (a rolled-back transaction's writes never happened)."""
    session.info.pop(NOTED, None)
