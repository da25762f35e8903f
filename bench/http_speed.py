"""The hot paths through HTTP, as ratios to the bare endpoint (`GET /healthz`) in the same run.

Starts `eventry serve` as `make run` does (gunicorn, 2 workers, a fresh SQLite file with the
demo catalogue; or the empty PostgreSQL database in BENCH_DATABASE_URL), drives it with wrk
(Debian's `wrk`, installed here with apt-get when missing and running as root), and measures:

- the ceiling: `GET /healthz`;
- a schema by id: `GET /api/v1/schemas/{id}` and `GET /ccompat/schemas/ids/{id}`;
- a version: `GET .../versions/latest` and `GET .../versions/{n}`;
- validating one event: `POST .../validate` with `{"event": ...}`;
- batches of 1,000 events in one request (`{"events": [...]}`, and the same 1,000 as an NDJSON
  stream, one line each, answered line by line), in events/s, against python-jsonschema
  validating the same events in a loop in this process (one validator, built once, for the same
  dialect: the "plain jsonschema" baseline), measured once the server has stopped: the fastest
  of PLAIN_REPEAT runs after a warm-up, so a slow spell never inflates a ratio.

Each path gets a warm-up, then REPEAT runs of SECONDS each, the paths taking turns, so noise
spreads over all of them; the table gives medians (req/s, p99 latency) and each path's ratio to
the ceiling's median. Not a test: targets are issue #13's, reported, never asserted.

Run: `make bench`, or `.venv/bin/python bench/http_speed.py [--seconds 5] [--repeat 3]
[--connections 8] [--json bench/results.json]`. Rate limits are off for the run (it is one
client hammering), and the body limit is raised to 4 MiB so a batch of 1,000 events fits.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

ROOT = Path(__file__).resolve().parent.parent
EVENT = "orders/OrderPlaced"  # the demo's largest event type: 3 versions, 4 samples
BATCH = 1000
WORKERS = 2  # `eventry serve`'s default, as `make run` starts it
ADMIN = "bench-admin-token-0123456789abcdef"
# Issue #13's targets: each path's share of the ceiling's req/s; batches: x plain jsonschema.
TARGETS = {
    "schema by id": 0.85,
    "ccompat schema by id": 0.85,
    "latest version": 0.75,
    "version by number": 0.75,
    "validate one event": 0.75,
    "batch, valid events": 50.0,
    "batch, demo samples": 50.0,
    "NDJSON, valid events": 50.0,
    "NDJSON, demo samples": 50.0,
}
NDJSON = "application/x-ndjson"
KEY = "http_speed"  # this script's key in bench/results.json


@dataclass
class Path_:
    """One measured request: its name, method, path and body (None for a GET)."""

    name: str
    path: str
    body: bytes | None = None
    events: int = 1  # events per request, for the batches
    pool: list = field(default_factory=list)  # the events a batch cycles through
    content_type: str = "application/json"
    runs: list[dict] = field(default_factory=list)


def main() -> None:
    options = _options()
    wrk = _wrk()
    results = {"machine": _machine(), "server": _server(), "runs": []}
    postgres = os.environ.get("BENCH_DATABASE_URL")
    for database_url in [None, *([postgres] if postgres else [])]:  # SQLite, then PostgreSQL
        results["runs"].append(_one_database(wrk, options, database_url))
    machine = results["machine"]
    machine["load_average_after"] = _load_average()
    print(
        f"\nmachine: {machine['cores']} cores ({machine['cpu']}), load average "
        f"{machine['load_average_before']} before, {machine['load_average_after']} after"
    )
    if options.json:
        _record(Path(options.json), KEY, results)
        print(f"wrote {options.json} ({KEY!r})")


def _record(path: Path, key: str, results: dict) -> None:
    """Write ``results`` under ``key`` in the JSON object at ``path``, keeping the other
    scripts' keys (each bench script writes its own: bench/results.json gathers them)."""
    try:
        gathered = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        gathered = {}
    if not isinstance(gathered, dict) or "runs" in gathered:  # an older file of this script
        gathered = {}
    gathered[key] = results
    path.write_text(json.dumps(gathered, indent=2) + "\n", encoding="utf-8")


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of one run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per path after a warm-up")
    parser.add_argument("--connections", type=int, default=8, help="wrk's open connections")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "0")))
    parser.add_argument("--json", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument(
        "--no-batches", action="store_true", help="only the one-request paths (no batches)"
    )
    return parser.parse_args()


def _one_database(wrk: str, options: argparse.Namespace, database_url: str | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="eventry-bench-") as folder:
        url = database_url or f"sqlite:///{folder}/bench.db"
        port = options.port or _free_port()
        server = _serve(url, port, Path(folder))
        try:
            base = f"http://127.0.0.1:{port}"
            paths, schema = _paths(base)
            if options.no_batches:
                paths = [each for each in paths if each.events == 1]
            for each in paths:
                _measure(wrk, base, each, options, seconds=1)  # warm-up
            for _ in range(options.repeat):
                for each in paths:
                    each.runs.append(_measure(wrk, base, each, options, options.seconds))
        finally:
            server.terminate()
            server.wait(timeout=30)
    plain, plain_runs = _plain_jsonschema(paths, schema)
    kind = "PostgreSQL" if database_url else "SQLite"
    rows = _table(paths, plain)
    _print(kind, rows, plain, options)
    return {
        "database": kind,
        "rows": rows,
        "plain_jsonschema_events_per_s": plain,
        "plain_jsonschema_runs": {
            name: [round(r, 1) for r in runs] for name, runs in plain_runs.items()
        },
        "load_average_at_baseline": _load_average(),
    }


def _wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("bench: installing Debian's wrk (apt-get install wrk)")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
        return shutil.which("wrk") or sys.exit("bench: wrk did not install")
    sys.exit("bench: needs wrk: `sudo apt-get install wrk` (Debian, Ubuntu) or `brew install wrk`")


def _machine() -> dict:
    """The machine as the figures need it read: cores, CPU, memory, and how busy it was (the
    load average before and after: other jobs share the cores on a shared machine)."""
    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": sys.version.split()[0],
        "platform": sys.platform,
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "load_average_before": _load_average(),
    }


