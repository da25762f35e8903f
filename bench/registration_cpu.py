"""CPU milliseconds of one registration in one process, on an event type with a long history:
Flask's test client posts a new compatible version (a new description, BACKWARD, the default
strict policy) as bench/write_speed.py's writers do, timed with time.thread_time (CPU time of
this thread, which other processes' load inflates far less than wall time). The database's own
work (PostgreSQL's server process) is not counted.

With ``--distinct N`` it measures what bench/write_speed.py's writers on distinct event types
do instead: the first and then the second version of each of N new event types (medians of
each), and the whole process's CPU (time.process_time) per second version, the background
refresher's analysis of what each one marked included (``second_with_refresh_ms``).

Run: ``.venv/bin/python bench/registration_cpu.py [DATABASE_URL] [--history 220] [--count 40]
[--distinct 120]``
(a fresh SQLite file without a URL; a PostgreSQL database may hold earlier runs: each run makes
a domain of its own). With an older checkout on PYTHONPATH it measures that code, for a
before-and-after comparison: interleave the runs and compare medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

from app import create_app
from app.db import migrate

# Long enough for the background refresher (app.analyser) to analyse what was marked.
REFRESHED_S = 3.0
ADMIN = {"Authorization": "Bearer bench-admin-token-0123456789abcdef"}


def revision(number: int, run: str = "") -> dict:
    """A new content compatible both ways with every other revision (``run`` keeps contents
    new in a database holding earlier runs)."""
    return {
        "type": "object",
        "description": f"revision {number} {run}".strip(),
        "properties": {"id": {"type": "string"}, "at": {"type": "string", "format": "date-time"}},
        "required": ["id"],
    }


def post(client, path: str, body: dict) -> float:
    """POST as the admin; the CPU ms it took. Raises AssertionError unless 201."""
    start = time.thread_time()
    response = client.post(path, json=body, headers=ADMIN)
    spent = (time.thread_time() - start) * 1000
    assert response.status_code == 201, (path, response.status_code, response.get_json())
    return spent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url", nargs="?")
    parser.add_argument("--history", type=int, default=220)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--distinct", type=int, default=0, help="event types, each new")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = options.url or f"sqlite:///{folder}/eventry.db"
        migrate.upgrade(url)
        app = create_app(
            {"database_url": url, "admin_token": ADMIN["Authorization"][7:], "demo": False}
        )
        client = app.test_client()
        domain = f"c{time.strftime('%H%M%S')}{os.getpid() % 1000}"
        post(client, "/api/v1/teams", {"slug": domain, "name": domain})
        post(client, "/api/v1/domains", {"slug": domain, "name": domain, "owner": domain})
        post(client, "/api/v1/buses", {"slug": domain, "domain": domain, "router": "kafka"})
        if options.distinct:
            figures = distinct(client, domain, options.distinct)
        else:
            spent = one_event_type(client, domain, options)
            figures = {"median_ms": round(statistics.median(spent), 2)}
            figures["min_ms"] = round(min(spent), 2)
        app.extensions["eventry"].engine.dispose()
    print(json.dumps({"code": sys.modules["app"].__file__, **figures}), flush=True)
    return 0


def one_event_type(client, domain: str, options: argparse.Namespace) -> list[float]:
    """CPU ms of ``count`` registrations on one event type after ``history`` versions."""
    event = {"domain": domain, "name": "Shared", "bus": domain, "producer": "bench"}
    post(client, "/api/v1/events", event)
    path = f"/api/v1/events/{domain}/Shared/versions"
    for number in range(options.history):
        post(client, path, {"schema": revision(number, domain)})
    return [
        post(client, path, {"schema": revision(options.history + n, domain)})
        for n in range(options.count)
    ]


def distinct(client, domain: str, count: int) -> dict:
    """Median CPU ms of the first and of the second version of ``count`` new event types."""
    names = [f"Distinct{n}" for n in range(count)]
    for name in names:
        event = {"domain": domain, "name": name, "bus": domain, "producer": "bench"}
        post(client, "/api/v1/events", event)
    spent: dict[str, list[float]] = {"first": [], "second": []}
    process = 0.0
    for which, offset in (("first", 0), ("second", count)):
        time.sleep(REFRESHED_S)  # the refresher done with what came before
        started = time.process_time()
        for n, name in enumerate(names):
            path = f"/api/v1/events/{domain}/{name}/versions"
            spent[which].append(post(client, path, {"schema": revision(offset + n, domain)}))
        time.sleep(REFRESHED_S)  # sleeping costs no CPU: what the refresher did is counted
        process = time.process_time() - started
    figures = {f"{key}_median_ms": round(statistics.median(each), 2) for key, each in spent.items()}
    return {**figures, "second_with_refresh_ms": round(process * 1000 / count, 2)}


if __name__ == "__main__":
    sys.exit(main())
