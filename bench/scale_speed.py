"""A large catalogue through HTTP (issue #13 item 4, "Scale"): p99 per page and list, search,
worker memory, start-up time and `eventry check` on a generated tree.

The catalogue is bench/scale_generate.py's (10,000 event types x 5 versions x 3 samples with
1,000 consumers by default; ``--events`` or BENCH_SCALE_EVENTS for another size), the cached
SQLite file copied to a temporary folder, then, with BENCH_DATABASE_URL set, that PostgreSQL
database (generated into when empty). Each is served by `eventry serve` as `make run` starts it
(gunicorn, 2 sync workers; rate limits off, as one client hammers), and measured:

- start-up: from starting `eventry serve` to `/readyz` answering ready (migrations and the
  search index's backfill included), target < 5 s, with the CPU time the processes spent;
- every UI page kind and list endpoint (API and UI, with filters and a keyset page 20 pages
  deep) and search (UI and API, by name, field and consumer words), each driven by wrk with 8
  connections for ``--seconds`` after a 1 s warm-up: req/s and p99, targets p99 < 150 ms for
  pages and lists, < 100 ms for search;
- worker RSS: the largest gunicorn worker's resident memory (/proc) after all of it, < 250 MB;
- `eventry check` on a generated tree of 1,000 event types x 3 versions x 5 samples
  (bench/check_speed.py's), as a user runs it, target < 10 s, with its CPU time.

It prints a table and merges its figures into bench/results.json under ``"scale"`` (other
keys are left as they are). Not a test: the targets are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import check_speed  # noqa: E402
import http_speed  # noqa: E402
import scale_generate  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

PAGE_TARGET_MS, SEARCH_TARGET_MS, RSS_TARGET_MB, START_TARGET_S, CHECK_TARGET_S = (
    150,
    100,
    250,
    5,
    10,
)
DEEP = 20  # pages followed for a deep keyset page


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # a long run shows its progress
    options = _options()
    wrk = http_speed._wrk()
    results = {"machine": http_speed._machine(), "events": options.events, "runs": []}
    postgres = os.environ.get("BENCH_DATABASE_URL")
    for database_url in [None, *([postgres] if postgres else [])]:
        results["runs"].append(_one_database(wrk, options, database_url))
    results["check"] = _check()
    print(
        f"\neventry check, 1,000 event types x 3 versions x 5 samples: "
        f"{results['check']['seconds']:.1f} s, {results['check']['cpu_s']:.1f} s of CPU "
        f"(target < {CHECK_TARGET_S} s)"
    )
    _merge(Path(options.json), results)


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    events = int(os.environ.get("BENCH_SCALE_EVENTS", "10000"))
    parser.add_argument("--events", type=int, default=events, help="event types generated")
    parser.add_argument("--seconds", type=int, default=3, help="wrk's run per path")
    parser.add_argument("--connections", type=int, default=8, help="concurrent clients")
    parser.add_argument("--json", default=str(ROOT / "bench" / "results.json"))
    return parser.parse_args()


def _catalogue(database_url: str | None, events: int, folder: Path) -> str:
    """The URL of a database holding the generated catalogue (generated when missing)."""
    if database_url is None:
        cached = scale_generate.cached_sqlite(events)
        if not cached.exists():
            print(f"generating {events} event types into {cached} (kept for later runs) …")
            scale_generate.generate_sqlite(events)
        copy = folder / "scale.db"
        shutil.copyfile(cached, copy)
        return f"sqlite:///{copy}"
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            tables = connection.scalar(
                text("SELECT count(*) FROM pg_tables WHERE tablename = 'teams'")
            )
            there = tables and connection.scalar(
                text("SELECT count(*) FROM teams WHERE slug = :slug"),
                {"slug": scale_generate.marker()},
            )
    finally:
        engine.dispose()
    if not there:
        print(f"generating {events} event types into BENCH_DATABASE_URL …")
        scale_generate.generate(database_url, events)
    return database_url


def _one_database(wrk: str, options: argparse.Namespace, database_url: str | None) -> dict:
    kind = "PostgreSQL" if database_url else "SQLite"
    with tempfile.TemporaryDirectory(prefix="eventry-scale-") as name:
        folder = Path(name)
        url = _catalogue(database_url, options.events, folder)
        prepared = _prepare(url)
        port = http_speed._free_port()
        started = time.perf_counter()
        server = http_speed._serve(url, port, folder)
        startup = time.perf_counter() - started
        startup_cpu = _tree_cpu_s(server.pid)
        try:
            base = f"http://127.0.0.1:{port}"
            rows = [_path(wrk, base, name, path, options) for name, path in _paths(base)]
            rss = _worker_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    _print(kind, rows, startup, rss, startup_cpu)
    print(
        f"before serving: migrated in {prepared['migrate_s']:.1f} s, analysed in "
        f"{prepared['analyse_s']:.1f} s"
    )
    return {
        "database": kind,
        **prepared,
        "startup_s": startup,
        "startup_cpu_s": startup_cpu,
        "worker_rss_mb": rss,
        "rows": rows,
    }


def _prepare(url: str) -> dict:
    """Migrate the catalogue and store every stale event type's analysis, as an operator does
    after upgrading a big catalogue (docs/operations.md, "Stored analyses"): the pages are then
    measured on fresh analyses, not while a background refresher works beside them. Seconds of
    each step."""
    eventry = str(Path(sys.executable).with_name("eventry"))
    env = {**os.environ, "DATABASE_URL": url}
    figures = {}
    _analyze(url)
    for key, command in (("migrate_s", ["db", "upgrade"]), ("analyse_s", ["analyse"])):
        started = time.perf_counter()
        subprocess.run([eventry, *command], env=env, check=True, cwd=ROOT, capture_output=True)
        figures[key] = time.perf_counter() - started
    _analyze(url)  # the stored analyses' tables were just written
    return figures


def _analyze(url: str) -> None:
    """On PostgreSQL, VACUUM ANALYZE as autovacuum does in time on its own: the planner's
    statistics, and the visibility map that lets an index answer alone (the findings' counts
    come from ix_findings_counts: 8 ms, against 28 ms scanning the table). A bulk-loaded
    database has neither until autovacuum comes round, and some machines run without it:
    without them it took 6 live versions for 10,000 and chose scans past the budget."""
    if not url.startswith("postgresql"):
        return
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def _tree_cpu_s(pid: int) -> float:
    """CPU seconds (user and system, waited-for children included) of the process and its
    children so far: `eventry serve` execs into gunicorn's master, which keeps its pid, so this
    is the command's own start, the master and its workers. Unlike the wall time it does not
    grow with the machine's load."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    total = 0
    for each in [pid, *map(int, children)]:
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += sum(int(field) for field in fields[11:15])  # utime stime cutime cstime
    return total / os.sysconf("SC_CLK_TCK")


