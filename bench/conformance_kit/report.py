"""The readable report, the machine-readable figures and the --fail-under thresholds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .tally import Tally, print_tally, total_of


class Results:
    """Everything one run measured, grouped by source."""

    def __init__(self) -> None:
        self.run: dict[str, Any] = {}
        self.confluent: list[Tally] = []
        self.karapace: list[Tally] = []
        self.suite: list[Tally] = []
        self.suite_info: dict[str, Any] = {}
        self.soundness: Tally | None = None
        self.soundness_info: dict[str, Any] = {}

    def totals(self) -> dict[str, Tally]:
        """The tallies the summary is read from."""
        found = {}
        if self.confluent:
            found["confluent"] = total_of("confluent total", self.confluent)
        for tally in self.karapace:
            key = "karapace" if "scored" in tally.name else "karapace_excluded"
            found[key] = tally
        if self.suite:
            main = [t for t in self.suite if "format.json" not in t.name]
            found["suite"] = total_of("suite total (without format.json)", main)
            formats = [t for t in self.suite if "format.json" in t.name]
            found["suite_format"] = total_of("suite format.json total", formats)
            for tally in main:
                found[tally.name.replace("/", ".")] = tally
        if self.soundness is not None:
            found["soundness"] = self.soundness
        return found

    def summary(self) -> dict[str, dict[str, Any]]:
        """`source.key` -> {ok, total, pct} for every measured figure."""
        figures = {}
        for source, tally in self.totals().items():
            for key in tally.measured():
                ok, total = tally.ratio(key)
                figures[f"{source}.{key}"] = {"ok": ok, "total": total, "pct": tally.pct(key)}
        return figures

    def to_dict(self) -> dict[str, Any]:
        """All figures and disagreements, JSON-ready."""
        return {
            "run": self.run,
            "summary": self.summary(),
            "confluent": [t.to_dict() for t in self.confluent],
            "karapace": [t.to_dict() for t in self.karapace],
            "suite": {"drafts": self.suite_info, "tallies": [t.to_dict() for t in self.suite]},
            "soundness": {
                "info": self.soundness_info,
                "tally": self.soundness.to_dict() if self.soundness else None,
            },
        }


def print_report(results: Results) -> None:
    """Per source: the agreement figures, then every disagreement."""
    for tally in results.confluent + results.karapace + results.suite:
        print_tally(tally)
    if results.soundness is not None:
        print_tally(results.soundness)
        info = results.soundness_info
        print(
            f"  {info['distinct_pairs']} distinct pair(s) from {info['compatible_cases']} "
            f"compatible case(s); {info['instances']} instance(s) generated, "
            f"{info['instances_valid_under_old']} valid under old by the registry; "
            f"{info['pairs_without_old_valid_instance']} pair(s) without one"
        )
        print(f"  could not generate for {info['not_generated']} pair(s):")
        for reason, count in info["not_generated_reasons"].items():
            print(f"    {count:4} {reason}")
    print("\n== summary")
    for key, figure in results.summary().items():
        print(f"  {key:36} {figure['ok']}/{figure['total']} ({figure['pct']}%)")
    run = results.run
    probe = results.soundness_info.get("seconds", 0)
    print(
        f"  ({run['seconds']:.0f} s in all: the suite {run['seconds_suite']:.0f} s, "
        f"the soundness probe {probe:.0f} s; {run['mode']})"
    )


def write_json(results: Results, path: str) -> None:
    """Write every figure to a file."""
    text = json.dumps(results.to_dict(), indent=1, ensure_ascii=False)
    Path(path).write_text(text + "\n", encoding="utf-8")


def thresholds(specs: list[str]) -> dict[str, float]:
    """`PCT` (Confluent strict stateless verdicts) or `KEY=PCT` for any summary key."""
    found = {}
    for spec in specs:
        key, _, pct = spec.rpartition("=")
        found[key or "confluent.strict"] = float(pct)
    return found


def failures(results: Results, wanted: dict[str, float]) -> list[str]:
    """One line per threshold that the run falls short of (or did not measure)."""
    summary = results.summary()
    lines = []
    for key, pct in wanted.items():
        got = summary.get(key, {}).get("pct")
        if got is None or got < pct:
            lines.append(
                f"FAIL: {key} is {got if got is not None else 'not measured'}, under {pct}%"
            )
    return lines
