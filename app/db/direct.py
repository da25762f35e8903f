"""The hot reads' one statement on the driver's own connection, past SQLAlchemy's execution.

A hot read (a schema by id, a version, the version an event is validated against) runs one
indexed statement whose SQL is about 7 µs of work; through SQLAlchemy's Connection it cost a
request 280 more Python calls (the pool's checkout and checkin with their events, execution
options, the transaction begun and rolled back around it in autocommit, the cursor result):
several hundred µs inside a request, most of the gap between a hot read and ``/healthz``.

Here an engine keeps a few idle driver connections of its own for these statements, taken
and given back with one list operation each (atomic under the GIL: no lock, no events), and
each statement is compiled once per dialect into its SQL, the order of its parameters and its
columns' result processors (SQLite's dates come back as text, as SQLAlchemy would read them).
They are shared by threads, not owned by one: a server that starts a thread per request
(werkzeug's) would otherwise open a connection per request and leave it to the collector. At
most as many stay idle as the pool keeps (``pool_size``); more in use at once are closed on
return. A connection comes from the engine's own pool (``raw_connection`` then ``detach``), so it is
made exactly as the pool makes one: SQLite's pragmas, PostgreSQL's options (statement_timeout,
a search path in the URL) and app.db.deadline's client deadline all apply. It runs each
statement on its own (SQLite: the app already leaves transactions to itself; PostgreSQL:
psycopg's autocommit), as app.db.engine.read_alone did through the pool.

What the pool's checkout did, and how it stays true:

- a SQLite file replaced or removed under a connection (app.db.engine._watch_file): the file's
  identity is compared on each use; a different file sends the statement down SQLAlchemy's
  path, which reconnects or answers 503;
- a dead PostgreSQL connection (a restart, a failover, a dropped database), which the pool's
  ping would find: the driver's error discards the connection and the statement goes down
  SQLAlchemy's path, whose ping heals the pool or answers 503;
- a wait that met the request's budget (a lock, a cancelled statement, a silent server) is
  not tried again, which would wait a second budget: it is raised as SQLAlchemy would raise
  it, so the request answers 503 as before, and counted by the engine's error listeners.

A statement an engine's ``before_cursor_execute`` listener would see (tracing, the tests'
statement counts; the app registers none) goes down SQLAlchemy's path, so the listener sees it.
"""

from __future__ import annotations

import contextlib
import os
import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event, exc
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import Select

from app.db.deadline import ServerSilent
from app.db.faults import Fault, fault_of

FILE_IDENTITY = "eventry_file_identity"  # a pooled SQLite connection's file (its info key)
UNANSWERED = object()  # first_row's answer when SQLAlchemy's path must answer instead
# The kinds of error that mean the request already waited its budget on the database.
_WAITED = (Fault.LOCKED, Fault.SLOW)
_abandoned: list[Any] = []  # connections a forked child inherited: never used, never closed


