"""Agreement counts per source, the disagreements behind them, and how both are printed."""

from __future__ import annotations

from collections import Counter
from typing import Any

LABELS = {
    "strict": "strict verdicts (stateless)",
    "lenient": "lenient verdicts (stateless)",
    "names": "difference multisets",
    "reg_strict": "strict verdicts (registration)",
    "reg_lenient": "lenient verdicts (registration)",
    "same_strict": "registration = stateless, strict",
    "same_lenient": "registration = stateless, lenient",
    "schemas": "schemas accepted",
    "tests": "tests agreeing",
    "pairs": "pairs without unsound evidence",
}


class Tally:
    """Counts agreements for one source and keeps each disagreement."""

    def __init__(self, name: str, note: str = "") -> None:
        self.name = name
        self.note = note
        self.counts: Counter[str] = Counter()
        self.misses: list[dict[str, Any]] = []

    def score(self, key: str, ok: bool) -> None:
        """Count one comparison under `key`."""
        self.counts[key + "_total"] += 1
        self.counts[key + "_ok"] += bool(ok)

    def miss(self, kind: str, case: str, detail: str) -> None:
        """Keep one disagreement, refusal or failure."""
        self.misses.append({"kind": kind, "case": case, "detail": detail})

    def measured(self) -> list[str]:
        """The measured keys, in the order of LABELS."""
        return [key for key in LABELS if self.counts[key + "_total"]]

    def ratio(self, key: str) -> tuple[int, int]:
        """(agreeing, total) for a key."""
        return self.counts[key + "_ok"], self.counts[key + "_total"]

    def pct(self, key: str) -> float | None:
        """Agreement in percent, None when nothing was measured."""
        ok, total = self.ratio(key)
        return round(100.0 * ok / total, 2) if total else None

    def show(self, key: str) -> str:
        """`ok/total (pct%)`."""
        ok, total = self.ratio(key)
        return f"{ok}/{total} ({100.0 * ok / total:.1f}%)" if total else "n/a"

    def absorb(self, other: Tally) -> None:
        """Add another tally's counts (not its misses) to this one."""
        self.counts.update(other.counts)

    def to_dict(self) -> dict[str, Any]:
        """All figures and disagreements, JSON-ready."""
        figures = {}
        for key in self.measured():
            ok, total = self.ratio(key)
            figures[key] = {"ok": ok, "total": total, "pct": self.pct(key)}
        return {
            "name": self.name,
            "note": self.note,
            "figures": figures,
            "misses_by_kind": dict(Counter(m["kind"] for m in self.misses)),
            "misses": self.misses,
        }


def total_of(name: str, tallies: list[Tally]) -> Tally:
    """A tally that sums others."""
    total = Tally(name)
    for tally in tallies:
        total.absorb(tally)
    return total


def print_tally(tally: Tally, misses: bool = True) -> None:
    """Print one tally's figures, then (optionally) every disagreement."""
    if not (tally.measured() or tally.misses):
        return
    print(f"\n== {tally.name}")
    if tally.note:
        print(f"  ({tally.note})")
    for key in tally.measured():
        print(f"  {LABELS[key]:34} {tally.show(key)}")
    if not (misses and tally.misses):
        return
    kinds = Counter(m["kind"] for m in tally.misses)
    print("  disagreements: " + ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())))
    case = None
    for item in tally.misses:
        if item["case"] != case:
            case = item["case"]
            print(f"  - {case}")
        detail = item["detail"].replace("\n", "\n        ")
        print(f"      [{item['kind']}] {detail}")
