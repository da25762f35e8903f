"""Registrations through HTTP: concurrent writers, one event type, a transitive check.

Starts `eventry serve` as `make run` does (gunicorn, 2 workers; bench/http_speed.py's helpers),
on a fresh SQLite file and, with BENCH_DATABASE_URL set, on that PostgreSQL database too (empty,
or holding the demo and earlier runs' event types: each run makes its own domain), and measures
with WRITERS (32) threads, each on its own keep-alive urllib3 connection:

- "distinct event types": writer i registers new versions of event type i (BACKWARD, each a new
  content compatible with the last), so nothing but the database itself is shared;
- "one event type": all writers register new versions of one event type (they queue on its lock);
- "BACKWARD_TRANSITIVE vs 50": one client registers a version of an event type that has 50 live
  versions of the demo's largest schema (OrderPlaced, 7.9 kB), each judged against all 50; the
  new version is soft-deleted after each timed request (not timed), so every one meets 50.

Each gets a warm-up, then REPEAT rounds of SECONDS (the transitive one: SAMPLES requests per
round); the table gives medians over rounds of registrations/s, median and p99 latency. Every
answer must be 201, but a 503 (the database's write lock not had within a request's budget,
EVENTRY_DB_TIMEOUT_MS, as SQLite answers under load) is retried as a client would and counted;
the versions must come out gapless (checked after the runs). Targets
are issue #13's, reported, never asserted. The figures are merged into bench/results.json under
"writes" (other scripts' keys kept).

Run: `make bench`, or `.venv/bin/python bench/write_speed.py [--seconds 5] [--repeat 3]
[--writers 32] [--samples 30]`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import urllib3
from http_speed import ADMIN, ROOT, WORKERS, _free_port, _machine, _serve

TARGETS = {"distinct event types": 100.0, "one event type": 30.0}
TRANSITIVE_TARGET_MS = 100.0
HISTORY = 50  # live versions the transitive check compares against
BASE = {
    "type": "object",
    "properties": {"id": {"type": "string"}, "at": {"type": "string", "format": "date-time"}},
    "required": ["id"],
}


@dataclass
class Phase:
    """One measured kind of registration: its rounds' figures."""

    name: str
    rounds: list[dict] = field(default_factory=list)


class Api:
    """A keep-alive HTTP client for one thread, as the admin."""

    def __init__(self, base: str) -> None:
        self.pool = urllib3.connection_from_url(base, maxsize=1, timeout=60.0, retries=False)
        self.headers = {"Authorization": f"Bearer {ADMIN}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: object = None) -> tuple[int, dict]:
        data = None if body is None else json.dumps(body).encode()
        answer = self.pool.request(method, path, body=data, headers=self.headers)
        return answer.status, (json.loads(answer.data) if answer.data else {})

    def ok(self, method: str, path: str, body: object = None) -> dict:
        status, answer = self.call(method, path, body)
        if status >= 300:
            sys.exit(f"bench: {method} {path} answered {status}: {str(answer)[:500]}")
        return answer


def main() -> None:
    options = _options()
    runs = []
    postgres = os.environ.get("BENCH_DATABASE_URL")
    for database_url in [None, *([postgres] if postgres else [])]:  # SQLite, then PostgreSQL
        runs.append(_one_database(options, database_url))
    if options.json:
        _merge(Path(options.json), {"machine": _machine(), "runs": runs})


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5, help="length of one round")
    parser.add_argument("--repeat", type=int, default=3, help="rounds after a warm-up")
    parser.add_argument("--writers", type=int, default=32, help="concurrent writers")
    parser.add_argument("--samples", type=int, default=30, help="transitive requests per round")
    parser.add_argument("--json", default=str(ROOT / "bench" / "results.json"))
    return parser.parse_args()


def _merge(path: Path, figures: dict) -> None:
    # bench/http_speed.py writes the file whole; this script keeps every other key.
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        results = {}
    results["writes"] = figures
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote the figures under 'writes' in {path}")


