"""The classifier against real published event payloads (tests/data/real-events)."""

import json
from pathlib import Path

import pytest

from app.core.analysis import classify

DATA = Path(__file__).resolve().parents[2] / "data" / "real-events"
CASES = sorted(DATA.glob("*.json"))
REQUIRED = {"source", "provider", "event", "expected_shape", "why", "payload"}


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_there_are_at_least_25_real_events():
    assert len(CASES) >= 25


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_case_file_is_well_formed(path):
    case = _load(path)
    assert case.keys() >= REQUIRED
    assert case["source"].startswith("https://")
    assert case["expected_shape"] in ("thin", "delta", "full")
    assert isinstance(case["payload"], dict) and case["payload"]


def test_accuracy_report():
    rows, misses = [], []
    for path in CASES:
        case = _load(path)
        got = classify(samples=[case["payload"]]).shape
        rows.append((path.stem, case["expected_shape"], got))
        if got != case["expected_shape"]:
            misses.append(f"{path.stem}: expected {case['expected_shape']}, got {got}")
    accuracy = (len(rows) - len(misses)) / len(rows)
    print(f"\nreal-event accuracy: {len(rows) - len(misses)}/{len(rows)} = {accuracy:.0%}")
    for miss in misses:
        print("  miss:", miss)
    assert accuracy >= 0.9, misses


def test_every_shape_is_represented():
    shapes = {_load(p)["expected_shape"] for p in CASES}
    assert shapes == {"thin", "delta", "full"}
