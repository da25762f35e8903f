"""Which event types' stored analyses are stale (app.services.analysis_store), as every page
that reads stored answers asks before it trusts them.

An event type without an analysis row counts as stale; finding those joins every event type
to its row. Every write that adds an event type moves the catalogue's clock (it is audited)
and gives it a row in the same transaction (app.services.stale_marks), so whether any event
type lacks one is kept per clock (app.services.catalogue_cache): while none does, the stale
ones are read through the index of the ``stale`` flag alone. A row added by a refresh leaves
the clock where it was, so a kept "some lack a row" is at worst the slower, full check.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.db.queries import analyses as queries
from app.services import catalogue_cache


def stale_ids(session: Session, most: int | None = None) -> list[int]:
    """Up to ``most`` ids (all for None) of the stale or never analysed event types, by id."""
    return queries.stale_ids(session, most, complete=_complete(session))


def stale_on_buses(session: Session, bus_ids: list[int], most: int) -> list[int]:
    """Up to ``most`` ids of the stale or never analysed event types on these buses, by id."""
    return queries.stale_on_buses(session, bus_ids, most, complete=_complete(session))


def _complete(session: Session) -> bool:
    """Whether every event type has an analysis row, as of the catalogue's clock."""
    missing = catalogue_cache.cached(
        session, "analyses-missing", lambda: queries.any_missing(session)
    )
    return not missing