def _paths(base: str) -> list[tuple[str, str]]:
    """(what, path) of every page kind and list, on addresses the catalogue holds."""
    event = _get_json(f"{base}/api/v1/events?limit=1")["items"][0]
    domain, name = event["domain"], event["name"]
    bus = _get_json(f"{base}/api/v1/buses?limit=1")["items"][0]["slug"]
    team = _get_json(f"{base}/api/v1/teams?limit=2")["items"][-1]["slug"]
    consumer = _get_json(f"{base}/api/v1/consumers?limit=1")["items"][0]
    area = domain.split("-")[0]
    page = f"/events/{domain}/{name}"
    return [
        ("UI home", "/"),
        ("UI events", "/events"),
        ("UI events, domain filter", f"/events?domain={domain}"),
        ("UI events, findings filter", "/events?findings=any"),
        ("UI events, page 20", _deep_ui(base, "/events")),
        ("UI event", page),
        ("UI version", f"{page}/versions/3"),
        ("UI diff 1 to 5", f"{page}/diff?from=1&to=5"),
        ("UI validate a sample", f"{page}/validate?sample=first"),
        ("UI domains", "/domains"),
        ("UI domain", f"/domains/{domain}"),
        ("UI buses", "/buses"),
        ("UI bus", f"/buses/{bus}"),
        ("UI teams", "/teams"),
        ("UI team", f"/teams/{team}"),
        ("UI consumers", "/consumers"),
        ("UI consumers, page 20", _deep_ui(base, "/consumers")),
        ("UI services", "/services"),
        ("UI service", f"/services/{urllib.parse.quote(consumer['name'])}"),
        ("UI fields", "/fields"),
        ("UI field", "/fields/status"),
        ("UI findings", "/findings"),
        ("UI findings, domain filter", f"/findings?domain={domain}&severity=warning"),
        ("UI audit", "/audit"),
        ("API events", "/api/v1/events"),
        ("API events, domain filter", f"/api/v1/events?domain={domain}"),
        ("API events, page 20", _deep_api(base, "/api/v1/events?limit=50")),
        ("API domains", "/api/v1/domains"),
        ("API buses", "/api/v1/buses"),
        ("API teams", "/api/v1/teams"),
        ("API consumers", "/api/v1/consumers"),
        ("API consumers, page 20", _deep_api(base, "/api/v1/consumers?limit=20")),
        ("API fields", "/api/v1/fields"),
        ("API field", "/api/v1/fields/status"),
        ("API findings", "/api/v1/findings"),
        ("API audit", "/api/v1/audit"),
        ("API versions of an event", f"/api/v1/events/{domain}/{name}/versions"),
        ("search UI, a name word", f"/search?q={name[:6]}"),
        ("search UI, a field word", "/search?q=attribute1"),
        ("search UI, a consumer word", "/search?q=reader"),
        ("search API, a name word", f"/api/v1/search?q={name[:6]}"),
        ("search API, a domain word", f"/api/v1/search?q={area}"),
        ("search API, a phrase", "/api/v1/search?q=records%20a%20change"),
    ]