def _cpu_model() -> str | None:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return None
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
    return found.group(1).strip() if found else None


def _load_average() -> list[float]:
    return [round(each, 2) for each in os.getloadavg()]


def _server() -> dict:
    """The server as `make run` starts it: `eventry serve`, gunicorn's sync workers."""
    from importlib.metadata import version

    return {"command": "eventry serve", "gunicorn": version("gunicorn"), "workers": WORKERS}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(database_url: str, port: int, folder: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "EVENTRY_ADMIN_TOKEN": ADMIN,
        "EVENTRY_DEMO": "1",  # a database named by DATABASE_URL gets the demo only when asked
        "EVENTRY_RATE_LIMIT_EXPENSIVE": "0",
        "EVENTRY_RATE_LIMIT_WRITES": "0",
        "EVENTRY_MAX_BODY_BYTES": str(4 * 1024 * 1024),
    }
    log = (folder / "server.log").open("wb")  # one JSON line per request: kept off the screen
    eventry = str(Path(sys.executable).with_name("eventry"))
    server = subprocess.Popen([eventry, "serve"], env=env, stdout=log, stderr=log, cwd=ROOT)
    deadline = time.monotonic() + 180  # a loaded machine boots workers slowly
    while time.monotonic() < deadline:
        try:
            if _get(f"http://127.0.0.1:{port}/readyz").get("status") == "ready":
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("bench: the server did not start:\n" + (folder / "server.log").read_text()[-3000:])


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.loads(answer.read())


def _post(url: str, body: bytes, content_type: str = "application/json") -> Any:
    """POST the body; the answer parsed (a list of the lines' answers for NDJSON)."""
    headers = {"Content-Type": content_type, "Accept": content_type}
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=60) as answer:
        text = answer.read()
    if content_type == NDJSON:
        return [json.loads(line) for line in text.splitlines()]
    return json.loads(text)


