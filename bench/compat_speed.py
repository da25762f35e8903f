"""Measure the compatibility engine's speed on large schemas (not part of the test suite).

Usage: python bench/compat_speed.py
Targets: comparing two 200-property schemas under 10 ms; a FULL_TRANSITIVE check against 50
earlier versions under 200 ms, on one core.
"""

from __future__ import annotations

import copy
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core.compatibility import check, compare
from app.core.vocabulary import CompatibilityLevel


def make_schema(properties: int, revision: int = 0) -> dict:
    """Build an object schema with a mix of property kinds; revision rewrites every description."""
    props: dict = {}
    for i in range(properties):
        note = f"field {i}, revision {revision}"
        kind = i % 5
        if kind == 0:
            props[f"s{i}"] = {"type": "string", "maxLength": 40, "description": note}
        elif kind == 1:
            props[f"n{i}"] = {"type": "number", "minimum": 0, "maximum": 1000, "description": note}
        elif kind == 2:
            props[f"e{i}"] = {"enum": ["a", "b", "c"], "description": note}
        elif kind == 3:
            props[f"o{i}"] = {
                "type": "object",
                "description": note,
                "additionalProperties": False,
                "properties": {"x": {"type": "integer"}, "y": {"type": ["string", "null"]}},
            }
        else:
            props[f"a{i}"] = {
                "type": "array",
                "description": note,
                "items": {"type": "string", "format": "uuid"},
            }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": props,
        "required": list(props)[:10],
        "additionalProperties": False,
    }


def best_of(runs: int, action) -> float:
    """Return the fastest wall time of several runs, in milliseconds."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best * 1000.0


def main() -> int:
    """Print the measured numbers."""
    old = make_schema(200)
    new = copy.deepcopy(old)
    for name, schema in list(new["properties"].items())[::7]:
        schema["description"] = f"changed {name}"  # every 7th property differs a little
    new["properties"]["extra"] = {"type": "string"}
    identical = copy.deepcopy(old)
    ms_changed = best_of(20, lambda: compare(old, new))
    ms_same = best_of(20, lambda: compare(old, identical))
    print(f"compare, 200 properties, 30 changed:  {ms_changed:7.2f} ms  (target < 10 ms)")
    print(f"compare, 200 properties, identical:   {ms_same:7.2f} ms")
    # Every version rewrites every description: compatible both ways, so nothing short-circuits.
    versions = [(v + 1, make_schema(200, revision=v)) for v in range(50)]
    latest = make_schema(200, revision=50)
    ms_check = best_of(10, lambda: check(versions, latest, CompatibilityLevel.FULL_TRANSITIVE))
    result = check(versions, latest, CompatibilityLevel.FULL_TRANSITIVE)
    print(
        f"FULL_TRANSITIVE vs 50 versions of 200 properties (100 comparisons): {ms_check:7.2f} ms "
        f"(target < 200 ms), compatible={result.compatible}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
