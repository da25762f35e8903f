"""bench/conformance.py's machinery against a real gunicorn server on a tiny subset of the
vectors, so that the instrument cannot rot unnoticed (the full run is `make conformance`)."""

import json
from pathlib import Path

from bench.conformance_kit.report import Results, failures, thresholds
from bench.conformance_kit.run import main
from bench.conformance_kit.server import running_server
from bench.conformance_kit.tally import Tally
from bench.conformance_kit.vectors import CONFLUENT_FILES, confluent_pairs, load_json, needs_remote

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT.parent / "shared" / "conformance"


def suite_tests(draft: str, name: str) -> int:
    groups = load_json(VECTORS / "json-schema-test-suite" / draft / name)
    return sum(len(group["tests"]) for group in groups)


def test_a_tiny_run_over_the_api_produces_every_figure(tmp_path, capsys):
    out = tmp_path / "figures.json"
    with running_server() as server:
        status = main(
            [
                *(str(VECTORS), "--url", server.url, "--token", server.token, "--limit", "3"),
                *("--drafts", "draft7", "--suite-files", "type.json", "--jobs", "2"),
                *("--probe-examples", "5", "--probe-seconds", "1", "--json", str(out)),
            ]
        )
    assert status == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    summary = figures["summary"]
    pairs = confluent_pairs(VECTORS, 3)
    assert len(pairs) == 3 * len(CONFLUENT_FILES) + 1  # three per file, and the recursive one
    for key in ("strict", "lenient", "reg_strict", "reg_lenient"):
        assert summary[f"confluent.{key}"]["total"] == len(pairs), key
    named = sum(pair.changes is not None for pair in pairs)
    assert summary["confluent.names"]["total"] == named
    assert summary["karapace.strict"]["total"] == 3
    assert summary["karapace.reg_strict"]["total"] == 3
    assert summary["suite.tests"]["total"] == suite_tests("draft7", "type.json")
    assert summary["suite.schemas"]["total"] >= 1
    assert figures["suite"]["drafts"]["draft7"]["requested_dialect"] == "draft-07"
    probe = figures["soundness"]["info"]
    assert probe["distinct_pairs"] >= 1
    assert probe["generated"] + probe["not_generated"] == probe["distinct_pairs"]
    printed = capsys.readouterr().out
    assert "== confluent/diff-schema-examples.json" in printed
    assert "== summary" in printed


def test_thresholds_fail_only_when_a_figure_is_short():
    results = Results()
    tally = Tally("confluent/x.json")
    tally.score("strict", True)
    tally.score("strict", False)
    results.confluent = [tally]
    assert failures(results, thresholds(["50"])) == []
    assert failures(results, thresholds(["confluent.strict=60"]))
    assert failures(results, thresholds(["suite.tests=1"]))  # not measured counts as short


def test_groups_that_need_the_remote_server_are_recognised():
    local = {
        "$id": "http://localhost:1234/tree",
        "items": {"$ref": "node"},
        "definitions": {"node": {"$id": "http://localhost:1234/node"}},
    }
    assert not needs_remote(local, "draft7")
    assert needs_remote({"$ref": "http://localhost:1234/integer.json"}, "draft7")
    assert needs_remote({"$id": "http://localhost:1234/a/", "$ref": "b.json"}, "draft2020-12")
    assert not needs_remote({"enum": [{"$ref": "http://localhost:1234/x"}]}, "draft7")