def _paths(base: str) -> tuple[list[Path_], dict]:
    """The measured requests on the demo's OrderPlaced (each tried once first), and the schema
    of its latest version."""
    events = f"{base}/api/v1/events/{EVENT}"
    latest = _get(f"{events}/versions/latest")
    samples = [each for each in _get(f"{events}/samples")["items"]]
    valid = [each["payload"] for each in samples if each["expect_valid"]]
    mixed = [each["payload"] for each in samples]
    one = json.dumps({"event": valid[0]}).encode()
    assert _post(f"{events}/validate", one)["valid"] is True
    paths = [
        Path_("ceiling (/healthz)", "/healthz"),
        Path_("schema by id", f"/api/v1/schemas/{latest['schema_id']}"),
        Path_("ccompat schema by id", f"/ccompat/schemas/ids/{latest['schema_id']}"),
        Path_("latest version", f"/api/v1/events/{EVENT}/versions/latest"),
        Path_("version by number", f"/api/v1/events/{EVENT}/versions/1"),
        Path_("validate one event", f"/api/v1/events/{EVENT}/validate", one),
    ]
    for name, pool in (("batch, valid events", valid), ("batch, demo samples", mixed)):
        batch = _batch(pool)
        body = json.dumps({"events": batch}, separators=(",", ":")).encode()
        answer = _post(f"{events}/validate", body)
        assert answer["valid"] == _valid_count(pool, valid), answer["valid"]
        paths.append(Path_(name, f"/api/v1/events/{EVENT}/validate", body, BATCH, pool))
    for name, pool in (("NDJSON, valid events", valid), ("NDJSON, demo samples", mixed)):
        # The same 1,000 events as a stream: one line each, answered one line each.
        batch = _batch(pool)
        body = "".join(json.dumps(event) + "\n" for event in batch).encode()
        answer = _post(f"{events}/validate", body, NDJSON)
        assert sum(line["valid"] for line in answer) == _valid_count(pool, valid)
        url = f"/api/v1/events/{EVENT}/validate"
        paths.append(Path_(name, url, body, BATCH, pool, content_type=NDJSON))
    return paths, latest["schema"]


def _batch(pool: list) -> list:
    """BATCH events cycling through ``pool``, each e-mail address made distinct (``.<n>``
    before its ``@``, still an address): real events rarely repeat them, and the verdicts of
    Eventry's Python format checks are kept per text, which a batch of copies would flatter."""
    return [_distinct(pool[index % len(pool)], index) for index in range(BATCH)]


def _valid_count(pool: list, valid: list) -> int:
    return sum(pool[index % len(pool)] in valid for index in range(BATCH))


def _distinct(value: Any, index: int) -> Any:
    if isinstance(value, dict):
        return {key: _distinct(each, index) for key, each in value.items()}
    if isinstance(value, list):
        return [_distinct(each, index) for each in value]
    if isinstance(value, str) and value.count("@") == 1 and not value.startswith('"'):
        local, domain = value.split("@")
        return f"{local}.{index}@{domain}" if local and domain else value
    return value


def _measure(wrk: str, base: str, path: Path_, options, seconds: int) -> dict:
    if path.events > 1:
        return _batches(base + path.path, path.body or b"", seconds, path.content_type)
    return _run_wrk(wrk, base, path, options.connections, seconds)


def _batches(url: str, body: bytes, seconds: int, content_type: str) -> dict:
    """Batches from one client per worker, each sending one after the other until the run's
    time is up (at least one each): a batch may take seconds, too long for wrk's runs."""
    timings: list[float] = []

    def client() -> None:
        deadline = time.perf_counter() + seconds
        while True:
            started = time.perf_counter()
            _post(url, body, content_type)
            timings.append(time.perf_counter() - started)
            if time.perf_counter() >= deadline:
                return

    started = time.perf_counter()
    with ThreadPoolExecutor(WORKERS) as pool:
        for each in [pool.submit(client) for _ in range(WORKERS)]:
            each.result()
    elapsed = time.perf_counter() - started
    p99 = statistics.quantiles(timings, n=100)[98] if len(timings) > 1 else timings[0]
    return {"rps": len(timings) / elapsed, "p99_ms": p99 * 1000}


