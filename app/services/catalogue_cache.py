"""Catalogue-wide results (field consistency, the landscape), computed once per committed state
of the catalogue and kept per process. (Findings and what each consumer receives are stored per
event type instead: app.services.analysis_store.)

The key of a result is the audit log read as a clock (app.db.queries.clock.audit_clock): every
committed write adds an audit row in its own transaction, so the clock moves with it on every
process and host sharing the database, and a refused or rolled-back write leaves it as it was.
The clock is read once per transaction, on the session's own database (a read replica's
session reads the replica's clock), before the result is computed: a result is never older than
its key. Results are kept per database engine (two apps of one process on two databases never
share one), at most MAX_ENTRIES of them, each at most TTL_S seconds (the bound on a write the
clock cannot see: one whose audit id was taken more than clock.WINDOW ids before it committed).

A use case that writes computes its results afresh: what it sees is not committed yet. Cached
results are shared between requests: callers must not change them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from cachetools import TTLCache
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.db.queries.clock import audit_clock
from app.services.transaction import in_use_case

T = TypeVar("T")

# A few kinds of result (and a page of consumers' answers each), under the newest clock or two:
# old clocks fall out first.
MAX_ENTRIES = 64
# Seconds a result is kept at most, whatever the clock says.
TTL_S = 300
# The session.info key of the clock read in the session's current transaction.
_CLOCK = "eventry_catalogue_clock"

_caches: WeakKeyDictionary[Engine, TTLCache] = WeakKeyDictionary()
_lock = threading.Lock()


def cached(session: Session, kind: str, compute: Callable[[], T]) -> T:
    """The result ``compute()`` gives for the catalogue as ``session`` sees it, kept under
    ``kind`` and the catalogue's clock; computed afresh inside a write (a use case's
    transaction, or changes not yet flushed)."""
    if in_use_case(session) or session.new or session.dirty or session.deleted:
        return compute()
    engine, clock = _clock(session)
    key = (kind, clock)
    with _lock:
        cache = _caches.get(engine)
        if cache is None:
            cache = _caches[engine] = TTLCache(MAX_ENTRIES, TTL_S)
        found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return found
    value = compute()
    with _lock:
        cache[key] = value
    return value


def clock(session: Session) -> tuple[int, int]:
    """The catalogue's clock as ``session`` sees it now (read once per transaction)."""
    return _clock(session)[1]


def forget() -> None:
    """Drop every kept result of this process (for a benchmark's uncached figures)."""
    with _lock:
        _caches.clear()


def _clock(session: Session) -> tuple[Engine, tuple[int, int]]:
    transaction = session.get_transaction()
    memo = session.info.get(_CLOCK)
    if memo is not None and transaction is not None and memo[0] is transaction:
        return memo[1], memo[2]
    read = audit_clock(session)
    connection = session.connection()
    # The transaction begun by the clock's statement (autobegin) is the one the memo is for.
    session.info[_CLOCK] = (session.get_transaction(), connection.engine, read)
    return connection.engine, read


_MISSING: Any = object()
