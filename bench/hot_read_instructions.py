"""Instructions per request of the hot reads, against `GET /healthz`, in one process.

The HTTP bench's ratios swing with the machine's load; instruction counts do not. Each path is
called straight through the WSGI interface (no test client), after a warm-up, inside one call
of ``functools.reduce``: run under callgrind with the options below, each such call is zeroed
before, collected alone and dumped after, so each dump file holds exactly one path's requests.

Run (SQLite, a fresh file with the demo catalogue; or ``--database-url`` for PostgreSQL):

    valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no \
      --toggle-collect=functools_reduce --zero-before=functools_reduce \
      --dump-after=functools_reduce --callgrind-out-file=/tmp/hot.%p \
      .venv/bin/python bench/hot_read_instructions.py --requests 200

then ``python bench/hot_read_instructions.py --table /tmp/hot.<pid>``. Without valgrind the
script prints CPU time per request (``time.thread_time``) instead, which the load does move.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from werkzeug.test import EnvironBuilder

EVENT = "/api/v1/events/orders/OrderPlaced"


def main() -> None:
    options = _options()
    if options.table:
        _table(Path(options.table), options.requests)
        return
    folder = Path(tempfile.mkdtemp(prefix="hot-reads-"))
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(folder))  # as `eventry serve` sets it
    url = options.database_url or f"sqlite:///{folder / 'bench.db'}"
    app = _app(url)
    paths = _paths(app)
    for environ in paths.values():  # warm every cache first
        for _ in range(20):
            _call(app, environ)
    if _under_valgrind():
        _instrument()
    for name, environ in paths.items():
        started = time.thread_time()
        functools.reduce(lambda _a, _b: _call(app, environ), range(options.requests), None)
        spent = (time.thread_time() - started) / options.requests
        print(f"{name:<24} {spent * 1e6:8.0f} µs CPU per request", flush=True)


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url")
    parser.add_argument("--table", help="callgrind's output file prefix: print the table")
    return parser.parse_args()


def _app(url: str):
    from app import create_app
    from app.config import Settings
    from app.services.bootstrap import bootstrap

    config = {"database_url": url, "demo": True, "rate_limit_expensive": 0}
    bootstrap(Settings.from_env().with_overrides(config))
    return create_app(config)


def _paths(app) -> dict[str, dict]:
    client = app.test_client()
    latest = client.get(f"{EVENT}/versions/latest").get_json()
    samples = client.get(f"{EVENT}/samples").get_json()["items"]
    event = next(each["payload"] for each in samples if each["expect_valid"])
    body = json.dumps({"event": event}).encode()
    gets = {
        "/healthz": "/healthz",
        "schema by id": f"/api/v1/schemas/{latest['schema_id']}",
        "ccompat schema by id": f"/ccompat/schemas/ids/{latest['schema_id']}",
        "versions/latest": f"{EVENT}/versions/latest",
        "versions/1": f"{EVENT}/versions/1",
    }
    paths = {name: EnvironBuilder(path=path).get_environ() for name, path in gets.items()}
    paths["validate one event"] = EnvironBuilder(
        path=f"{EVENT}/validate", method="POST", data=body, content_type="application/json"
    ).get_environ()
    for name, environ in paths.items():
        status = _call(app, environ)
        assert status.startswith("200"), (name, status)
    return paths


def _call(app, environ: dict) -> str:
    """One request through the WSGI interface; its status line."""
    environ = dict(environ)
    body = environ.get("wsgi.input")
    if body is not None:  # each request reads its own copy of the body
        body.seek(0)
        environ["wsgi.input"] = io.BytesIO(body.read())
    seen: list[str] = []
    answer = app(environ, lambda status, _headers, *_: seen.append(status))
    try:
        for _chunk in answer:
            pass
    finally:
        getattr(answer, "close", lambda: None)()
    return seen[0]


def _under_valgrind() -> bool:
    return "vgpreload" in os.environ.get("LD_PRELOAD", "")


def _instrument() -> None:
    """Ask callgrind to instrument from now on; it answers while this process runs code."""
    control = subprocess.Popen(["callgrind_control", "-i", "on", str(os.getpid())])
    while control.poll() is None:
        sum(range(1000))


def _table(prefix: Path, requests: int) -> None:
    names = ["/healthz", "schema by id", "ccompat schema by id", "versions/latest"]
    names += ["versions/1", "validate one event"]
    dumps = sorted(
        prefix.parent.glob(prefix.name + ".*"), key=lambda p: int(p.name.rsplit(".", 1)[1])
    )
    counts = [_total(path) / requests for path in dumps if _total(path)]
    if len(counts) != len(names):
        sys.exit(f"expected {len(names)} dumps with costs, found {len(counts)}")
    ceiling = counts[0]
    print("| path | instructions per request | beyond /healthz |\n| --- | --- | --- |")
    for name, count in zip(names, counts, strict=True):
        extra = "" if name == "/healthz" else f"+{(count - ceiling) / 1e6:.3f} M"
        print(f"| {name} | {count / 1e6:.3f} M | {extra} |")


def _total(path: Path) -> int:
    match = re.search(r"^(?:summary|totals): (\d+)", path.read_text(), re.M)
    return int(match.group(1)) if match else 0


if __name__ == "__main__":
    main()
