"""The experiments: each injects one fault for a bounded time and says what must hold.

Every experiment shares the same frame (``run_experiment``): the load runs; its steady state is
measured before the fault, during it and after the fault is removed; the ledger's invariants
are checked once the load has stopped. Each experiment adds its own checks of the time during
the fault. The hypothesis is the conjunction of all of them.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from dataclasses import dataclass, field

import psycopg

from chaos.client import Client
from chaos.cluster import PrivateCluster
from chaos.hostile import HOSTILE_EVENT, PATTERNED, requests
from chaos.ledger import Ledger
from chaos.load import DOMAIN, Load, Steady, steady
from chaos.service import Service

BUDGET_S = 2.5  # what one answer may take while the database fails (2 s promised, and slack)
HOSTILE_BUDGET_S = 10.0  # what one hostile request may take, well below gunicorn's 30 s
RECOVERY_S = 30.0  # how long the service may take to be ready again after a fault


class Stopped(Exception):
    """The stop button was pressed (Ctrl-C, or the stop file appeared)."""


@dataclass
class Context:
    """What the experiments act on: the service's client and load, the stop button, and what
    can be broken (None when chaos did not start it and was not told where it is)."""

    client: Client
    ledger: Ledger
    abort: threading.Event
    phase_s: float
    fault_s: float
    threads: int = 4
    rate: float = 40.0
    service: Service | None = None
    cluster: PrivateCluster | None = None
    database_url: str | None = None
    judge_latency: bool = True

    def wait(self, seconds: float) -> None:
        """Sleep, unless the stop button is pressed: then raise Stopped."""
        if self.abort.wait(seconds):
            raise Stopped()


@dataclass
class Result:
    """An experiment's outcome: ``held`` is None when it was skipped (``note`` says why)."""

    name: str
    hypothesis: str
    held: bool | None = None
    phases: dict[str, Steady] = field(default_factory=dict)
    checks: list[tuple[str, bool]] = field(default_factory=list)
    note: str = ""
    stopped: bool = False

    def check(self, text: str, ok: bool) -> None:
        """Add one check of the hypothesis."""
        self.checks.append((text, bool(ok)))

    def to_dict(self) -> dict:
        """The result, for --json."""
        return {
            "name": self.name,
            "hypothesis": self.hypothesis,
            "held": self.held,
            "stopped": self.stopped,
            "note": self.note,
            "phases": {name: each.to_dict() for name, each in self.phases.items()},
            "checks": [{"check": text, "ok": ok} for text, ok in self.checks],
        }


class Experiment:
    """One fault. Subclasses set the texts and ``needs`` and implement ``during``, which
    injects the fault, keeps it for ``ctx.fault_s`` and removes it (in a ``finally``)."""

    name = ""
    title = ""
    hypothesis = ""
    needs: tuple[str, ...] = ()  # "service", "cluster", "database" (a URL to connect to)
    write_only = False  # the load sends only registrations while the fault lasts

    def missing(self, ctx: Context) -> str:
        """Why the experiment cannot run here ('' when it can)."""
        have = {"service": ctx.service, "cluster": ctx.cluster, "database": ctx.database_url}
        absent = [need for need in self.needs if have[need] is None]
        if not absent:
            return ""
        return f"needs {', '.join(absent)} that chaos starts itself (run it without --url)"

    def during(self, ctx: Context, result: Result) -> None:
        """Inject the fault, hold it, remove it; add checks about this time to ``result``."""
        raise NotImplementedError

    def judge_during(self, during: Steady, result: Result) -> None:
        """Checks of the load's steady state while the fault lasted."""


def run_experiment(experiment: Experiment, ctx: Context) -> Result:
    """Before, during and after one fault, with the load running; the invariants at the end."""
    result = Result(experiment.name, experiment.hypothesis)
    why_not = experiment.missing(ctx)
    if why_not:
        result.note = f"skipped: {why_not}"
        return result
    _ready(ctx.client, RECOVERY_S)
    load = Load(ctx.client, ctx.ledger, ctx.threads, ctx.rate).start()
    try:
        marks = [time.monotonic()]
        ctx.wait(ctx.phase_s)
        marks.append(time.monotonic())
        load.kinds = ("register",) if experiment.write_only else load.kinds
        print(f"   fault on ({ctx.fault_s:g} s); the stop button ends it", flush=True)
        try:
            experiment.during(ctx, result)
        finally:
            load.kinds = Load.kinds
            marks.append(time.monotonic())
            print("   fault off", flush=True)
            recovered = _ready(ctx.client, RECOVERY_S)
        result.check(f"ready again {recovered:.1f} s after the fault ended", True)
        marks.append(time.monotonic())
        ctx.wait(ctx.phase_s)
        marks.append(time.monotonic())
    except Stopped:
        result.stopped = True
        ready = _ready(ctx.client, RECOVERY_S)
        result.note = f"stopped by the stop button; fault removed, ready again in {ready:.1f} s"
        return result
    finally:
        load.stop()
    _judge(experiment, ctx, load, marks, result)
    return result


