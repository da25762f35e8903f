"""Soundness probe: instances of the old schema must stay valid under a new one the API calls
compatible. Instances come from hypothesis-jsonschema; validity is the registry's own, through
registered versions and batch validation."""

from __future__ import annotations

import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from .catalog import Catalog
from .generate import instances
from .tally import Tally
from .vectors import Pair

NOTE = (
    "instances of the old schema (hypothesis-jsonschema), kept when the registry calls them valid"
)


@dataclass
class Probe:
    """One distinct (old, new) pair, the cases that share it, and what probing it found."""

    old: Any
    new: Any
    labels: list[str]
    generated: list[Any] = field(default_factory=list)
    reason: str = ""
    valid_old: int = 0
    broken: list[tuple[Any, str]] = field(default_factory=list)
    failure: str = ""


def distinct(pairs: list[Pair]) -> list[Probe]:
    """One probe per distinct (old, new) content, remembering every case label."""
    probes: dict[str, Probe] = {}
    for pair in pairs:
        key = json.dumps([pair.old, pair.new], sort_keys=True)
        probe = probes.setdefault(key, Probe(pair.old, pair.new, []))
        probe.labels.append(f"{pair.source}: {pair.label}")
    return list(probes.values())


class Checker:
    """Registers schemas (one at a time: the probe measures verdicts, not write concurrency) and
    validates instances against them (concurrently)."""

    def __init__(self, catalog: Catalog, path: str) -> None:
        self.catalog, self.path = catalog, path
        self._write = threading.Lock()
        self._versions: dict[str, int | str] = {}

    def version(self, schema: Any) -> int | str:
        """The version number of a schema, or why it could not be registered."""
        key = json.dumps(schema, sort_keys=True)
        with self._write:
            if key not in self._versions:
                reply = self.catalog.register(self.path, schema, "soundness probe")
                self._versions[key] = reply.body["version"] if reply.ok else reply.brief()
            return self._versions[key]

    def results(self, schema: Any, values: list[Any]) -> list[dict] | str:
        """The validation result of each value under the schema, or why there are none."""
        number = self.version(schema)
        if isinstance(number, str):
            return f"registering the schema: {number}"
        reply = self.catalog.validate(self.path, values, number)
        return reply.body["results"] if reply.ok else f"validating: {reply.brief()}"

    def check(self, probes: list[Probe], values: list[Any]) -> None:
        """Keep the values the old schema accepts; try them on each new schema."""
        under_old = self.results(probes[0].old, values)
        for probe in probes:
            probe.generated = values
            if isinstance(under_old, str):
                probe.failure = f"old schema: {under_old}"
                continue
            kept = [v for v, r in zip(values, under_old, strict=True) if r["valid"]]
            probe.valid_old = len(kept)
            under_new = self.results(probe.new, kept) if kept else []
            if isinstance(under_new, str):
                probe.failure = f"new schema: {under_new}"
                continue
            for value, result in zip(kept, under_new, strict=True):
                if not result["valid"]:
                    message = result["errors"][0]["message"] if result["errors"] else "?"
                    probe.broken.append((value, message))


def run(
    catalog: Catalog, compatible: list[Pair], count: int, seconds: float, jobs: int
) -> tuple[Tally, dict[str, Any]]:
    """Probe every pair the stateless API called compatible (strict). Instances are generated
    here, in the main thread (the time bound uses SIGALRM), while threads check earlier ones."""
    probes = distinct(compatible)
    by_old: dict[str, list[Probe]] = {}
    for probe in probes:
        by_old.setdefault(json.dumps(probe.old, sort_keys=True), []).append(probe)
    domain = catalog.domain("soundness")
    checker = Checker(catalog, catalog.event_type(domain, "SoundnessProbe", "NONE"))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        pending = []
        for group in by_old.values():
            values, reason = instances(group[0].old, count, seconds)
            for probe in group:
                probe.reason = reason
            if values:
                pending.append(pool.submit(checker.check, group, values))
        for future in pending:
            future.result()
    return _score(probes, len(compatible))


def _score(probes: list[Probe], cases: int) -> tuple[Tally, dict[str, Any]]:
    tally = Tally("soundness probe (strict, compatible pairs)", NOTE)
    reasons: Counter[str] = Counter()
    for probe in probes:
        label = probe.labels[0] + (f" (+{len(probe.labels) - 1} same)" if probe.labels[1:] else "")
        if not probe.generated:
            reasons[probe.reason] += 1
            continue
        if probe.failure:
            tally.miss("probe failure", label, probe.failure)
            continue
        if probe.valid_old:
            tally.score("pairs", not probe.broken)
        if probe.broken:
            value, message = probe.broken[0]
            detail = (
                f"{len(probe.broken)}/{probe.valid_old} old-valid instance(s) rejected by new; "
                f"e.g. {json.dumps(value)[:200]} -> {message}\n"
                f"old={json.dumps(probe.old)[:300]}\nnew={json.dumps(probe.new)[:300]}"
            )
            tally.miss("unsound", label, detail)
    info = {
        "compatible_cases": cases,
        "distinct_pairs": len(probes),
        "generated": sum(bool(p.generated) for p in probes),
        "not_generated": sum(not p.generated for p in probes),
        "not_generated_reasons": dict(reasons.most_common()),
        "not_generated_cases": [
            {"cases": p.labels, "reason": p.reason} for p in probes if not p.generated
        ],
        "instances": sum(len(p.generated) for p in probes),
        "instances_valid_under_old": sum(p.valid_old for p in probes),
        "pairs_without_old_valid_instance": sum(
            bool(p.generated) and not p.failure and not p.valid_old for p in probes
        ),
        "unsound_pairs": sum(bool(p.broken) for p in probes),
    }
    return tally, info
