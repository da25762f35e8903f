"""Abuse limits: rates for writes and for the expensive anonymous endpoints, answered with 429.

Two limits, each a number of requests per window (a minute) and 0 to switch it off:

- writes (`EVENTRY_RATE_LIMIT_WRITES`): every POST/PUT/PATCH/DELETE but the reads below;
- expensive (`EVENTRY_RATE_LIMIT_EXPENSIVE`): the stateless checks anyone may call, which cost
  real work per call (compatibility, validation, analysis, schema discovery and inference),
  and the reads that generate (an example event, code bindings, an AsyncAPI export).

A request is counted against its bearer token when it presents a valid one, else against its
client address; admin tokens are not limited (an operator's import must not stall). Counting is
the `limits` library's fixed window, kept in Redis when `EVENTRY_REDIS_URL` is set (shared by
every worker and host), else in the process's memory. Every counted answer carries the IETF
draft's `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds); a 429 also
carries `Retry-After`. When Redis fails, requests pass: the limiter must never be the outage.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from redis.backoff import NoBackoff
from redis.retry import Retry
from werkzeug.exceptions import TooManyRequests

from app import metrics
from app.config import Settings
from app.core.errors import Unauthorized
from app.web import current_actor, runtime

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Endpoints (blueprint.view) anyone may call that cost real work per call.
EXPENSIVE_ENDPOINTS = frozenset(
    {
        "registry.compare",  # POST /api/v1/compatibility
        "events.test_compatibility",  # POST /api/v1/events/<d>/<n>/compatibility
        "events.validate",  # POST /api/v1/events/<d>/<n>/validate
        "analysis.analyse",  # POST /api/v1/analysis
        "consumers.test_pattern",  # POST /api/v1/patterns/test
        "ui_events.validate",  # the UI's validate form
        "ccompat_schemas.check_one",  # POST /ccompat/compatibility/subjects/<s>/versions/<v>
        "ccompat_schemas.check_all",  # POST /ccompat/compatibility/subjects/<s>/versions
        "ccompat_subjects.look_up",  # POST /ccompat/subjects/<s>: checks the schema sent
        # GETs that generate: an example event, code bindings (a generator process each)
        "interop.example",  # GET …/versions/<n>/example
        "interop.version_bindings",  # GET …/versions/<n>/bindings/<language>
        # Schema inference: every event merged, then proposals judged against the catalogue
        "interop.discover",  # POST /api/v1/buses/<bus>/discover
        "interop.infer",  # POST /api/v1/infer
        # Every event type's latest version and samples, written as one AsyncAPI document
        "asyncapi.export_document",  # GET /api/v1/asyncapi
        "asyncapi.export_domain_document",  # GET /api/v1/domains/<domain>/asyncapi, the same
        # Two documents read and every changed payload judged by the compatibility engine
        "asyncapi.diff_documents",  # POST /api/v1/asyncapi/diff
    }
)
# POSTs that only read and cost next to nothing; any other POST counts as a write.
CHEAP_READS = frozenset({"analysis.router_estimate"})
# After a failure of the counter store, requests pass unchecked this long before it is tried
# again, so a Redis outage costs one timeout now and then, not one per request.
STORE_RETRY_SECONDS = 5.0
STORE_TIMEOUT_SECONDS = 0.5
_EXTENSION = "eventry.ratelimit"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    """One limit: its name (the metric's label), the setting that sets it, and its rate."""

    name: str
    setting: str
    item: RateLimitItem


@dataclass(frozen=True)
class Verdict:
    """What counting one request gave: allowed or not, and the window's state for headers."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int


class Limiter:
    """The rules and the counter store of one app."""

    def __init__(self, settings: Settings) -> None:
        window = settings.rate_limit_window
        self.rules: dict[str, Rule] = {}
        for name, setting, rate in (
            ("writes", "EVENTRY_RATE_LIMIT_WRITES", settings.rate_limit_writes),
            ("expensive", "EVENTRY_RATE_LIMIT_EXPENSIVE", settings.rate_limit_expensive),
        ):
            if rate > 0:
                item = RateLimitItemPerSecond(rate, window, namespace="eventry")
                self.rules[name] = Rule(name, setting, item)
        self.strategy = FixedWindowRateLimiter(_storage(settings.redis_url))
        self._store_down_until = 0.0

    def rule_for(self, method: str, endpoint: str | None) -> Rule | None:
        """The limit a request falls under, None for one that is not limited."""
        if endpoint in EXPENSIVE_ENDPOINTS:
            return self.rules.get("expensive")
        if endpoint is None or method not in WRITE_METHODS or endpoint in CHEAP_READS:
            return None
        return self.rules.get("writes")

    def hit(self, rule: Rule, key: str) -> Verdict | None:
        """Count one request; None when the store failed (the request then passes)."""
        now = time.monotonic()
        if now < self._store_down_until:
            return None
        try:
            allowed = self.strategy.hit(rule.item, rule.name, key)
            stats = self.strategy.get_window_stats(rule.item, rule.name, key)
        except StorageError as error:
            self._store_down_until = now + STORE_RETRY_SECONDS
            metrics.RATE_LIMIT_STORAGE_ERRORS.inc()
            log.warning("rate limits not checked for %.0f s: %s", STORE_RETRY_SECONDS, error)
            return None
        reset = max(1, math.ceil(stats.reset_time - time.time()))
        return Verdict(allowed, rule.item.amount, stats.remaining, reset)


def _storage(redis_url: str | None):
    if redis_url is None:
        return storage_from_string("memory://")
    return storage_from_string(
        redis_url,
        wrap_exceptions=True,
        key_prefix="eventry",
        socket_timeout=STORE_TIMEOUT_SECONDS,
        socket_connect_timeout=STORE_TIMEOUT_SECONDS,
        # redis-py retries with growing sleeps by default: a request must not wait for that.
        retry=Retry(NoBackoff(), 0),
    )


def install(app: Flask) -> None:
    """Count the app's limited requests before their view runs, and add the headers after."""
    app.extensions[_EXTENSION] = Limiter(app.extensions["eventry"].settings)
    app.before_request(_check)
    app.after_request(_headers)


def client_address(trusted_proxies: int) -> str:
    """The client's address: the peer's, or with N trusted proxies in front, the address the
    N-th proxy from the end saw (X-Forwarded-For), which a client cannot forge."""
    if trusted_proxies:
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")
        hops = [hop.strip() for hop in forwarded if hop.strip()]
        if len(hops) >= trusted_proxies:
            return hops[-trusted_proxies]
    return request.remote_addr or "unknown"


def _check() -> None:
    limiter: Limiter = current_app.extensions[_EXTENSION]
    rule = limiter.rule_for(request.method, request.endpoint)
    if rule is None:
        return
    admin, key = _who()
    if admin:
        return
    verdict = limiter.hit(rule, key)
    if verdict is None:
        return
    g.eventry_rate = verdict
    if not verdict.allowed:
        metrics.RATE_LIMITED.labels(rule.name).inc()
        who = "token" if key.startswith("token:") else "address"
        raise TooManyRequests(
            f"this {who} made more than {verdict.limit} {rule.name} requests in "
            f"{rule.item.multiples} s; try again in {verdict.reset_seconds} s "
            f"(the limit is {rule.setting})"
        )


def _who() -> tuple[bool, str]:
    """(is an admin, counting key): a valid token's digest, else the client's address."""
    try:
        actor = current_actor()
    except Unauthorized:
        # An unknown token is not a way around the address's count; a write still gets 401.
        actor = None
    if actor is None:
        return False, "address:" + client_address(runtime().settings.trusted_proxies)
    secret = request.headers.get("Authorization", "").partition(" ")[2].strip()
    # A digest, not the secret: the store (Redis) never holds a usable credential.
    return actor.admin, "token:" + hashlib.sha256(secret.encode()).hexdigest()[:32]


def _headers(response: Response) -> Response:
    verdict: Verdict | None = g.get("eventry_rate")
    if verdict is None:
        return response
    response.headers["RateLimit-Limit"] = str(verdict.limit)
    response.headers["RateLimit-Remaining"] = str(verdict.remaining)
    response.headers["RateLimit-Reset"] = str(verdict.reset_seconds)
    if response.status_code == 429:
        response.headers["Retry-After"] = str(verdict.reset_seconds)
    return response