def _judge(experiment: Experiment, ctx: Context, load: Load, marks: list, result: Result) -> None:
    before = steady(load.between(marks[0], marks[1], finished=True))
    # During: the requests started while the fault lasted, and those it met in flight.
    in_flight = [o for o in load.between(marks[0], marks[1]) if o.started + o.seconds >= marks[1]]
    during = steady(in_flight + load.between(marks[1], marks[2]))
    after = steady(load.between(marks[3], marks[4]))
    result.phases = {"before": before, "during": during, "after": after}
    result.check("steady before: success rate >= 99%", before.success_rate >= 0.99)
    experiment.judge_during(during, result)
    result.check("after: success rate >= 99%", after.success_rate >= 0.99)
    result.check("after: no 5xx, no request without an answer", not after.server_errors)
    bound = 3 * before.p99_ms + 250
    text = f"after: p99 {after.p99_ms} ms <= 3 x before + 250 ms"
    if ctx.judge_latency:
        result.check(text, after.p99_ms <= bound)
    else:  # --latency report: a loaded test machine says little about latency
        result.check(f"{text} (reported, not judged: {after.p99_ms <= bound})", True)
    problems = ctx.ledger.check(ctx.client)
    for problem in problems:
        result.check(problem, False)
    result.check(
        f"versions gapless, audit matching, {ctx.ledger.writes} acknowledged writes all there",
        not problems,
    )
    result.held = all(ok for _text, ok in result.checks)


def _ready(client: Client, seconds: float) -> float:
    """Wait until /readyz answers 200; return how long that took. Raise if it never does."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if client.call("GET", "/readyz").status == 200:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{client.url}/readyz did not answer 200 within {seconds} s")


def database_fault_checks(during: Steady, result: Result) -> None:
    """While the database fails: 2xx or 503 with Retry-After, in time, never unanswered."""
    result.check("during: the fault bit (some 503 answers)", during.unavailable > 0)
    result.check("during: no 5xx but 503", during.server_errors == 0)
    result.check("during: every 503 has Retry-After", during.unavailable_without_retry_after == 0)
    result.check("during: every request answered", during.no_answer == 0)
    result.check(
        f"during: slowest answer {during.slowest_ms} ms <= {BUDGET_S * 1000:.0f} ms",
        during.slowest_ms <= BUDGET_S * 1000,
    )


class _ClusterFault(Experiment):
    """A fault of the whole PostgreSQL cluster: ``inject`` it, hold it, ``remove`` it; the
    service's workers must live through it."""

    needs = ("cluster", "service")

    def inject(self, cluster) -> None:
        raise NotImplementedError

    def remove(self, cluster) -> None:
        raise NotImplementedError

    def during(self, ctx: Context, result: Result) -> None:
        booted = ctx.service.booted()
        self.inject(ctx.cluster)
        try:
            ctx.wait(ctx.fault_s)
        finally:
            self.remove(ctx.cluster)
        result.check("no worker was replaced", ctx.service.booted() == booted)

    def judge_during(self, during: Steady, result: Result) -> None:
        database_fault_checks(during, result)


class StopDatabase(_ClusterFault):
    name = "stop-db"
    title = "PostgreSQL stopped (pg_ctl stop -m fast), then started again"
    hypothesis = (
        "while the database is down every request answers 2xx or 503 with Retry-After within "
        f"{BUDGET_S} s; the same workers serve again once it is back; nothing acknowledged is lost"
    )

    def inject(self, cluster) -> None:
        cluster.stop()

    def remove(self, cluster) -> None:
        cluster.start()


class FreezeDatabase(_ClusterFault):
    name = "frozen-db"
    title = "PostgreSQL frozen (SIGSTOP of every process of the cluster), then resumed (SIGCONT)"
    hypothesis = (
        "while the database answers nothing, though its kernel still accepts and acknowledges, "
        f"every request answers 2xx or 503 with Retry-After within {BUDGET_S} s; the same "
        "workers serve again once it resumes; nothing acknowledged is lost"
    )

    def inject(self, cluster) -> None:
        cluster.freeze()

    def remove(self, cluster) -> None:
        cluster.thaw()


