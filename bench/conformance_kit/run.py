"""The command: start (or reach) a server, measure every part over the API, report."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import compat, soundness, suite
from .catalog import Catalog, SetupError
from .client import Api
from .report import Results, failures, print_report, thresholds, write_json
from .server import ROOT, running_server
from .vectors import DRAFTS, KARAPACE_EXCLUDED, KARAPACE_SCORED, confluent_pairs, karapace_pairs

PARTS = ("confluent", "karapace", "soundness", "suite")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="bench/conformance.py",
        description="Measure Eventry over its REST API against Confluent's and Karapace's "
        "compatibility vectors and the JSON Schema test suite.",
    )
    add = parser.add_argument
    add(
        "path",
        nargs="?",
        default=str(ROOT.parent / "shared" / "conformance"),
        help="the vectors folder, read in place (default ../shared/conformance)",
    )
    add("--url", help="measure this running server instead of starting one")
    add("--token", help="an admin token of the --url server")
    add("--json", metavar="FILE", help="also write every figure to FILE")
    add(
        "--fail-under",
        action="append",
        default=[],
        metavar="[KEY=]PCT",
        help="exit 1 when a summary figure (default confluent.strict) is under PCT; repeatable",
    )
    add(
        "--parts",
        default=",".join(PARTS),
        help=f"comma-separated subset of {','.join(PARTS)} (soundness probes the pairs "
        "that the confluent and karapace parts found compatible)",
    )
    add("--jobs", type=int, default=4, help="concurrent client connections (default 4)")
    add("--workers", type=int, default=2, help="gunicorn workers of a started server")
    add("--limit", type=int, help="at most N cases of each vector file (a quick run)")
    add("--drafts", default=",".join(DRAFTS), help="suite drafts (folder names), comma-separated")
    add("--suite-files", help="only these suite files (e.g. type.json,ref.json)")
    add("--strict-only", action="store_true", help="register under the strict policy only")
    add("--probe-examples", type=int, default=50, help="instances per old schema (default 50)")
    add("--probe-seconds", type=float, default=2.0, help="generation time per old schema")
    add("--vectors-dialect", help="EVENTRY_DEFAULT_DIALECT of the server for the vector parts")
    args = parser.parse_args(argv)
    if args.url and not args.token:
        parser.error("--url needs --token (an admin token: the run creates a team)")
    args.parts = [p for p in args.parts.split(",") if p]
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    args.drafts = [d for d in args.drafts.split(",") if d]
    if set(args.drafts) - set(DRAFTS):
        parser.error(f"drafts are among {', '.join(DRAFTS)}")
    args.suite_files = args.suite_files.split(",") if args.suite_files else None
    return args


@contextmanager
def reach(args: argparse.Namespace, dialect: str | None) -> Iterator[Api]:
    """The --url server, or a fresh `eventry serve` with the given default dialect."""
    if args.url:
        yield Api(args.url, args.token)
        return
    with running_server(dialect, args.workers) as server:
        yield server.api()


def measure_vectors(args: argparse.Namespace, results: Results) -> None:
    """Confluent and Karapace through both paths, then the soundness probe, on one server."""
    base = Path(args.path)
    registrations = ("strict",) if args.strict_only else ("strict", "lenient")
    with reach(args, args.vectors_dialect) as api:
        catalog = Catalog(api)
        measured = []
        if "confluent" in args.parts:
            pairs = confluent_pairs(base, args.limit)
            measured += compat.measure(api, catalog, pairs, "confluent", registrations, args.jobs)
        if "karapace" in args.parts:
            pairs = karapace_pairs(base, args.limit)
            measured += compat.measure(api, catalog, pairs, "karapace", registrations, args.jobs)
        tallies: dict = {}
        compat.score(measured, tallies)
        results.confluent = [t for name, t in tallies.items() if name.startswith("confluent/")]
        results.karapace = [
            tallies[n] for n in (KARAPACE_SCORED, KARAPACE_EXCLUDED) if n in tallies
        ]
        if "soundness" in args.parts:
            compatible = [m.pair for m in measured if m.stateless["strict"].compatible]
            started = time.monotonic()
            results.soundness, results.soundness_info = soundness.run(
                catalog, compatible, args.probe_examples, args.probe_seconds, args.jobs
            )
            results.soundness_info["seconds"] = round(time.monotonic() - started, 1)


def measure_suite(args: argparse.Namespace, results: Results) -> None:
    """Each draft on a server started with that draft as its default dialect (with --url, every
    draft on that server). Booting ahead in parallel does not pay on 2 cores: both are CPU-bound."""
    for draft in args.drafts:
        with reach(args, DRAFTS[draft][0]) as api:
            tallies, info = suite.run_draft(
                Catalog(api), Path(args.path), draft, args.suite_files, args.jobs
            )
        results.suite += tallies
        results.suite_info[draft] = info


def main(argv: list[str] | None = None) -> int:
    """Run the measurements and print the report. Exit status: 1 when a --fail-under threshold
    is missed, 2 when the server could not be started or refused the setup, else 0."""
    args = parse_args(argv)
    wanted = thresholds(args.fail_under)
    results = Results()
    started = time.monotonic()
    results.run = {
        "mode": f"--url {args.url}" if args.url else "own gunicorn server per part, SQLite",
        "vectors": args.path,
        "parts": args.parts,
        "limit": args.limit,
        "vectors_dialect": args.vectors_dialect or "server default",
    }
    try:
        if {"confluent", "karapace", "soundness"} & set(args.parts):
            measure_vectors(args, results)
        vectors_done = time.monotonic()
        if "suite" in args.parts:
            measure_suite(args, results)
    except (SetupError, RuntimeError, OSError) as error:
        print(f"conformance: cannot measure: {error}", file=sys.stderr)
        return 2
    results.run["seconds"] = round(time.monotonic() - started, 1)
    results.run["seconds_suite"] = round(time.monotonic() - vectors_done, 1)
    print_report(results)
    if args.json:
        write_json(results, args.json)
    problems = failures(results, wanted)
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
