"""Measure the compatibility engine against Confluent's and Karapace's test vectors.

Usage: python bench/conformance.py [PATH] [--fail-under PCT]
PATH defaults to ../shared/conformance relative to the repository root. The vector files are
read in place, never copied. Exit status is 0 (this is a report) unless --fail-under is given
and Confluent's strict verdict agreement is below PCT.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.compatibility import compare, is_compatible_type  # noqa: E402

CONFLUENT_FILES = (
    "diff-schema-examples.json",
    "diff-schema-examples-2020-12.json",
    "diff-combined-schema-examples.json",
    "diff-combined-schema-examples-2020-12.json",
    "derived-jsonschematest-policy-cases.json",
)


def load_json(path: Path) -> object:
    """Parse a vector file, tolerating the trailing commas of the 2020-12 file."""
    text = path.read_text(encoding="utf-8")
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", text))


def verdict(old: object, new: object, policy: str) -> tuple[bool | None, list[str], str]:
    """Return (compatible, difference types, error) for one backward comparison."""
    try:
        diffs = compare(old, new, policy=policy)
    except (ValueError, RecursionError) as exc:
        return None, [], f"{type(exc).__name__}: {exc}"
    return all(is_compatible_type(d.type, policy) for d in diffs), [d.type for d in diffs], ""


class Tally:
    """Counts agreements for one file and keeps the disagreements."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.counts: Counter[str] = Counter()
        self.misses: list[str] = []

    def score(self, key: str, ok: bool) -> None:
        self.counts[key + "_total"] += 1
        self.counts[key + "_ok"] += ok

    def pct(self, key: str) -> str:
        total = self.counts[key + "_total"]
        ok = self.counts[key + "_ok"]
        return f"{ok}/{total} ({100.0 * ok / total:.1f}%)" if total else "n/a"


def run_confluent_case(tally: Tally, case: dict) -> None:
    """Score one Confluent case: strict, lenient and the difference multiset."""
    old, new = case["original_schema"], case["update_schema"]
    strict, names, error = verdict(old, new, "strict")
    lenient, _, _ = verdict(old, new, "lenient")
    want_lenient = case.get("compatible_lenient", case["compatible"])
    tally.score("strict", strict == case["compatible"])
    tally.score("lenient", lenient == want_lenient)
    problems = []
    if strict != case["compatible"]:
        problems.append(f"strict: expected {case['compatible']}, got {strict} {error}")
    if lenient != want_lenient:
        problems.append(f"lenient: expected {want_lenient}, got {lenient}")
    if "changes" in case:
        expected = Counter(c.split(" ")[0] for c in case["changes"])
        same = expected == Counter(names)
        tally.score("names", same)
        if not same:
            problems.append(
                f"differences: expected {sorted(expected.elements())} got {sorted(names)}"
            )
    if problems:
        tally.misses.append(f"  - {case['description']}\n      " + "\n      ".join(problems))


def run_confluent(base: Path) -> tuple[list[Tally], Tally]:
    """Score every Confluent file; return per-file tallies and the total."""
    tallies, total = [], Tally("confluent total")
    for name in CONFLUENT_FILES:
        data = load_json(base / "confluent" / name)
        cases = data["cases"] if isinstance(data, dict) else data
        tally = Tally("confluent/" + name)
        for case in cases:
            run_confluent_case(tally, case)
        tallies.append(tally)
    recursive = load_json(base / "confluent" / "other" / "recursive-schema.json")
    tally = Tally("confluent/other/recursive-schema.json")
    run_confluent_case(
        tally,
        {
            "description": "recursive schema vs itself",
            "changes": [],
            "original_schema": recursive,
            "update_schema": recursive,
            "compatible": True,
        },
    )
    tallies.append(tally)
    for tally in tallies:
        total.counts.update(tally.counts)
    return tallies, total


def karapace_excluded(case: dict) -> bool:
    """The README's 68: Karapace says incompatible although the reader accepts everything
    (`true`/`{}`) or the writer accepts nothing (`false`)."""
    accepts_all = case["reader"] is True or case["reader"] == {}
    return (accepts_all or case["writer"] is False) and not case["expected_compatible"]


def run_karapace(base: Path) -> tuple[Tally, Tally]:
    """Score Karapace's cases, keeping the excluded ones apart."""
    scored, excluded = Tally("karapace (scored)"), Tally("karapace (excluded 68)")
    for case in load_json(base / "karapace" / "cases.json"):
        got, names, error = verdict(case["writer"], case["reader"], "strict")
        tally = excluded if karapace_excluded(case) else scored
        ok = got == case["expected_compatible"]
        tally.score("strict", ok)
        if not ok:
            tally.misses.append(
                f"  - {case['name']}\n      expected {case['expected_compatible']}, got {got} "
                f"{error}\n      reader={json.dumps(case['reader'])}\n      "
                f"writer={json.dumps(case['writer'])}\n      differences={names}"
            )
    return scored, excluded


def report(tally: Tally, keys: tuple[str, ...]) -> None:
    """Print one tally and its disagreements."""
    labels = {
        "strict": "strict verdicts",
        "lenient": "lenient verdicts",
        "names": "difference multisets",
    }
    print(f"\n== {tally.name}")
    for key in keys:
        print(f"  {labels[key]:22} {tally.pct(key)}")
    if tally.misses:
        print("  disagreements:")
        print("\n".join(tally.misses))


def main(argv: list[str] | None = None) -> int:
    """Run the whole report; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(ROOT.parent / "shared" / "conformance"))
    parser.add_argument("--fail-under", type=float, default=None, metavar="PCT")
    args = parser.parse_args(argv)
    base = Path(args.path)
    tallies, total = run_confluent(base)
    for tally in tallies:
        report(tally, ("strict", "lenient", "names"))
    scored, excluded = run_karapace(base)
    report(scored, ("strict",))
    report(excluded, ("strict",))
    print("\n== summary")
    print(f"  Confluent strict verdicts   {total.pct('strict')}")
    print(f"  Confluent lenient verdicts  {total.pct('lenient')}")
    print(f"  Confluent difference sets   {total.pct('names')}")
    print(f"  Karapace (excluding 68)     {scored.pct('strict')}")
    print(f"  Karapace excluded 68        {excluded.pct('strict')}")
    if args.fail_under is not None:
        total_cases = total.counts["strict_total"]
        pct = 100.0 * total.counts["strict_ok"] / total_cases if total_cases else 0.0
        if pct < args.fail_under:
            print(f"FAIL: Confluent strict agreement {pct:.1f}% is below {args.fail_under}%")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
