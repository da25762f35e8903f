"""The Prometheus metrics Eventry exports: one catalogue, through the official prometheus-client.

Under gunicorn each worker is a process of its own. `eventry serve` points
PROMETHEUS_MULTIPROC_DIR at a fresh folder before the workers start; prometheus-client then keeps
every worker's samples in files there, any worker answering a scrape adds them all up
(`MultiProcessCollector`), and gunicorn's child_exit hook (app/cli/gunicorn_config.py) removes a
dead worker's live gauges. Without the variable (one process: the tests, `flask run`) the
default in-process registry answers.

This module imports neither Flask nor the outer layers, so the services may count here too.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping

from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import Engine, event

# The 0.0.4 text format: what every Prometheus and agent reads (the names are plain ASCII).
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
# `*_created` series double the exposition and mean nothing across restarted workers.
disable_created_metrics()

REQUESTS = Counter(
    "eventry_http_requests_total",
    "HTTP requests answered, by method, route (the URL rule, not the raw path) and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "eventry_http_request_duration_seconds",
    "Time from a request's arrival in the app to its answer, by method and route.",
    ["method", "route"],
    # Up to gunicorn's 30 s worker timeout, past which no answer comes.
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
REGISTRATIONS = Counter(
    "eventry_registrations_total",
    "Schema version registrations by outcome: created (201), identical (200, an existing "
    "version returned), conflict (409, e.g. incompatible), invalid (422).",
    ["outcome"],
)
VALIDATIONS = Counter(
    "eventry_validations_total",
    "Events validated against a schema version (API and UI), by result.",
    ["result"],
)
DB_READ_TARGETS = Counter(
    "eventry_db_sessions_total",
    "Requests' database sessions by the database they read from: replica (DATABASE_READ_URL) "
    "or primary (writes, read-your-writes, a replica down or behind, or no replica).",
    ["target"],
)
RATE_LIMITED = Counter(
    "eventry_rate_limited_total",
    "Requests refused with 429, by the limit they exceeded (writes, expensive).",
    ["limit"],
)
RATE_LIMIT_STORAGE_ERRORS = Counter(
    "eventry_rate_limit_storage_errors_total",
    "Rate-limit checks skipped because the counter store (Redis) failed; such requests pass.",
)
DB_CONNECTIONS_IN_USE = Gauge(
    "eventry_db_connections_in_use",
    "Database connections checked out of the pools of the live processes.",
    multiprocess_mode="livesum",
)
DB_CONNECTIONS_OPEN = Gauge(
    "eventry_db_connections_open",
    "Database connections open (in use or idle in a pool) in the live processes.",
    multiprocess_mode="livesum",
)
DB_POOL_SIZE = Gauge(
    "eventry_db_pool_size",
    "Connections the live processes' pools keep (before overflow).",
    multiprocess_mode="livesum",
)
DB_ERRORS = Counter(
    "eventry_db_errors_total",
    "Errors the database driver raised, by SQLAlchemy's exception class.",
    ["kind"],
)
REGISTRATION_OUTCOMES = {201: "created", 200: "identical", 409: "conflict", 422: "invalid"}


def count_registration(status: int) -> None:
    """Count a registration answered with ``status`` (other statuses are not refusals of it)."""
    outcome = REGISTRATION_OUTCOMES.get(status)
    if outcome is not None:
        REGISTRATIONS.labels(outcome).inc()


def count_validations(valid: int, invalid: int) -> None:
    """Count validated events by result."""
    if valid:
        VALIDATIONS.labels("valid").inc(valid)
    if invalid:
        VALIDATIONS.labels("invalid").inc(invalid)


def watch_engine(engine: Engine) -> None:
    """Follow an engine's pool (connections open and in use) and count its errors."""
    size = getattr(engine.pool, "size", None)
    if callable(size):
        DB_POOL_SIZE.inc(size())
    event.listen(engine.pool, "connect", lambda *_: DB_CONNECTIONS_OPEN.inc())
    event.listen(engine.pool, "close", lambda *_: DB_CONNECTIONS_OPEN.dec())
    event.listen(engine.pool, "close_detached", lambda *_: DB_CONNECTIONS_OPEN.dec())
    event.listen(engine.pool, "checkout", lambda *_: DB_CONNECTIONS_IN_USE.inc())
    event.listen(engine.pool, "checkin", lambda *_: DB_CONNECTIONS_IN_USE.dec())
    # A connection detached for a thread's hot reads (app.db.direct) is open, never checked in.
    event.listen(engine.pool, "detach", lambda *_: DB_CONNECTIONS_IN_USE.dec())
    event.listen(engine, "handle_error", _count_database_error)


def _count_database_error(context) -> None:
    count_database_error(context.sqlalchemy_exception or context.original_exception)


def count_database_error(error: BaseException) -> None:
    """Count one error the database gave, by its class's name (SQLAlchemy's, once wrapped)."""
    DB_ERRORS.labels(type(error).__name__).inc()


class _Catalogue:
    """The per-scrape gauges read from the database: eventry_up and the catalogue's size."""

    def __init__(self, counts: Mapping[str, int] | None) -> None:
        self.counts = counts

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("eventry_up", "Whether the database answered this scrape.")
        up.add_metric([], 0 if self.counts is None else 1)
        yield up
        if self.counts is None:
            return
        items = GaugeMetricFamily(
            "eventry_catalogue_items", "Items in the catalogue, by kind.", labels=["kind"]
        )
        for kind, count in self.counts.items():
            items.add_metric([kind], count)
        yield items


def exposition(catalogue: Mapping[str, int] | None) -> bytes:
    """The whole scrape: the catalogue gauges, then every process's counters and histograms."""
    scrape = CollectorRegistry()
    scrape.register(_Catalogue(catalogue))
    return b"".join(generate_latest(source) for source in (scrape, *_process_registries()))


def _process_registries() -> Iterable[CollectorRegistry]:
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not folder:
        return (REGISTRY,)
    merged = CollectorRegistry()
    multiprocess.MultiProcessCollector(merged, path=folder)
    return (merged,)
