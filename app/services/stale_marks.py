"""Marking stored analyses stale (app.services.analysis_store): what every use case does before
it commits, kept apart from the analysis itself so the commit boundary
(app.services.transaction) imports nothing of it.

A mark is one statement in the writer's transaction, no analysis: a background refresher (one
per process, app.analyser) is woken after the commit to recompute the event types marked.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from weakref import WeakKeyDictionary

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.db import analysis_marks
from app.db.queries import analyses as queries

_pokes: WeakKeyDictionary[Engine, Callable[[], None]] = WeakKeyDictionary()
_lock = threading.Lock()
DEFAULT_INLINE = 25
_config = {"inline": DEFAULT_INLINE}


def configure(inline: int | None) -> None:
    """How many stale event types a read analyses in memory (EVENTRY_ANALYSIS_INLINE; None:
    the default, 0: never); with more it serves their stored rows."""
    _config["inline"] = DEFAULT_INLINE if inline is None else inline


def inline() -> int:
    """How many stale event types a read analyses in memory at most (see ``configure``)."""
    return _config["inline"]


def mark_stale(
    session: Session,
    event_type_ids: Iterable[int] = (),
    bus_id: int | None = None,
    everything: bool = False,
) -> None:
    """Mark event types stale in the caller's transaction: these ids, every event type on a
    bus, or every event type (one statement)."""
    buses = frozenset() if bus_id is None else frozenset({bus_id})
    marks = queries.Marks(frozenset(event_type_ids), buses, everything=everything)
    queries.mark_stale(session, marks)


def note_writes(session: Session) -> bool:
    """Mark what the session's flushed writes changed (app.db.analysis_marks), in its
    transaction; True when something was marked (``poke`` after the commit)."""
    session.flush()
    marks = analysis_marks.take(session)
    queries.mark_stale(session, marks)
    return bool(marks)


def forget(session: Session) -> None:
    """Forget what a rolled-back transaction's flushes noted."""
    analysis_marks.forget(session)


def on_stale(engine: Engine, wake: Callable[[], None]) -> None:
    """Call ``wake`` (a background refresher's) when a session on ``engine`` committed marks
    or a read saw stale event types."""
    with _lock:
        _pokes[engine] = wake


def poke(session: Session) -> None:
    """Wake the background refresher of the session's database, if one is installed."""
    with _lock:
        wake = _pokes.get(session.get_bind())
    if wake is not None:
        wake()
