"""Which database errors mean "storage cannot serve right now" rather than "a bug".

Drivers raise the same exception classes for a server that is down and for a mistake in a
statement (sqlite3 calls both OperationalError), so the kind is read from what the driver
knows: SQLite's result code, psycopg's SQLSTATE class, SQLAlchemy's disconnect flag.
"""

from __future__ import annotations

import sqlite3
from enum import StrEnum

import psycopg
from psycopg import errors as pg_errors
from sqlalchemy import exc


class Fault(StrEnum):
    """Why the database cannot serve this request; each kind is worth retrying later."""

    LOCKED = "locked"  # another writer holds the lock longer than a request may wait
    UNREACHABLE = "unreachable"  # down, restarting, refusing connections, connection lost
    UNREADABLE = "unreadable"  # a file that is missing, damaged or not a database
    READ_ONLY = "read-only"  # a standby, a read-only file or a full disk
    SLOW = "slow"  # a statement or a pool checkout outlasted the request's budget


# SQLite primary result codes (the low byte of the extended code).
_SQLITE: dict[int, Fault] = {
    sqlite3.SQLITE_BUSY: Fault.LOCKED,
    sqlite3.SQLITE_LOCKED: Fault.LOCKED,
    sqlite3.SQLITE_PROTOCOL: Fault.LOCKED,
    sqlite3.SQLITE_READONLY: Fault.READ_ONLY,
    sqlite3.SQLITE_FULL: Fault.READ_ONLY,
    sqlite3.SQLITE_IOERR: Fault.UNREADABLE,
    sqlite3.SQLITE_CORRUPT: Fault.UNREADABLE,
    sqlite3.SQLITE_NOTADB: Fault.UNREADABLE,
    sqlite3.SQLITE_CANTOPEN: Fault.UNREADABLE,
}
# psycopg: the specific SQLSTATEs first, then the DB-API classes they belong to. Every
# OperationalError is about the server's state (connection, resources, operator, deadlock),
# never about the statement itself, which raises ProgrammingError, DataError, IntegrityError.
_POSTGRES: tuple[tuple[type[BaseException], Fault], ...] = (
    (pg_errors.QueryCanceled, Fault.SLOW),
    (pg_errors.LockNotAvailable, Fault.LOCKED),
    (pg_errors.SerializationFailure, Fault.LOCKED),
    (pg_errors.DeadlockDetected, Fault.LOCKED),
    (pg_errors.TransactionRollback, Fault.LOCKED),
    (pg_errors.TooManyConnections, Fault.SLOW),
    (pg_errors.DiskFull, Fault.READ_ONLY),
    (pg_errors.ReadOnlySqlTransaction, Fault.READ_ONLY),
    (psycopg.OperationalError, Fault.UNREACHABLE),
    (psycopg.InterfaceError, Fault.UNREACHABLE),
)


def fault_of(error: BaseException) -> Fault | None:
    """The kind of unavailability an error reports, or None for any other error."""
    if isinstance(error, exc.TimeoutError):  # no pooled connection came free in time
        return Fault.SLOW
    if isinstance(error, exc.DBAPIError):
        if error.connection_invalidated:
            return Fault.UNREACHABLE
        error = error.orig
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        return None if code is None else _SQLITE.get(code & 0xFF)
    return next((fault for kind, fault in _POSTGRES if isinstance(error, kind)), None)