def _one_database(options: argparse.Namespace, database_url: str | None) -> dict:
    kind = "PostgreSQL" if database_url else "SQLite"
    with tempfile.TemporaryDirectory(prefix="eventry-bench-") as folder:
        url = database_url or f"sqlite:///{folder}/bench.db"
        port = _free_port()
        server = _serve(url, port, Path(folder))
        try:
            phases = _measure_all(f"http://127.0.0.1:{port}", options)
        finally:
            server.terminate()
            server.wait(timeout=30)
    rows = [_row(phase) for phase in phases]
    _print(kind, rows, options)
    return {"database": kind, "rows": rows}


def _measure_all(base: str, options: argparse.Namespace) -> list[Phase]:
    api = Api(base)
    domain = f"w{time.strftime('%H%M%S')}{os.getpid() % 1000}"  # a run of its own
    _arrange(api, domain, options.writers)
    counters = _Counters()
    distinct = Phase("distinct event types")
    shared = Phase("one event type")
    writers = options.writers
    for round_ in range(options.repeat + 1):  # round 0 is the warm-up
        seconds = options.seconds if round_ else min(options.seconds, 2)
        figures = _concurrent(base, writers, seconds, lambda i: f"Distinct{i}", domain, counters)
        if round_:
            distinct.rounds.append(figures)
        figures = _concurrent(base, writers, seconds, lambda i: "Shared", domain, counters)
        if round_:
            shared.rounds.append(figures)
    _check_gapless(api, domain, counters)
    transitive = _transitive(api, domain, options)
    return [distinct, shared, transitive]


def _arrange(api: Api, domain: str, writers: int) -> None:
    api.ok("POST", "/api/v1/teams", {"slug": domain, "name": f"Bench {domain}"})
    api.ok("POST", "/api/v1/domains", {"slug": domain, "name": domain, "owner": domain})
    api.ok("POST", "/api/v1/buses", {"slug": domain, "domain": domain, "router": "kafka"})
    names = [f"Distinct{i}" for i in range(writers)] + ["Shared"]
    for name in names:
        event = {"domain": domain, "name": name, "bus": domain, "producer": "bench"}
        api.ok("POST", "/api/v1/events", event)
        api.ok("POST", f"/api/v1/events/{domain}/{name}/versions", {"schema": _revision(0)})


def _revision(number: int, schema: dict | None = None) -> dict:
    """A new content compatible both ways with every other revision (a description differs)."""
    return {**(schema or BASE), "description": f"bench revision {number}"}


class _Counters:
    """Registrations per event type (each starts at version 1) and a unique revision source."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.registered: dict[str, int] = {}
        self.next = 0

    def revision(self) -> int:
        with self.lock:
            self.next += 1
            return self.next

    def count(self, name: str) -> None:
        with self.lock:
            self.registered[name] = self.registered.get(name, 0) + 1


def _concurrent(
    base: str,
    writers: int,
    seconds: float,
    event_of: Callable[[int], str],
    domain: str,
    counters: _Counters,
) -> dict:
    """``writers`` threads registering until ``seconds`` are up: registrations/s and latencies."""
    timings: list[float] = []
    failures: list[str] = []
    busy: list[str] = []
    start = threading.Barrier(writers + 1)

    def writer(index: int) -> None:
        api, name = Api(base), event_of(index)
        path = f"/api/v1/events/{domain}/{name}/versions"
        start.wait()
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline and not failures:
            body = {"schema": _revision(counters.revision())}
            began = time.perf_counter()
            status, answer = api.call("POST", path, body)
            while status == 503:  # the database's write lock not had within the request's budget
                busy.append(name)  # a real client retries; counted, never a registration
                status, answer = api.call("POST", path, body)
            timings.append(time.perf_counter() - began)
            if status != 201:
                failures.append(f"{name}: {status} {str(answer)[:300]}")
                return
            counters.count(name)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    for each in threads:
        each.start()
    start.wait()
    began = time.perf_counter()
    for each in threads:
        each.join()
    elapsed = time.perf_counter() - began
    if failures:
        sys.exit(f"bench: a registration failed: {failures[0]}")
    return {**_figures(timings, elapsed), "busy_503": len(busy)}


def _figures(timings: list[float], elapsed: float) -> dict:
    p99 = statistics.quantiles(timings, n=100)[98] if len(timings) > 1 else timings[0]
    return {
        "count": len(timings),
        "per_s": len(timings) / elapsed,
        "median_ms": statistics.median(timings) * 1000,
        "p99_ms": p99 * 1000,
    }


def _check_gapless(api: Api, domain: str, counters: _Counters) -> None:
    """Each event type's versions are 1..n+1 for its n registrations (the first at arrange)."""
    for name, registered in counters.registered.items():
        following: str | None = f"/api/v1/events/{domain}/{name}/versions?limit=200"
        numbers = []
        while following:  # each page names the next one ("next"), None on the last
            page = api.ok("GET", following)
            numbers += [each["version"] for each in page["items"]]
            following = page.get("next")
        if sorted(numbers) != list(range(1, registered + 2)):
            sys.exit(f"bench: {name}'s versions are not gapless: {sorted(numbers)[:20]}…")


