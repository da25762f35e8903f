"""One use case, one transaction: the services' commit boundary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from app.db.engine import begin_write

_OUTERMOST = "eventry_use_case"


@contextmanager
def atomic(session: Session) -> Iterator[Session]:
    """Run a block as one write transaction; nested use cases join the outermost one."""
    if session.info.get(_OUTERMOST):
        yield session
        return
    if session.in_transaction():
        # End the adapter's read-only transaction so the write starts on fresh, locked state.
        session.commit()
    begin_write(session)
    session.info[_OUTERMOST] = True
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(_OUTERMOST, None)
