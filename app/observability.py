"""What operations people watch, wired into Flask: request ids, one JSON log line per request,
and the request metrics of app/metrics.py.

A request's id is its `X-Request-ID` header when that is a sane token (a proxy or a client
chose it, so their logs and ours line up), else a fresh one; it is returned in the response's
`X-Request-ID`, carried by every log record of the request, and quoted in a 500's body.
A 5xx is logged at level error with the traceback of the error behind it, except a 503 for a
database that is unavailable: a warning with the detail the client was given.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
import uuid

from flask import Flask, Response, g, request
from flask.logging import default_handler

from app import logs, metrics
from app.core import errors
from app.ratelimit import client_address
from app.services import database
from app.web import problem_of, runtime

HEADER = "X-Request-ID"
# Letters, digits and a few separators, at most 128: what trace and correlation ids look like,
# and nothing that could forge a log line or a header.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+/=@-]{0,127}")
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
log = logging.getLogger("app.requests")


def install(app: Flask) -> None:
    """Give the app JSON logs, request ids and request metrics; follow its database pool."""
    logs.configure()
    # Flask adds its plain-text handler when app.logger is first read; ours replaces it.
    app.logger.removeHandler(default_handler)
    metrics.watch_engine(app.extensions["eventry"].engine)
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_forget)


def _start() -> None:
    g.eventry_started = time.perf_counter()
    given = request.headers.get(HEADER, "")
    chosen = given if SANE_ID.fullmatch(given) else uuid.uuid4().hex
    g.request_id = chosen
    g.eventry_request_token = logs.REQUEST_ID.set(chosen)


def _finish(response: Response) -> Response:
    started = g.get("eventry_started")
    if started is None:  # a request that failed before _start ran has nothing to report
        return response
    seconds = time.perf_counter() - started
    method = request.method if request.method in METHODS else "OTHER"
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    status = response.status_code
    metrics.REQUESTS.labels(method, route, str(status)).inc()
    metrics.LATENCY.labels(method, route).observe(seconds)
    if request.endpoint == "versions.register":
        metrics.count_registration(status)
    response.headers[HEADER] = g.request_id
    _log_request(route, status, seconds)
    return response


def _log_request(route: str, status: int, seconds: float) -> None:
    fields = {
        "method": request.method,
        "path": request.path,
        "route": route,
        "status": status,
        "duration_ms": round(seconds * 1000, 3),
        "remote": client_address(runtime().settings.trusted_proxies),
    }
    if "eventry_db_target" in g:  # with a read replica: which database the request read
        fields["db"] = g.eventry_db_target
    error = g.get("eventry_error")
    if status >= 500 and _expected(error):
        # A database that is down, frozen or too slow is an operational state, not a bug: one
        # warning with what the client was told, no traceback to page someone with.
        log.warning("request refused: %s", problem_of(error).detail, extra=fields)
    elif status >= 500:
        trace = (type(error), error, error.__traceback__) if error is not None else None
        log.error("request failed", exc_info=trace, extra=fields)
    else:
        log.info("request", extra=fields)


def _expected(error: BaseException | None) -> bool:
    """Whether a 5xx came from an Unavailable (app.web.problem_of's 503), not from a bug."""
    if error is None:
        return False
    return isinstance(database.unavailable_of(error) or error, errors.Unavailable)


def _forget(_error: BaseException | None) -> None:
    token = g.pop("eventry_request_token", None)
    if token is not None:
        # A token from another context (never seen, but harmless) cannot be reset.
        with contextlib.suppress(ValueError):
            logs.REQUEST_ID.reset(token)
