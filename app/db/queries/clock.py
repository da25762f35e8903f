"""The audit log read as the catalogue's clock: a value that changes with every committed write.

Every write is audited in its own transaction (app.services.audit.record), so what the audit
log holds moves with every commit, on every process and host sharing the database, and no row is
updated by every writer (issue #13 item 3 forbids such a hot row).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import AuditEntry

# How far below the highest audit id the count reaches. PostgreSQL hands ids out when a
# transaction inserts, not when it commits: id 101 can be visible while 100 is still open. When
# 100 commits, the highest id stays 101 but the count over the window grows, so the clock moves.
# A write whose audit id was taken more than WINDOW ids before the highest committed one is not
# seen by the count; the cache's time limit (app.services.catalogue_cache.TTL_S) bounds that.
WINDOW = 1000


def audit_clock(session: Session) -> tuple[int, int]:
    """(the highest committed audit id or 0, how many audit ids lie in (highest - WINDOW,
    highest]), read in one statement on the session's database: the primary key's index
    answers both (a backward scan for the maximum, a range scan of at most WINDOW entries)."""
    top = select(func.coalesce(func.max(AuditEntry.id), 0)).scalar_subquery()
    statement = select(top, func.count(AuditEntry.id)).where(AuditEntry.id > top - WINDOW)
    highest, recent = session.execute(statement).one()
    return int(highest), int(recent)