def file_identity(path: Path) -> tuple[int, int] | None:
    """The device and inode of the file at ``path`` (None when there is none): which file a
    SQLite connection opened there, as it is kept when the file is moved or replaced."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_dev, status.st_ino)


@dataclass(frozen=True)
class _Prepared:
    sql: str
    positional: tuple[str, ...] | None  # the parameters' order for a positional paramstyle
    defaults: Mapping[str, Any]  # the statement's own values (a LIMIT's)
    processors: tuple[Callable[[Any], Any] | None, ...]


@dataclass(eq=False)  # kept in a set: hashed by identity
class _Held:
    fairy: Any  # the pool's detached proxy: closing it closes the driver connection
    driver: Any
    identity: tuple[int, int] | None
    generation: int  # the DirectReads generation it was made in (a dispose starts another)


class DirectReads:
    """One engine's driver connections for hot statements: made on demand, kept idle in a
    list of at most ``idle_most``, closed with the engine's pool."""

    def __init__(self, engine: Engine, file: Path | None) -> None:
        self.engine = engine
        self.file = file
        self.dialect: Dialect = engine.dialect
        size = getattr(engine.pool, "size", None)
        self.idle_most: int = size() if callable(size) else 5
        self.idle: list[_Held] = []  # LIFO: the warmest connection is taken first
        self.held: set[_Held] = set()  # every open one, idle or in use, to close on dispose
        self.generation = 0
        self.lock = threading.Lock()
        self.error_listeners: list[Callable[[BaseException], None]] = []
        self.prepared: dict[int, tuple[Select, _Prepared | None]] = {}
        event.listen(engine, "engine_disposed", lambda _engine: self.close_all())

    def first_row(self, statement: Select, parameters: Mapping[str, Any]) -> Any:
        """The statement's first row as a tuple (result types processed), None without one,
        or UNANSWERED when SQLAlchemy's path must run it (a statement this path cannot run or
        a statement listener wants to see, a SQLite file replaced, a driver error other than
        a spent wait: that connection is closed). Raises SQLAlchemy's DBAPIError for a wait
        that met the budget (a lock, a cancelled statement, a silent server), and what the
        pool's checkout raises when the thread's connection is made (a database down)."""
        prepared = self._prepared(statement)
        if prepared is None or self.engine.dispatch.before_cursor_execute:
            return UNANSWERED
        held = self._take()
        if held is None:
            return UNANSWERED
        arguments = _arguments(prepared, parameters)
        try:
            row = _first_row(held.driver, prepared, arguments)
        except self.dialect.loaded_dbapi.Error as error:
            self._discard(held)
            if isinstance(error, ServerSilent) or fault_of(error) in _WAITED:
                raise self._wrapped(prepared.sql, arguments, error) from error
            return UNANSWERED
        except BaseException:  # an interrupted statement leaves the connection unknown
            self._discard(held)
            raise
        self._give_back(held)
        return row

    def first_row_on(
        self, connection: Connection, statement: Select, parameters: Mapping[str, Any]
    ) -> Any:
        """The same on ``connection`` (a session's, in its transaction, so the statement sees
        what the transaction sees), or UNANSWERED as for ``first_row``. A driver error is
        raised as SQLAlchemy's DBAPIError (the transaction cannot go on after it on
        PostgreSQL, so nothing is tried again); a lost connection is invalidated."""
        prepared = self._prepared(statement)
        if prepared is None or self.engine.dispatch.before_cursor_execute:
            return UNANSWERED
        arguments = _arguments(prepared, parameters)
        driver = connection.connection.driver_connection
        try:
            return _first_row(driver, prepared, arguments)
        except self.dialect.loaded_dbapi.Error as error:
            wrapped = self._wrapped(prepared.sql, arguments, error)
            if self.dialect.is_disconnect(error, connection.connection.dbapi_connection, None):
                wrapped.connection_invalidated = True
                connection.invalidate(error)
            raise wrapped from error

    def close_all(self) -> None:
        """Close every connection (the engine was disposed: its pool is new); one in use is
        closed now too, and not kept when it comes back."""
        with self.lock:
            held, self.held, self.idle = list(self.held), set(), []
            self.generation += 1
        for each in held:
            _close(each)

    def abandon_all(self) -> None:
        """Forget every connection without closing it: a forked child shares its parent's
        sockets, and closing one would end the parent's session."""
        with self.lock:
            _abandoned.extend(self.held)
            self.held, self.idle = set(), []
            self.generation += 1

    def idle_count(self) -> int:
        """How many connections wait idle for the next statement."""
        return len(self.idle)

    def _take(self) -> _Held | None:
        try:
            held = self.idle.pop()
        except IndexError:
            held = self._connect()
        if self.file is not None and file_identity(self.file) != held.identity:
            self._discard(held)  # another file at the path: SQLAlchemy's path decides
            return None
        return held

    def _connect(self) -> _Held:
        generation = self.generation
        fairy = self.engine.raw_connection()
        held = _Held(fairy, fairy.driver_connection, fairy.info.get(FILE_IDENTITY), generation)
        fairy.detach()  # the pool makes another; this one is this path's from now on
        if self.dialect.name == "postgresql":
            held.driver.autocommit = True  # each statement its own: no BEGIN, no ROLLBACK
        with self.lock:
            self.held.add(held)
        return held

    def _give_back(self, held: _Held) -> None:
        # A connection made before a dispose, or one more than the pool keeps, is closed.
        if held.generation != self.generation or len(self.idle) >= self.idle_most:
            self._discard(held)
        else:
            self.idle.append(held)

    def _discard(self, held: _Held) -> None:
        with self.lock:
            self.held.discard(held)
        _close(held)

    def _prepared(self, statement: Select) -> _Prepared | None:
        found = self.prepared.get(id(statement))
        if found is None:
            found = (statement, _prepare(statement, self.dialect))
            self.prepared[id(statement)] = found  # the statement is kept: its id stays its own
        return found[1]

    def _wrapped(self, sql: str, arguments: Any, error: Exception) -> exc.DBAPIError:
        wrapped = exc.DBAPIError.instance(
            sql,
            arguments,
            error,
            self.dialect.loaded_dbapi.Error,
            hide_parameters=self.engine.hide_parameters,
            dialect=self.dialect,
        )
        for listener in self.error_listeners:
            listener(wrapped)
        return wrapped


