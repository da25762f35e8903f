"""Agreement of the shape classifier with careful readers on real published events.

Each case of tests/data/real-events (a payload from public documentation, its source, a label
set before the classifier saw it, and its split: `train` cases were looked at while tuning,
`held-out` ones never were) is sent as a user sends it: `POST /api/v1/analysis` with
`{"samples": [payload]}`, through the app's REST API (Flask test client, a fresh SQLite file).
Prints agreement per shape for each split and the misses, and writes the figures to the bench
results JSON (bench/out/classifier_agreement.json unless --json says otherwise).

Not a test (tests/unit/analysis/test_real_events.py holds the floor). Run: `make bench`, or
`.venv/bin/python bench/classifier_agreement.py [--json FILE]`.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.config import Settings  # noqa: E402
from app.services.bootstrap import bootstrap  # noqa: E402

CASES = ROOT / "tests" / "data" / "real-events"
SHAPES = ("thin", "delta", "full")
SPLITS = ("train", "held-out")
ADMIN = "evt_bench_classifier_0123456789"


def classify_all(client) -> list[dict]:
    """One row per case: name, split, expected and answered shape."""
    rows = []
    for path in sorted(CASES.glob("*.json")):
        case = json.loads(path.read_text(encoding="utf-8"))
        response = client.post("/api/v1/analysis", json={"samples": [case["payload"]]})
        if response.status_code != 200:
            raise SystemExit(f"{path.name}: HTTP {response.status_code} {response.get_data()!r}")
        got = response.get_json()["shape"]
        rows.append(
            {
                "case": path.stem,
                "provider": case["provider"],
                "split": case["split"],
                "expected": case["expected_shape"],
                "got": got,
            }
        )
    return rows


def agreement(rows: list[dict]) -> dict:
    """{split: {shape: {agreed, cases}, "all": {agreed, cases}}} over the rows."""
    out: dict = {}
    for split in SPLITS:
        mine = [r for r in rows if r["split"] == split]
        cases, agreed = Counter(), Counter()
        for row in mine:
            cases[row["expected"]] += 1
            agreed[row["expected"]] += row["got"] == row["expected"]
        out[split] = {s: {"agreed": agreed[s], "cases": cases[s]} for s in SHAPES}
        out[split]["all"] = {"agreed": sum(agreed.values()), "cases": len(mine)}
    return out


def report(figures: dict, rows: list[dict]) -> None:
    """Print the agreement table and the misses."""
    print(f"{'split':10} " + " ".join(f"{s:>12}" for s in (*SHAPES, "all")))
    for split in SPLITS:
        cells = []
        for shape in (*SHAPES, "all"):
            cell = figures[split][shape]
            share = cell["agreed"] / cell["cases"] if cell["cases"] else 0.0
            cells.append(f"{cell['agreed']:>3}/{cell['cases']:<3} {share:4.0%}")
        print(f"{split:10} " + " ".join(f"{c:>12}" for c in cells))
    for row in rows:
        if row["got"] != row["expected"]:
            print(
                f"  miss ({row['split']}): {row['case']}: {row['expected']}, answered {row['got']}"
            )


def main() -> int:
    """Classify every case through the API, print and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", default=str(ROOT / "bench" / "out" / "classifier_agreement.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="eventry-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        bootstrap(Settings(database_url=url, demo=False, admin_token=ADMIN))
        app = create_app({"database_url": url, "demo": False, "admin_token": ADMIN})
        logging.getLogger("app.requests").setLevel(logging.WARNING)  # one line per request
        rows = classify_all(app.test_client())
        app.extensions["eventry"].engine.dispose()
    figures = agreement(rows)
    report(figures, rows)
    target = Path(args.json)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"agreement": figures, "cases": rows}, indent=2) + "\n")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
