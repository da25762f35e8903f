"""Read scaling with a read replica (DATABASE_READ_URL), as Aurora's reader endpoint offers it:
which database each request's session uses is decided here, and nowhere else.

- A request that may write (POST, PUT, PATCH, DELETE, but the READ_ONLY_POSTS) uses the
  primary for everything it reads and writes, so its checks see the newest state.
- A read (GET, HEAD, OPTIONS, and the READ_ONLY_POSTS: validation, compatibility checks,
  analysis, the Confluent look-up) reads the replica, through a session that moves to the
  primary for good if the request writes after all (app.db.engine.RoutedSession).
- Bearer tokens are always checked on the primary (app.web.auth_session): a token made or
  revoked a moment ago counts at once.
- Read-your-writes: a caller whose request changed something reads the primary for
  EVENTRY_READ_YOUR_WRITES_S seconds after. The marker travels with the caller, so every
  process and host behind a load balancer honours it: the cookie ``eventry_primary_until`` (a
  Unix time; browsers and HTTP client sessions send it back), and, for clients that keep no
  cookies, the same Authorization header, remembered by the process that took the write. The
  cookie is not signed: it only sends reads to the primary, which is always right.
- A replica that cannot be reached is not read from for DOWN_RETRY_S; one behind by more than
  EVENTRY_REPLICA_MAX_LAG_S (checked at most every LAG_CHECK_S) neither: reads go to the primary.

Rails' ``ActiveRecord::Middleware::DatabaseSelector`` makes the same choices (a last-write time in
the session, a delay of 2 s); docs/operations.md ("Read replicas") says what lag means here.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from dataclasses import dataclass, field
from enum import Enum

from cachetools import TTLCache
from flask import Flask, Response, g, request
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app import metrics
from app.services import database, transaction

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# POSTs (blueprint.view) that only read: they check what they are sent against the catalogue.
READ_ONLY_POSTS = frozenset(
    {
        "registry.compare",
        "events.test_compatibility",
        "events.validate",
        "analysis.analyse",
        "analysis.router_estimate",
        "consumers.test_pattern",
        "ui_events.validate",
        "ccompat_schemas.check_one",
        "ccompat_schemas.check_all",
        "ccompat_subjects.look_up",
    }
)
COOKIE = "eventry_primary_until"
DOWN_RETRY_S = 5.0  # a replica that failed to connect is tried again after this long
LAG_CHECK_S = 2.0  # how often a process asks the replica how far behind it is
_WRITERS_REMEMBERED = 10_000


class Target(Enum):
    """The database a request's session reads from."""

    PRIMARY = "primary"
    REPLICA = "replica"


@dataclass
class ReplicaState:
    """What this process last learnt of the replica: reachable, and how far behind."""

    down_until: float = 0.0
    checked_at: float = -math.inf
    lag_s: float | None = None
    problem: str | None = None
    migrated: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def down(self, problem: str) -> None:
        """Stop reading from the replica for DOWN_RETRY_S, for the reason ``problem``."""
        with self.lock:
            self.down_until = time.monotonic() + DOWN_RETRY_S
            self.checked_at = -math.inf
            self.lag_s, self.problem = None, problem


