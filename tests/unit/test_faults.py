"""Which errors mean "the database cannot serve right now" (503) and which are bugs (500)."""

import sqlite3

import psycopg
import pytest
from psycopg import errors as pg_errors
from sqlalchemy import create_engine
from sqlalchemy import exc as sa_errors

from app.db.faults import Fault, fault_of
from app.services.database import unavailable_of


def sqlite_error(statement: str, database: str = ":memory:") -> sa_errors.DBAPIError:
    engine = create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(statement)
    except sa_errors.DBAPIError as error:
        return error
    finally:
        engine.dispose()
    raise AssertionError(f"{statement} did not fail")


@pytest.mark.parametrize(
    ("error", "fault"),
    [
        (sa_errors.TimeoutError("QueuePool limit reached"), Fault.SLOW),
        (psycopg.OperationalError("connection refused"), Fault.UNREACHABLE),
        (psycopg.InterfaceError("the connection is closed"), Fault.UNREACHABLE),
        (pg_errors.QueryCanceled("statement timeout"), Fault.SLOW),
        (pg_errors.LockNotAvailable("lock timeout"), Fault.LOCKED),
        (pg_errors.SerializationFailure("could not serialize"), Fault.LOCKED),
        (pg_errors.ReadOnlySqlTransaction("read-only transaction"), Fault.READ_ONLY),
        (pg_errors.DiskFull("no space left"), Fault.READ_ONLY),
    ],
)
def test_driver_errors_of_an_unavailable_database_are_faults(error, fault):
    assert fault_of(error) is fault
    wrapped = sa_errors.OperationalError("SELECT 1", {}, error)
    assert fault_of(wrapped) is fault or isinstance(error, sa_errors.TimeoutError)


def test_sqlite_faults_are_read_from_its_result_codes(tmp_path):
    assert fault_of(sqlite_error("SELECT 1", str(tmp_path))) is Fault.UNREADABLE  # a folder
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"\0" * 4096)
    assert fault_of(sqlite_error("SELECT * FROM t", str(damaged))) is Fault.UNREADABLE


@pytest.mark.parametrize(
    "error",
    [
        sqlite_error("SELECT * FROM nowhere"),  # also an OperationalError in sqlite3
        sqlite_error("SELEKT 1"),
        sa_errors.IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE")),
        sa_errors.ProgrammingError("SELECT", {}, pg_errors.UndefinedTable("no table")),
        pg_errors.DataError("bad value"),
        ValueError("not a database error at all"),
    ],
    ids=["no such table", "syntax", "integrity", "undefined table", "data", "other"],
)
def test_mistakes_stay_bugs(error):
    assert fault_of(error) is None
    assert unavailable_of(error) is None


def test_a_lost_connection_is_unreachable_whatever_the_driver_said():
    error = sa_errors.OperationalError(
        "SELECT 1", {}, Exception("gone"), connection_invalidated=True
    )
    unavailable = unavailable_of(error)
    assert unavailable is not None
    assert unavailable.retry_after == 5
    assert unavailable.extensions == {"fault": "unreachable"}
