"""What the HTTP adapters (API and UI) share: the runtime, one database session per request,
who is asking, list cursors, and how an error becomes an HTTP answer.

Errors map to HTTP statuses here and nowhere else (`problem_of`). Machine paths (the API and
the probes) answer application/problem+json (RFC 9457); other paths answer with the error page
an adapter set (`set_error_page`: the UI's HTML page), from the same status, title and detail.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from flask import Flask, Response, current_app, g, request
from flask import json as flask_json
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import BadRequest, HTTPException

from app.config import Settings
from app.core import errors
from app.core.access import Actor
from app.reads import ReadRouting
from app.services import database, tokens, transaction

# Paths whose errors stay application/problem+json: the API and the machine endpoints.
MACHINE_PREFIXES = ("/api/", "/healthz", "/readyz", "/metrics", "/ccompat")
PROBLEM_TYPE_BASE = "https://eventry.dev/problems/"
# The one mapping of domain errors to HTTP statuses (the first matching class wins).
STATUS: dict[type[errors.DomainError], int] = {
    errors.NotFound: 404,
    errors.AlreadyExists: 409,
    errors.Conflict: 409,
    errors.InvalidInput: 422,
    errors.Unauthorized: 401,
    errors.Forbidden: 403,
    errors.InvalidCursor: 400,
    errors.Unavailable: 503,
}
_ERROR_PAGE = "eventry.error_page"
log = logging.getLogger(__name__)
_PREFIX_ANSWERS = "eventry.prefix_errors"


@dataclass(frozen=True)
class Runtime:
    """The app's settings, engine and session factory; ``reads`` routes reads to the read
    replica when DATABASE_READ_URL is set (app.reads), else every session is the primary's."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    reads: ReadRouting | None = None

    @classmethod
    def start(cls, settings: Settings) -> Runtime:
        """Create the engines for the configured databases (no connection is made yet); both
        get the same budget, so a replica that froze costs a request no more than a primary."""
        engine = database.open_engine(settings.database_url, settings.db_timeout_ms)
        reads = None
        if settings.database_read_url:
            replica = database.open_engine(settings.database_read_url, settings.db_timeout_ms)
            reads = ReadRouting(
                replica, engine, settings.read_your_writes_s, settings.replica_max_lag_s
            )
        return cls(settings, engine, database.session_factory(engine), reads)

    def dispose(self) -> None:
        """Close every pooled connection of both engines."""
        self.engine.dispose()
        if self.reads is not None:
            self.reads.engine.dispose()


def runtime() -> Runtime:
    """Return the current app's runtime."""
    return current_app.extensions["eventry"]


def db_session() -> Session:
    """Return this request's session, opening it on first use."""
    if "db_session" not in g:
        state = runtime()
        g.db_session = state.reads.open(state.sessions) if state.reads else state.sessions()
    return g.db_session


def register_session_handling(app: Flask) -> None:
    """Close the request's session when the request ends, whatever happened."""

    @app.teardown_appcontext
    def close_session(_error: BaseException | None) -> None:
        for name in ("db_session", "auth_session"):
            _close(g.pop(name, None))


def auth_session() -> Session:
    """The session bearer tokens are checked on: always the primary's, so that a token created
    or revoked a moment ago counts at once, however far behind the read replica is."""
    session = db_session()
    state = runtime()
    if state.reads is None or session.get_bind() is state.engine:
        return session
    if "auth_session" not in g:
        g.auth_session = state.sessions()
    return g.auth_session


def _close(session: Session | None) -> None:
    if session is None:
        return
    if not session.in_transaction() and not session.identity_map and not session.new:
        # Nothing to roll back, release or detach (a hot read ran its one statement outside
        # the session: app.db.engine.read_alone); closing it anyway cost 2 % of such a request.
        return
    try:
        session.close()
    except Exception as error:
        # Closing rolls back what is left open, on a connection the database may have
        # dropped since the answer was built (a restart, a failover). Nothing is left to
        # undo (writes commit in their use case), the pool discards the connection, and
        # the answer stands: raising here would make gunicorn answer 500 instead.
        if database.unavailable_of(error) is None:
            raise
        log.warning("the request's database connection failed as it closed: %s", error)


def current_actor() -> Actor | None:
    """Return the actor behind the request's bearer token, None without one.

    Raises Unauthorized (401) for a malformed header or an unknown, revoked or expired token.
    """
    if "eventry_actor" in g:  # the rate limiter asked first: one token lookup per request
        return g.eventry_actor
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    secret = _presented_token(header)
    g.eventry_actor = tokens.actor_for(auth_session(), secret, runtime().settings.admin_token)
    return g.eventry_actor


def _presented_token(header: str) -> str:
    # A Bearer token, or HTTP Basic with the token as the password (as Confluent's clients send
    # `basic.auth.user.info`; the user name is free), or as the user name with no password.
    scheme, _, credentials = header.partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer" and credentials:
        return credentials
    if scheme.lower() == "basic" and credentials:
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        user, colon, password = decoded.partition(":")
        if colon and (password or user):
            return password or user
    raise errors.Unauthorized(
        "use 'Authorization: Bearer <token>', or HTTP Basic with the token as the password"
    )


def writer() -> Actor:
    """Return the authenticated actor of a write request; raises Unauthorized without one."""
    actor = current_actor()
    if actor is None:
        raise errors.Unauthorized(
            "writes need a token: 'Authorization: Bearer <token>', or HTTP Basic with the "
            "token as the password"
        )
    return actor