class ReadRouting:
    """The replica's engine and sessions, its state, and the writers of the last seconds."""

    def __init__(self, replica: Engine, primary: Engine, window_s: int, max_lag_s: int) -> None:
        self.engine = replica
        self.sessions: sessionmaker[Session] = database.read_session_factory(replica, primary)
        self.window_s = window_s
        self.max_lag_s = max_lag_s
        self.state = ReplicaState()
        self._writers: TTLCache = TTLCache(maxsize=_WRITERS_REMEMBERED, ttl=window_s)
        self._writers_lock = threading.Lock()

    def open(self, primary: sessionmaker[Session]) -> Session:
        """Open this request's session on the database the rules above choose."""
        if not (_reads_only() and not self._wrote_lately() and self.usable()):
            return _counted(primary(), Target.PRIMARY)
        session = self.sessions()
        try:
            session.connection()  # a pooled connection, pinged: a replica just stopped fails here
        except SQLAlchemyError as error:
            session.close()
            if database.unavailable_of(error) is None:
                raise
            self.state.down(_reason(error))
            return _counted(primary(), Target.PRIMARY)
        return _counted(session, Target.REPLICA)

    def usable(self) -> bool:
        """Whether the replica is up and close enough behind (asked every LAG_CHECK_S)."""
        now = time.monotonic()
        state = self.state
        if now < state.down_until:
            return False
        if now - state.checked_at >= LAG_CHECK_S:
            self.check()
        return state.lag_s is not None and state.lag_s <= self.max_lag_s

    def check(self) -> None:
        """Ask the replica how far behind it is, now; a failure marks it down."""
        try:
            lag = database.replica_lag_s(self.engine)
            # Once at the newest migration, a replica stays there (it follows the primary);
            # before, reading it would fail on a table or column it lacks.
            self.state.migrated = self.state.migrated or database.is_migrated(self.engine)
        except SQLAlchemyError as error:
            if database.unavailable_of(error) is None:
                raise
            self.state.down(_reason(error))
            return
        if not self.state.migrated:
            self.state.down("its schema is not at this release's newest migration")
            return
        with self.state.lock:
            self.state.checked_at, self.state.lag_s, self.state.problem = (
                time.monotonic(),
                lag,
                None,
            )

    def report(self) -> dict[str, object]:
        """The replica as /readyz shows it, asked now: ``state`` is ``ok``, ``behind`` (more
        than the allowed lag: reads go to the primary) or ``down`` (not reachable: the same),
        with ``lag_s`` (seconds, when it answered) or ``problem`` (one sentence, when down)."""
        self.check()
        state = self.state
        if state.lag_s is None:
            return {"state": "down", "problem": state.problem}
        kind = "ok" if state.lag_s <= self.max_lag_s else "behind"
        return {"state": kind, "lag_s": round(state.lag_s, 3), "max_lag_s": self.max_lag_s}

    def remember_write(self, response: Response) -> None:
        """After a request that changed something, send its caller's reads to the primary."""
        until = int(time.time()) + self.window_s
        response.set_cookie(
            COOKIE,
            str(until),
            max_age=self.window_s,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
        caller = _caller()
        if caller is not None:
            with self._writers_lock:
                self._writers[caller] = until

    def _wrote_lately(self) -> bool:
        now = time.time()
        until = _number(request.cookies.get(COOKIE, ""))
        # A cookie claims no more than one window ahead: a forged one cannot pin the primary.
        if until is not None and now < until <= now + self.window_s:
            return True
        caller = _caller()
        if caller is None:
            return False
        with self._writers_lock:
            return caller in self._writers


def install(app: Flask, routing: ReadRouting | None) -> None:
    """Mark the callers of requests that changed something (read-your-writes)."""
    if routing is None:
        return
    metrics.watch_engine(routing.engine)

    @app.after_request
    def _after_a_write(response: Response) -> Response:
        session = g.get("db_session")
        if session is not None and transaction.saved(session):
            routing.remember_write(response)
        return response


def _reads_only() -> bool:
    return request.method in SAFE_METHODS or request.endpoint in READ_ONLY_POSTS


def _caller() -> str | None:
    # The Authorization header, hashed: the token's identity without a lookup of the token.
    header = request.headers.get("Authorization")
    return hashlib.sha256(header.encode()).hexdigest() if header else None


def _counted(session: Session, target: Target) -> Session:
    metrics.DB_READ_TARGETS.labels(target.value).inc()
    g.eventry_db_target = target.value  # the request's log line says it (app.observability)
    return session


def _number(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) <= 12 else None


def _reason(error: BaseException) -> str:
    origin = getattr(error, "orig", None) or error
    return str(origin).splitlines()[0] if str(origin) else type(origin).__name__