def _transitive(api: Api, domain: str, options: argparse.Namespace) -> Phase:
    """Registrations judged BACKWARD_TRANSITIVE against HISTORY live versions, one at a time."""
    schema = _large_schema(api)
    name, phase = "Transitive", Phase(f"BACKWARD_TRANSITIVE vs {HISTORY}")
    event = {"domain": domain, "name": name, "bus": domain, "producer": "bench"}
    api.ok("POST", "/api/v1/events", event)
    path = f"/api/v1/events/{domain}/{name}"
    api.ok("PUT", f"{path}/config", {"compatibility": "BACKWARD_TRANSITIVE"})
    for number in range(HISTORY):
        api.ok("POST", f"{path}/versions", {"schema": _revision(number, schema)})
    number = HISTORY
    for round_ in range(options.repeat + 1):  # round 0 is the warm-up
        timings = []
        began = time.perf_counter()
        for _ in range(options.samples):
            body = {"schema": _revision(number, schema)}
            number += 1
            started = time.perf_counter()
            created = api.ok("POST", f"{path}/versions", body)
            timings.append(time.perf_counter() - started)
            # Soft-deleted so the next meets HISTORY live versions again (not timed).
            api.ok("DELETE", f"{path}/versions/{created['version']}")
        if round_:
            phase.rounds.append(_figures(timings, time.perf_counter() - began))
    return phase


def _large_schema(api: Api) -> dict:
    """The demo's OrderPlaced schema when the demo is there, else a small one."""
    status, latest = api.call("GET", "/api/v1/events/orders/OrderPlaced/versions/latest")
    return latest["schema"] if status == 200 else BASE


def _row(phase: Phase) -> dict:
    def median(key: str) -> float:
        return round(statistics.median(each[key] for each in phase.rounds), 2)

    row = {
        "phase": phase.name,
        "registrations": sum(each["count"] for each in phase.rounds),
        "median_ms": median("median_ms"),
        "p99_ms": median("p99_ms"),
        "rounds_per_s": [round(each["per_s"], 1) for each in phase.rounds],
        "busy_503": sum(each.get("busy_503", 0) for each in phase.rounds),
    }
    if phase.name in TARGETS:
        row["per_s"] = median("per_s")
        row["target_per_s"] = TARGETS[phase.name]
    else:
        row["target_median_ms"] = TRANSITIVE_TARGET_MS
    return row


def _print(kind: str, rows: list[dict], options: argparse.Namespace) -> None:
    print(
        f"\n{kind}, {WORKERS} gunicorn workers, {options.writers} writers, "
        f"{options.repeat} rounds of {options.seconds:g} s (transitive: {options.samples} "
        "one at a time), medians over rounds"
    )
    print(f"{'registrations':<28} {'per s':>8} {'median ms':>10} {'p99 ms':>8} {'target':>9}")
    for row in rows:
        if "per_s" in row:
            ok = "ok" if row["per_s"] >= row["target_per_s"] else "--"
            rate, target = f"{row['per_s']:.1f}", f">= {row['target_per_s']:g}/s {ok}"
        else:
            ok = "ok" if row["median_ms"] < row["target_median_ms"] else "--"
            rate, target = "", f"< {row['target_median_ms']:g} ms {ok}"
        print(
            f"{row['phase']:<28} {rate:>8} {row['median_ms']:>10.1f} {row['p99_ms']:>8.1f} "
            f"{target:>9}  rounds/s {row['rounds_per_s']}, 503s retried {row['busy_503']}"
        )


if __name__ == "__main__":
    main()