def require_read_access() -> None:
    """With EVENTRY_READ_AUTH=token, reads need a valid token too (raises Unauthorized)."""
    if runtime().settings.read_auth == "token" and current_actor() is None:
        raise errors.Unauthorized(
            "this registry needs a token for reads too (EVENTRY_READ_AUTH=token): send "
            "'Authorization: Bearer <token>'"
        )


def encode_cursor(after: Any) -> str:
    """Return an opaque cursor for a position in a list (a page's ``after``)."""
    return base64.urlsafe_b64encode(json.dumps(after).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Any:
    """Decode a cursor made by encode_cursor; raises BadRequest (400) for anything else."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError):
        raise BadRequest(
            "the cursor is not one this API handed out; start again without it"
        ) from None


@dataclass(frozen=True)
class Problem:
    """An error as HTTP answers it: status, title, detail, every problem, extra members and
    the headers that go with it (Allow on 405, WWW-Authenticate on 401)."""

    status: int
    title: str
    detail: str
    errors: list[dict[str, Any]] = field(default_factory=list)
    extensions: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


ErrorPage = Callable[[Problem], Response]


def status_of(error: errors.DomainError) -> int:
    """The HTTP status of a domain error (400 for one without a more specific status)."""
    return next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)


def problem_of(error: BaseException) -> Problem:
    """Turn any error into a Problem; an unexpected one is logged and hidden behind a 500.

    A database that is down, locked, unreadable or too slow is no bug: it is an Unavailable,
    503 with Retry-After, whichever driver said so.
    """
    error = database.unavailable_of(error) or error
    if isinstance(error, errors.DomainError):
        status = status_of(error)
        headers = {"WWW-Authenticate": 'Bearer realm="eventry"'} if status == 401 else {}
        if isinstance(error, errors.Unavailable):
            headers = {"Retry-After": str(error.retry_after)}
        return Problem(status, error.title, error.detail, error.errors, error.extensions, headers)
    if isinstance(error, HTTPException):
        code = error.code or 500
        allowed = getattr(error, "valid_methods", None) if code == 405 else None
        headers = {"Allow": ", ".join(allowed)} if allowed else {}
        return Problem(code, error.name, error.description or error.name, headers=headers)
    # Logged with its traceback by app.observability, under the id quoted here.
    request_id = g.get("request_id")
    return Problem(
        500,
        "Internal Server Error",
        f"Eventry hit an unexpected error; it is logged under request id {request_id}.",
        extensions={"request_id": request_id},
    )


def problem_response(problem: Problem) -> Response:
    """Return a Problem as an application/problem+json response (RFC 9457)."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + problem.title.lower().replace(" ", "-"),
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
    }
    if problem.errors:
        body["errors"] = problem.errors
    body.update(problem.extensions)
    response = Response(
        flask_json.dumps(body), status=problem.status, mimetype="application/problem+json"
    )
    response.headers.update(problem.headers)
    return response


def problem(
    status: int, title: str, detail: str, errors: list[dict[str, Any]] | None = None, **extra: Any
) -> Response:
    """Return an application/problem+json response built from its parts."""
    return problem_response(Problem(status, title, detail, errors or [], extra))


def is_machine_path(path: str) -> bool:
    """Whether errors on this path are answered as problem+json rather than an error page."""
    return path.startswith(MACHINE_PREFIXES) or path in {p.rstrip("/") for p in MACHINE_PREFIXES}


def register_error_handling(app: Flask) -> None:
    """Answer every error the app raises: problem+json on machine paths, else the error page."""
    for kind in (errors.DomainError, HTTPException, Exception):
        app.register_error_handler(kind, _answer_error)


def set_error_page(app: Flask, render: ErrorPage) -> None:
    """Render errors on the paths that are not machine paths with ``render`` (the UI's pages)."""
    app.extensions[_ERROR_PAGE] = render


def set_prefix_errors(app: Flask, prefix: str, answer: Callable[[BaseException], Response]) -> None:
    """Answer the errors of every request under ``prefix`` with ``answer`` (an adapter with
    its own error shape), those no route of the adapter matched (404, 405) included."""
    app.extensions.setdefault(_PREFIX_ANSWERS, {})[prefix] = answer


def _answer_error(error: BaseException) -> Response:
    details = _with_saved_changes(problem_of(error))
    if details.status >= 500:
        g.eventry_error = error  # its traceback goes into the request's log line
    for prefix, answer in current_app.extensions.get(_PREFIX_ANSWERS, {}).items():
        if request.path.startswith(prefix):
            return answer(error)  # e.g. /ccompat: no route matched, so no blueprint answered
    render = current_app.extensions.get(_ERROR_PAGE)
    if render is None or is_machine_path(request.path):
        return problem_response(details)
    return render(details)


def _with_saved_changes(problem: Problem) -> Problem:
    # An error after the request's change was committed (while its answer was built) must
    # not read as "nothing happened": it names what was saved, so a client reads it back
    # rather than repeating the write.
    session = g.get("db_session")
    saved = transaction.saved(session) if session is not None else []
    if not saved:
        return problem
    detail = (
        f"{problem.detail} The change was saved before this error ({', '.join(saved)}): "
        "read it back before retrying."
    )
    return replace(problem, detail=detail, extensions={**problem.extensions, "saved": saved})
