"""`python -m chaos` (`make chaos`): run the experiments one at a time and say which held.

Without --url it starts everything it breaks: a private PostgreSQL cluster (Debian's initdb and
pg_ctl, a free port, a temporary folder) and `eventry serve` on it, and removes both at the end.
With --url it runs against a service you started; only the experiments that need nothing but
HTTP run (hostile input), plus slow-db when --database-url names its PostgreSQL.

Exit status: 0 every hypothesis held, 1 one did not, 2 chaos could not set up, 3 stopped.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import tempfile
import threading
from contextlib import ExitStack
from pathlib import Path

from chaos.client import Client
from chaos.cluster import PrivateCluster, free_port, pg_bin
from chaos.experiments import EXPERIMENTS, Context, Result, run_experiment
from chaos.ledger import Ledger
from chaos.load import BASE, DOMAIN, EVENTS
from chaos.report import print_result, print_summary
from chaos.service import Service

ADMIN_TOKEN = "evt_chaos-admin"


def parse(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m chaos", description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running Eventry (default: start one with its database)")
    parser.add_argument("--token", help="an admin token of --url (the load is not rate-limited)")
    parser.add_argument("--database-url", help="with --url: its PostgreSQL, for slow-db")
    parser.add_argument(
        "--experiments",
        default=",".join(EXPERIMENTS),
        help=f"which, in order (default: {','.join(EXPERIMENTS)})",
    )
    parser.add_argument("--phase", type=float, default=5.0, help="seconds before and after")
    parser.add_argument("--fault", type=float, default=5.0, help="seconds each fault lasts")
    parser.add_argument("--threads", type=int, default=4, help="load threads")
    parser.add_argument("--rate", type=float, default=40.0, help="load requests a second")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers it starts")
    parser.add_argument(
        "--stop-file",
        type=Path,
        default=Path(tempfile.gettempdir()) / "eventry-chaos.stop",
        help="the stop button: creating this file ends the experiment (default: %(default)s)",
    )
    parser.add_argument(
        "--latency",
        choices=("judge", "report"),
        default="judge",
        help="judge the p99 after each fault against the one before, or only report it",
    )
    parser.add_argument("--json", type=Path, help="write the results here too")
    args = parser.parse_args(argv)
    unknown = set(args.experiments.split(",")) - set(EXPERIMENTS)
    if unknown:
        parser.error(f"unknown experiments {sorted(unknown)}; known: {', '.join(EXPERIMENTS)}")
    if args.url and not args.token:
        parser.error("--url needs --token (an admin token)")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run; return the exit status."""
    args = parse(argv)
    abort = threading.Event()
    args.stop_file.unlink(missing_ok=True)
    watcher = _watch_stop_file(args.stop_file, abort)
    previous = _on_interrupt(abort)
    try:
        with ExitStack() as stack:
            try:
                ctx = _context(args, abort, stack)
            except RuntimeError as error:
                print(f"chaos: cannot set up: {error}", file=sys.stderr)
                return 2
            results = _run_all(args, ctx)
    finally:
        abort.set()
        watcher.join()
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    print_summary(results)
    if args.json:
        args.json.write_text(json.dumps([r.to_dict() for r in results], indent=2) + "\n")
    if any(r.stopped for r in results):
        return 3
    return 0 if all(r.held is not False for r in results) else 1


def _run_all(args: argparse.Namespace, ctx: Context) -> list[Result]:
    results = []
    for name in args.experiments.split(","):
        experiment = EXPERIMENTS[name]()
        print(f"\n== {experiment.name}: {experiment.title}", flush=True)
        print(f"   hypothesis: {experiment.hypothesis}", flush=True)
        result = run_experiment(experiment, ctx)
        print_result(result)
        results.append(result)
        if result.stopped:
            break
    return results


def _context(args: argparse.Namespace, abort: threading.Event, stack: ExitStack) -> Context:
    ledger = Ledger(DOMAIN, EVENTS)
    common = {"phase_s": args.phase, "fault_s": args.fault, "threads": args.threads}
    common.update(rate=args.rate, judge_latency=args.latency == "judge")
    if args.url:
        client = Client(args.url, args.token, timeout=30)
        ledger.arrange(client, BASE)
        return Context(client, ledger, abort, database_url=args.database_url, **common)
    bin_dir = pg_bin()
    if bin_dir is None:
        raise RuntimeError(
            "PostgreSQL's server binaries (initdb, pg_ctl) are missing: apt-get install "
            "postgresql, set EVENTRY_PG_BIN, or pass --url"
        )
    cluster = PrivateCluster(bin_dir)
    stack.callback(cluster.remove)
    cluster.init()
    cluster.start()
    database_url = cluster.create_database()
    # Outside the cluster's folder, which goes at the end: the log stays for a look afterwards.
    log = Path(tempfile.mkdtemp(prefix="eventry-chaos-")) / "eventry.log"
    service = Service(database_url, free_port(), log, ADMIN_TOKEN, args.workers)
    stack.callback(service.stop)
    service.start().wait_ready()
    print(f"chaos: eventry serve at {service.url} ({args.workers} workers), log {log}")
    print(f"chaos: PostgreSQL {cluster.port} in {cluster.folder}; stop file {args.stop_file}")
    client = service.client()
    ledger.arrange(client, BASE)
    return Context(
        client,
        ledger,
        abort,
        service=service,
        cluster=cluster,
        database_url=database_url,
        **common,
    )


def _watch_stop_file(path: Path, abort: threading.Event) -> threading.Thread:
    def watch() -> None:
        while not abort.wait(0.2):
            if path.exists():
                print(f"\nchaos: {path} appeared: stopping", flush=True)
                abort.set()

    thread = threading.Thread(target=watch, name="chaos-stop-file", daemon=True)
    thread.start()
    return thread


def _on_interrupt(abort: threading.Event):
    def interrupted(_signum, _frame) -> None:
        print("\nchaos: Ctrl-C: stopping the experiment and removing its fault", flush=True)
        abort.set()

    try:
        return signal.signal(signal.SIGINT, interrupted)
    except ValueError:  # not the main thread (a test): the stop file still works
        return None


if __name__ == "__main__":
    sys.exit(main())