class SlowDatabase(Experiment):
    name = "slow-db"
    title = "a session holds an exclusive lock on event_types (every request waits on it)"
    hypothesis = (
        "requests that wait on the lock answer 503 with Retry-After within "
        f"{BUDGET_S} s (statement_timeout), none hangs; all is back once the lock goes"
    )
    needs = ("database",)

    def during(self, ctx: Context, result: Result) -> None:
        url = ctx.database_url.replace("postgresql+psycopg://", "postgresql://", 1)
        with psycopg.connect(url, connect_timeout=5) as blocker:
            blocker.execute("LOCK TABLE event_types IN ACCESS EXCLUSIVE MODE")
            try:
                ctx.wait(ctx.fault_s)
            finally:
                blocker.rollback()

    def judge_during(self, during: Steady, result: Result) -> None:
        database_fault_checks(during, result)


class KillWorker(Experiment):
    name = "kill-worker"
    title = "SIGKILL of a gunicorn worker in the middle of registrations, three times"
    hypothesis = (
        "only the request each killed worker was serving goes unanswered; its write is "
        "committed whole or not at all (gapless, audited); gunicorn replaces the worker"
    )
    needs = ("service",)
    write_only = True
    kills = 3

    def during(self, ctx: Context, result: Result) -> None:
        service = ctx.service
        wanted, booted = len(service.workers()), service.booted()
        for _ in range(self.kills):
            ctx.wait(ctx.fault_s / self.kills)
            victims = sorted(service.workers())
            if victims:
                os.kill(random.choice(victims), signal.SIGKILL)
        deadline = time.monotonic() + RECOVERY_S
        # A replacement is a child at once, and booted once it logs so: wait for both.
        while time.monotonic() < deadline and (
            len(service.workers()) < wanted or service.booted() - booted < self.kills
        ):
            ctx.wait(0.1)
        result.check(
            f"gunicorn booted {service.booted() - booted} new workers for {self.kills} killed",
            service.booted() - booted == self.kills and len(service.workers()) == wanted,
        )

    def judge_during(self, during: Steady, result: Result) -> None:
        result.check(
            f"during: {during.no_answer} registrations cut mid-flight, at most one per kill",
            during.no_answer <= self.kills,
        )
        result.check("during: no 5xx", during.server_errors == 0 and during.unavailable == 0)


class HostileInput(Experiment):
    name = "hostile"
    title = "hostile requests: deep nesting, catastrophic patterns, huge enums and bodies"
    hypothesis = (
        f"each is answered with its right status within {HOSTILE_BUDGET_S:.0f} s; no worker "
        "dies; the load beside them keeps succeeding"
    )

    def during(self, ctx: Context, result: Result) -> None:
        path = f"/api/v1/events/{DOMAIN}/{HOSTILE_EVENT}"
        event = {"domain": DOMAIN, "name": HOSTILE_EVENT, "bus": DOMAIN, "producer": "chaos"}
        ctx.client.call("POST", "/api/v1/events", event)
        ctx.client.call("POST", f"{path}/versions", {"schema": PATTERNED})
        workers = ctx.service.workers() if ctx.service else set()
        started = time.monotonic()
        for hostile in requests():
            if ctx.abort.is_set():
                raise Stopped()
            try:
                answer = ctx.client.call(
                    hostile.method, hostile.path, raw=hostile.body, chunked=hostile.chunked
                )
                status, seconds = answer.status, answer.seconds
            except OSError as error:
                status, seconds = None, 0.0
                result.note += f" {hostile.name}: {error!r};"
            result.check(
                f"{hostile.name}: {status} in {seconds:.2f} s",
                status in hostile.expected and seconds <= HOSTILE_BUDGET_S,
            )
        ctx.wait(max(0.0, ctx.fault_s - (time.monotonic() - started)))
        if ctx.service:
            result.check("no worker died", ctx.service.workers() == workers)

    def judge_during(self, during: Steady, result: Result) -> None:
        result.check("during: load success rate >= 99%", during.success_rate >= 0.99)
        result.check("during: no 5xx", during.server_errors == 0)


EXPERIMENTS: dict[str, type[Experiment]] = {
    each.name: each
    for each in (StopDatabase, FreezeDatabase, KillWorker, HostileInput, SlowDatabase)
}
