"""One use case, one transaction: the services' commit boundary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.errors import AlreadyExists
from app.db.engine import begin_write
from app.services import audit, search_index, stale_marks

_OUTERMOST = "eventry_use_case"


@contextmanager
def atomic(session: Session) -> Iterator[Session]:
    """Run a block as one write transaction; nested use cases join the outermost one."""
    if session.info.get(_OUTERMOST):
        yield session
        return
    _begin(session)
    try:
        yield session
        # The search index learns of the use case's writes in its own transaction.
        search_index.refresh(session)
        # The stored analyses of what changed are marked stale in the same transaction.
        marked = stale_marks.note_writes(session)
        session.commit()
        # Whatever fails after this point must not claim that nothing changed.
        session.info.setdefault(audit.SAVED, []).extend(session.info.pop(audit.PENDING, []))
        if marked:
            stale_marks.poke(session)
    except IntegrityError as error:
        # The checks before an insert cannot see a concurrent request that won the race; the
        # database's unique constraint does, and the loser gets a 409 instead of a 500.
        session.rollback()
        raise AlreadyExists(
            "a concurrent request created or changed the same thing first "
            f"({_constraint(error)}); read it again and retry if needed"
        ) from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(_OUTERMOST, None)
        session.info.pop(audit.PENDING, None)  # rolled back: nothing of it was saved
        search_index.forget(session)
        stale_marks.forget(session)


@contextmanager
def rehearsal(session: Session) -> Iterator[Session]:
    """Run a use case as ``atomic`` would, every check and count included, then roll it all
    back: a dry run tells what the real run would do and changes nothing."""
    if session.info.get(_OUTERMOST):
        raise RuntimeError("a rehearsal cannot run inside a use case that commits")
    _begin(session)
    try:
        yield session
    finally:
        session.rollback()
        session.info.pop(_OUTERMOST, None)
        session.info.pop(audit.PENDING, None)
        search_index.forget(session)
        stale_marks.forget(session)


def _begin(session: Session) -> None:
    if session.in_transaction():
        # End the adapter's read-only transaction so the write starts on fresh, locked state.
        session.commit()
    begin_write(session)
    session.info[_OUTERMOST] = True


def in_use_case(session: Session) -> bool:
    """Whether the session is inside a use case's write transaction (atomic or rehearsal)."""
    return bool(session.info.get(_OUTERMOST))


def saved(session: Session) -> list[str]:
    """The audit targets of the changes this session has committed (``domain:orders``…): an
    answer that fails after a commit names them, so the client knows what took effect."""
    return list(session.info.get(audit.SAVED, []))


def _constraint(error: IntegrityError) -> str:
    diagnostics = getattr(error.orig, "diag", None)
    name = getattr(diagnostics, "constraint_name", None)
    return name or str(error.orig).splitlines()[0]