def _prepare(statement: Select, dialect: Dialect) -> _Prepared | None:
    """The statement's SQL for ``dialect``, or None when a parameter needs processing."""
    compiled = statement.compile(dialect=dialect)
    if compiled.literal_execute_params or compiled.post_compile_params:
        return None
    binds = compiled.binds.values()
    if any(bind.type.dialect_impl(dialect).bind_processor(dialect) for bind in binds):
        return None
    defaults = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}
    positional = tuple(compiled.positiontup or ()) if dialect.positional else None
    processors = tuple(
        column.type.dialect_impl(dialect).result_processor(dialect, None)
        for column in statement.selected_columns
    )
    return _Prepared(compiled.string, positional, defaults, processors)


def _arguments(prepared: _Prepared, parameters: Mapping[str, Any]) -> Any:
    values = {**prepared.defaults, **parameters}
    if prepared.positional is None:
        return values
    return [values[name] for name in prepared.positional]


def _first_row(driver: Any, prepared: _Prepared, arguments: Any) -> tuple | None:
    cursor = driver.cursor()
    try:
        cursor.execute(prepared.sql, arguments)
        row = cursor.fetchone()
    finally:
        cursor.close()
    if row is None:
        return None
    return tuple(
        value if process is None else process(value)
        for value, process in zip(row, prepared.processors, strict=True)
    )


def _close(held: _Held) -> None:
    # A connection already broken has nothing left to close.
    with contextlib.suppress(Exception):
        held.fairy.close()


_readers: weakref.WeakKeyDictionary[Engine, DirectReads] = weakref.WeakKeyDictionary()


def attach(engine: Engine, file: Path | None) -> None:
    """Let ``engine``'s hot statements run on driver connections (``file``: a SQLite
    database's path, watched for a swap; None for a server or an in-memory database)."""
    _readers[engine] = DirectReads(engine, file)


def reads_of(engine: Engine) -> DirectReads | None:
    """The engine's DirectReads; None for an engine made without ``attach``."""
    return _readers.get(engine)


def on_error(engine: Engine, listener: Callable[[BaseException], None]) -> None:
    """Call ``listener`` with each error this path raises for ``engine`` (SQLAlchemy's
    ``handle_error`` listeners do not see them: app.metrics counts them through this)."""
    reads = reads_of(engine)
    if reads is not None:
        reads.error_listeners.append(listener)


def _after_fork() -> None:
    for reads in list(_readers.values()):
        reads.abandon_all()


os.register_at_fork(after_in_child=_after_fork)