def _get_json(url: str) -> dict:
    return http_speed._get(url)


def _deep_api(base: str, path: str) -> str:
    """The path of the list's DEEP-th page, followed through its next links."""
    for _ in range(DEEP):
        following = _get_json(base + path)["next"]
        if not following:
            break
        path = following
    return path


def _deep_ui(base: str, path: str) -> str:
    for _ in range(DEEP):
        with urllib.request.urlopen(base + path, timeout=30) as answer:
            page = answer.read().decode()
        found = re.search(r'rel="next" href="([^"]+)"', page)
        if not found:
            break
        path = found.group(1).replace("&amp;", "&")
    return path


def _path(wrk: str, base: str, name: str, path: str, options) -> dict:
    each = http_speed.Path_(name, path)
    http_speed._run_wrk(wrk, base, each, options.connections, 1)  # warm-up
    figures = http_speed._run_wrk(wrk, base, each, options.connections, options.seconds)
    target = SEARCH_TARGET_MS if name.startswith("search") else PAGE_TARGET_MS
    return {"path": name, "url": path, **figures, "target_p99_ms": target}


def _worker_rss_mb(master: int) -> float:
    """The largest resident memory of gunicorn's workers (the master's children), in MB."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    return max(sizes) if sizes else 0.0


def _check() -> dict:
    """`eventry check` on check_speed's tree of 1,000 x 3 x 5, as a user runs it."""
    with tempfile.TemporaryDirectory(prefix="eventry-check-") as folder:
        check_speed.generate(Path(folder), 1000)
        eventry = str(Path(sys.executable).with_name("eventry"))
        before = os.times()
        started = time.perf_counter()
        done = subprocess.run([eventry, "check", folder], capture_output=True, text=True)
        seconds = time.perf_counter() - started
        after = os.times()
    cpu = after.children_user + after.children_system
    cpu -= before.children_user + before.children_system
    return {"seconds": seconds, "cpu_s": cpu, "exit": done.returncode, "target_s": CHECK_TARGET_S}


def _print(kind: str, rows: list[dict], startup: float, rss: float, cpu: float) -> None:
    print(
        f"\n{kind}: start-up {startup:.1f} s, {cpu:.1f} s of CPU (< {START_TARGET_S}), "
        f"worker RSS {rss:.0f} MB"
    )
    print(f"{'path':34} {'req/s':>8} {'p99 ms':>8} {'target':>7}")
    for row in rows:
        p99 = row["p99_ms"]
        if not row["rps"]:  # wrk saw no answer within the run: slower than the run itself
            print(f"{row['path']:34} {'none':>8} {'> run':>8} {row['target_p99_ms']:7}  over")
            continue
        mark = "" if p99 < row["target_p99_ms"] else "  over"
        print(f"{row['path']:34} {row['rps']:8.1f} {p99:8.1f} {row['target_p99_ms']:7}{mark}")


def _merge(path: Path, figures: dict) -> None:
    """Put the figures under "scale" in the results file, leaving its other keys."""
    results = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    results["scale"] = figures
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path} (key scale)")


if __name__ == "__main__":
    main()