def _run_wrk(wrk: str, base: str, path: Path_, connections: int, seconds: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="eventry-wrk-") as folder:
        script = Path(folder) / "request.lua"
        script.write_text(_lua(path), encoding="utf-8")
        command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
        output = subprocess.run(
            [*command, "-s", str(script), base + path.path],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return _parsed(output, path)


def _lua(path: Path_) -> str:
    if path.body is None:
        return ""
    return (
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = {_lua_string(path.body)}\n"
    )


def _lua_string(body: bytes) -> str:
    # A long bracket string holds any JSON text unchanged, as long as it holds no "]=]".
    assert b"]=]" not in body
    return "[=[" + body.decode() + "]=]"


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _parsed(output: str, path: Path_) -> dict:
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if failed:
        sys.exit(f"bench: {path.name}: {failed.group(1)} answers were not 2xx:\n{output}")
    return {"rps": rate, "p99_ms": float(p99.group(1)) * _UNITS[p99.group(2)] if p99 else None}


# The baseline's repetitions over each batch, after a warm-up: the fastest is kept.
PLAIN_REPEAT = 7


def _plain_jsonschema(
    paths: list[Path_], schema: dict
) -> tuple[dict[str, float], dict[str, list[float]]]:
    """Events/s of python-jsonschema in a loop over each batch (the validator built once), once
    the server has stopped (its workers gone, so the baseline has the cores to itself): a
    warm-up over each batch, then PLAIN_REPEAT runs, the batches taking turns, and the fastest
    run of each, so a slow spell of the shared machine never lowers the baseline (and never
    inflates Eventry's ratio). Also returns each batch's runs, for the record."""
    batches = {each.name: _batch(each.pool) for each in paths if each.events > 1}
    validator = jsonschema.validators.validator_for(schema)(schema)
    runs: dict[str, list[float]] = {name: [] for name in batches}
    for repetition in range(PLAIN_REPEAT + 1):
        for name, batch in batches.items():
            started = time.perf_counter()
            for event in batch:
                list(validator.iter_errors(event))
            if repetition:  # the first is the warm-up
                runs[name].append(BATCH / (time.perf_counter() - started))
    return {name: max(rates) for name, rates in runs.items()}, runs


def _table(paths: list[Path_], plain: dict) -> list[dict]:
    """One row per path: medians of its runs, and its ratio: the median over the rounds of its
    req/s over the ceiling's in the same round (a slow spell on a shared machine then weighs
    on both), or for a batch its events/s over plain jsonschema's."""
    ceiling = paths[0].runs
    rows = []
    for each in paths:
        rps = statistics.median(run["rps"] for run in each.runs)
        p99s = [run["p99_ms"] for run in each.runs if run["p99_ms"] is not None]
        row = {
            "path": each.name,
            "request": f"{'POST' if each.body else 'GET'} {each.path}",
            "req_per_s": round(rps, 1),
            "p99_ms": round(statistics.median(p99s), 2) if p99s else None,
            "runs": [round(run["rps"], 1) for run in each.runs],
        }
        if each.events > 1:
            row["events_per_s"] = round(rps * each.events, 1)
            row["ratio"] = round(rps * each.events / plain[each.name], 2)
            row["ratio_of"] = "plain jsonschema events/s"
        else:
            shares = [run["rps"] / top["rps"] for run, top in zip(each.runs, ceiling, strict=True)]
            row["ratio"] = round(statistics.median(shares), 3)
            row["ratio_of"] = "ceiling req/s in the same round"
        row["target"] = TARGETS.get(each.name)
        rows.append(row)
    return rows


def _print(kind: str, rows: list[dict], plain: dict, options) -> None:
    print(
        f"\n{kind}, {WORKERS} gunicorn workers, wrk -c{options.connections} (batches: "
        f"{WORKERS} clients), "
        f"{options.repeat} x {options.seconds:g} s per path, medians"
    )
    print(f"{'path':<22} {'req/s':>9} {'p99 ms':>8} {'ratio':>8} {'target':>7}  runs (req/s)")
    for row in rows:
        target = row["target"]
        mark = "" if target is None else (" ok" if row["ratio"] >= target else " --")
        ratio = f"{row['ratio']:.2f}x" if row.get("events_per_s") else f"{row['ratio']:.3f}"
        print(
            f"{row['path']:<22} {row['req_per_s']:>9.1f} {row['p99_ms'] or 0:>8.2f} "
            f"{ratio:>8} {target if target is not None else '':>7}{mark}  {row['runs']}"
        )
    for name, rate in plain.items():
        batch = next(row for row in rows if row["path"] == name)
        print(
            f"  {name}: {batch['events_per_s']:.0f} events/s through HTTP vs {rate:.0f} events/s "
            f"plain jsonschema in one process (fastest of {PLAIN_REPEAT} runs, server stopped)"
        )


if __name__ == "__main__":
    main()
