"""The offline CI commands `eventry check`, `validate` and `compat`: no server, no database."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli.main import main
from app.config import PROJECT_ROOT

DEMO = PROJECT_ROOT / "examples" / "catalog"


def described(**properties: dict) -> dict:
    return {name: {**spec, "description": f"the {name}"} for name, spec in properties.items()}


BASE_PROPERTIES = described(
    eventId={"type": "string"},
    occurredAt={"type": "string"},
    orderId={"type": "string"},
    total={"type": "integer"},
)
V1 = {"type": "object", "required": ["eventId", "orderId"], "properties": BASE_PROPERTIES}
# An optional property added to an open content model: refused by strict, accepted by lenient.
V2 = {**V1, "properties": {**BASE_PROPERTIES, **described(note={"type": "string"})}}
SAMPLE = {"eventId": "e-1", "occurredAt": "2024-05-01T10:00:00Z", "orderId": "o-1", "total": 5}
EVENT_YAML = "bus: orders-events\nproducer: order-service\naggregate: Order\n"

CLEAN = {
    "registry.yaml": "compatibility: BACKWARD\npolicy: strict\n"
    "teams: [{slug: checkout, name: Checkout}]\n",
    "orders/domain.yaml": "name: Orders\nowner: checkout\n"
    "buses: [{slug: orders-events, router: kafka}]\n",
    "orders/OrderPlaced/event.yaml": EVENT_YAML,
    "orders/OrderPlaced/v1.json": json.dumps(V1, indent=2),
    "orders/OrderPlaced/samples/ok.json": json.dumps(SAMPLE),
    "orders/OrderPlaced/samples/invalid-no-order.json": json.dumps({"eventId": "e-2"}),
}

BROKEN = {
    **CLEAN,
    # a valid sample that fails: total is a string (line 5 of the indented file)
    "orders/OrderPlaced/samples/wrong-total.json": json.dumps({**SAMPLE, "total": "5"}, indent=2),
    # an invalid-* sample that validates
    "orders/OrderPlaced/samples/invalid-but-fine.json": json.dumps(SAMPLE),
    # an incompatible step under strict
    "orders/OrderPlaced/v2.json": json.dumps(V2, indent=2),
    # the same step under lenient: accepted
    "orders/OrderNoted/event.yaml": EVENT_YAML + "policy: lenient\n",
    "orders/OrderNoted/v1.json": json.dumps(V1),
    "orders/OrderNoted/v2.json": json.dumps(V2),
    # a malformed file
    "orders/OrderShipped/event.yaml": EVENT_YAML,
    "orders/OrderShipped/v1.json": '{\n  "type": "object",\n  "properties": {\n}',
    # a meta-schema error
    "orders/OrderPaid/event.yaml": EVENT_YAML,
    "orders/OrderPaid/v1.json": json.dumps({"type": "objekt"}),
    "orders/OrderPaid/samples/any.json": json.dumps(SAMPLE),
    # a lint error: a present-tense event name
    "orders/PlaceOrder/event.yaml": EVENT_YAML,
    "orders/PlaceOrder/v1.json": json.dumps(V1),
}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for relative, content in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "clean", CLEAN)


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "broken", BROKEN)


def run(runner: CliRunner, *args: str, **kwargs):
    return runner.invoke(main, list(args), **kwargs)


def check_json(runner: CliRunner, tree: Path, *extra: str) -> tuple[int, dict]:
    result = run(runner, "check", str(tree), "--format", "json", *extra)
    return result.exit_code, json.loads(result.stdout)


def findings(document: dict) -> list[dict]:
    return [finding for item in document["items"] for finding in item["findings"]]


# --- eventry check -------------------------------------------------------------------------------


def test_the_demo_tree_has_no_errors_only_the_deliberate_warnings(runner):
    code, document = check_json(runner, DEMO)
    assert code == 0 and document["ok"] is True
    assert document["errors"] == 0 and document["failed"] == 0 and document["skipped"] == 0
    kinds = Counter(item["kind"] for item in document["items"])
    assert set(kinds) == {"file", "schema", "sample", "compatibility", "lints", "consumer"}
    assert kinds["sample"] == 62 and kinds["lints"] == 27 and kinds["compatibility"] == 16
    assert kinds["consumer"] == 27
    ids = {(f["path"], f["id"]) for f in findings(document)}
    gaps = {
        (f["pointer"], f["line"])
        for f in findings(document)
        if f["id"] == "consumer-reads-missing-field" and f["severity"] == "warning"
    }
    # The demo's deliberate mistakes: consumers reading fields their thin event lacks.
    assert {("/consumers/5/fields/2", 73), ("/consumers/13/fields/1", 160)} <= gaps
    assert ("inventory/StockReserved/event.yaml", "bus-other-domain") in ids
    assert ("returns/ReturnReceived/event.yaml", "bus-other-domain") in ids
    # ... whose bus owners have consented (the buses' `publishers`), so nothing is refused
    assert "bus-publisher-not-allowed" not in {found_id for _, found_id in ids}
    assert ("payments/PaymentFailed/v1.json", "property-description") in ids
    assert ("orders/OrderAmended/v1.json", "ordering-hazard") in ids
    assert ("payments/RefundIssued/v2.json", "ordering-hazard") in ids
    # Shared field names with another JSON type in other events (issue 14, item 5)
    assert ("customers/CustomerRegistered/v3.json", "field-type-conflict") in ids
    assert ("customers/CustomerMarketingConsentChanged/v1.json", "field-type-conflict") in ids
    # Compatible steps that touch a declared consumer's fields name it, as info (item 4)
    assert ("orders/OrderPlaced/v2.json", "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL") in ids
    infos = [f for f in findings(document) if f["severity"] == "info"]
    assert infos and all("read by" in f["message"] for f in infos)
    assert {f["severity"] for f in findings(document)} == {"warning", "info"}


CROSS_BUS = {
    **CLEAN,
    "registry.yaml": "teams: [{slug: checkout, name: Checkout}, {slug: stock, name: Stock}]\n",
    "inventory/domain.yaml": "name: Inventory\nowner: stock\n",
    "inventory/StockReserved/event.yaml": EVENT_YAML,
    "inventory/StockReserved/v1.json": json.dumps(V1),
}


@pytest.mark.parametrize(
    ("publishers", "consent_error"),
    [("", True), ("domain:inv*", False), ("team:stock", False), ("team:checkout", True)],
)
def test_an_event_on_another_teams_bus_needs_the_owners_consent(
    runner, tmp_path, publishers, consent_error
):
    # The registry refuses such an event to anybody but an admin (403), so check says so first.
    domain = "name: Orders\nowner: checkout\nbuses: [{slug: orders-events, router: kafka"
    domain += f", publishers: [{publishers}]}}]\n" if publishers else "}]\n"
    tree = write_tree(tmp_path / "cross", {**CROSS_BUS, "orders/domain.yaml": domain})
    code, document = check_json(runner, tree)
    errors = [
        (f["path"], f["pointer"], f["line"])
        for f in findings(document)
        if f["id"] == "bus-publisher-not-allowed"
    ]
    assert errors == ([("inventory/StockReserved/event.yaml", "/bus", 1)] if consent_error else [])
    assert code == (1 if consent_error else 0)
    ids = {(f["path"], f["id"]) for f in findings(document)}
    assert ("inventory/StockReserved/event.yaml", "bus-other-domain") in ids


def test_consent_is_not_guessed_for_a_bus_the_tree_does_not_declare(runner, tmp_path):
    files = {**CROSS_BUS, "orders/domain.yaml": "name: Orders\nowner: checkout\n"}
    files["inventory/StockReserved/event.yaml"] = EVENT_YAML.replace("orders-events", "elsewhere")
    _code, document = check_json(runner, write_tree(tmp_path / "partial", files))
    assert "bus-publisher-not-allowed" not in {f["id"] for f in findings(document)}


def test_field_type_and_format_conflicts_between_latest_versions_are_warnings(runner, tmp_path):
    def version(total: str, occurred: str) -> str:
        fields = described(
            eventId={"type": "string"},
            orderId={"type": "string"},
            total={"type": total},
            occurredAt={"type": "string", "format": occurred},
        )
        return json.dumps({**V1, "properties": fields})

    tree = write_tree(
        tmp_path / "fields",
        {
            **CLEAN,
            "orders/OrderCancelled/event.yaml": EVENT_YAML,
            "orders/OrderCancelled/v1.json": version("number", "date-time"),
            "orders/OrderRefunded/event.yaml": EVENT_YAML,
            "orders/OrderRefunded/v1.json": version("integer", "date"),
        },
    )
    code, document = check_json(runner, tree)
    assert code == 0
    found = {(f["path"], f["id"], f["pointer"]) for f in findings(document) if "field-" in f["id"]}
    assert found == {
        ("orders/OrderPlaced/v1.json", "field-type-conflict", "/total"),
        ("orders/OrderCancelled/v1.json", "field-type-conflict", "/total"),
        ("orders/OrderRefunded/v1.json", "field-type-conflict", "/total"),
        ("orders/OrderCancelled/v1.json", "field-format-conflict", "/occurredAt"),
        ("orders/OrderRefunded/v1.json", "field-format-conflict", "/occurredAt"),
    }
    [message] = {f["message"] for f in findings(document) if f["id"] == "field-format-conflict"}
    assert "format date in orders.OrderRefunded (/occurredAt)" in message


def test_the_demo_fails_with_strict_warnings(runner):
    code, document = check_json(runner, DEMO, "--strict-warnings")
    assert code == 1 and document["ok"] is False
    # 9 warnings on 8 event types (OrderAmended has two), the email field type conflict on 3
    # other event types, and three consumers reading fields their event lacks
    # (trail-club-points, customer-notifier, delivery-survey-mailer)
    assert document["failed"] == 14


def test_a_clean_tree_exits_0_with_a_text_summary(runner, clean):
    result = run(runner, "check", str(clean))
    assert result.exit_code == 0, result.output
    assert "eventry check: ok: 7 checked, 0 failed (0 errors, 0 warnings, 0 info)" in result.stdout
    assert "\x1b[" not in result.stdout  # no colour when stdout is not a terminal


def test_check_defaults_to_the_current_folder(runner, clean, monkeypatch):
    monkeypatch.chdir(clean)
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 0, result.output


def test_check_usage_errors_exit_2(runner, clean, tmp_path):
    missing = run(runner, "check", str(tmp_path / "nope"))
    assert missing.exit_code == 2 and "does not exist" in missing.output
    assert run(runner, "check", str(clean), "--format", "xml").exit_code == 2
    unwritable = run(runner, "check", str(clean), "--output", str(tmp_path / "no" / "x.json"))
    assert unwritable.exit_code == 2 and "cannot write" in unwritable.output


def test_a_broken_tree_reports_every_kind_of_problem(runner, broken):
    code, document = check_json(runner, broken)
    assert code == 1 and document["ok"] is False
    by_id = {}
    for finding in findings(document):
        by_id.setdefault(finding["id"], []).append(finding)
    malformed = by_id["malformed-file"][0]
    assert malformed["path"] == "orders/OrderShipped/v1.json"
    assert malformed["line"] == 4 and "not valid JSON" in malformed["message"]
    meta = by_id["schema-invalid"][0]
    assert meta["path"] == "orders/OrderPaid/v1.json" and meta["pointer"] == "/type"
    sample = by_id["sample-invalid"][0]
    assert sample["path"] == "orders/OrderPlaced/samples/wrong-total.json"
    assert sample["pointer"] == "/total" and sample["line"] == 5
    assert 'is not of type "integer"' in sample["message"]
    unexpected = by_id["sample-unexpectedly-valid"][0]
    assert unexpected["path"] == "orders/OrderPlaced/samples/invalid-but-fine.json"
    assert "expected to fail" in unexpected["message"]
    step = by_id["OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"]
    assert [(f["path"], f["pointer"]) for f in step] == [
        ("orders/OrderPlaced/v2.json", "/properties/note")
    ]
    lint = by_id["event-name-past-tense"][0]
    assert lint["path"] == "orders/PlaceOrder/event.yaml" and lint["severity"] == "error"
    assert not any(f["path"].startswith("orders/OrderNoted/") for f in findings(document))


def test_items_of_a_broken_tree_are_failed_passed_or_skipped(runner, broken):
    _code, document = check_json(runner, broken)
    status = {(i["suite"], i["name"]): i["status"] for i in document["items"]}
    assert status["orders.OrderNoted", "v2 against v1 (BACKWARD, lenient)"] == "passed"
    assert status["orders.OrderPlaced", "v2 against v1 (BACKWARD, strict)"] == "failed"
    assert status["orders.OrderPlaced", "samples/ok.json"] == "passed"
    assert status["orders.OrderPlaced", "samples/invalid-no-order.json"] == "passed"
    assert status["orders.OrderPaid", "v1.json is a valid JSON Schema"] == "failed"
    # a sample cannot be checked against a schema that is not valid
    assert status["orders.OrderPaid", "samples/any.json"] == "skipped"
    assert status["orders.PlaceOrder", "lints"] == "failed"
    failed = sorted(name for name, value in status.items() if value == "failed")
    assert document["failed"] == len(failed) == 6
    assert document["checked"] == len(document["items"])


def test_junit_has_a_suite_per_event_type_and_counts_failures(runner, broken, tmp_path):
    report = tmp_path / "report.xml"
    result = run(runner, "check", str(broken), "--format", "junit", "--output", str(report))
    assert result.exit_code == 1
    assert "eventry check: FAILED" in result.stdout  # the summary still goes to stdout
    root = ET.parse(report).getroot()
    cases = root.findall("./testsuite/testcase")
    assert int(root.get("tests")) == len(cases)
    assert int(root.get("failures")) == len(root.findall("./testsuite/testcase/failure")) == 6
    assert root.get("errors") == "0"
    assert int(root.get("skipped")) == len(root.findall("./testsuite/testcase/skipped")) > 0
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert {"catalog", "orders", "orders.OrderPlaced", "orders.PlaceOrder"} <= set(suites)
    placed = suites["orders.OrderPlaced"]
    assert int(placed.get("tests")) == len(placed.findall("testcase"))
    assert int(placed.get("failures")) == len(placed.findall("testcase/failure")) == 3
    step = placed.find("testcase[@name='v2 against v1 (BACKWARD, strict)']/failure")
    assert step.get("type") == "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"


def test_junit_of_the_demo_passes(runner):
    result = run(runner, "check", str(DEMO), "--format", "junit")
    root = ET.fromstring(result.stdout)
    assert result.exit_code == 0
    assert root.get("failures") == "0" and int(root.get("tests")) == 211  # 184 and the 27 consumers
    # warnings are shown in the test case's output, not as failures
    assert root.findall(".//system-out")


def test_github_annotations_with_paths_relative_to_the_working_directory(
    runner, tmp_path, monkeypatch
):
    write_tree(tmp_path / "catalog", BROKEN)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["check", "catalog", "--format", "github"])
    lines = result.stdout.splitlines()
    assert result.exit_code == 1
    sample = "orders/OrderPlaced/samples/wrong-total.json,line=5,title=sample-invalid::/total: "
    assert any(line.startswith(f"::error file=catalog/{sample}") for line in lines)
    meta = "::error file=catalog/orders/OrderPaid/v1.json,line=1,title=schema-invalid::/type: "
    assert any(line.startswith(meta) for line in lines)
    assert any("title=event-name-past-tense::" in line for line in lines)
    assert lines[-1].startswith("eventry check: FAILED")


def test_github_warnings_and_notices(runner, clean):
    (clean / "orders/OrderPlaced/event.yaml").write_text("bus: orders-events\nproducer: svc\n")
    result = run(runner, "check", str(clean), "--format", "github")
    assert result.exit_code == 0
    assert "::warning file=" in result.stdout and "title=aggregate-named::" in result.stdout
    strict = run(runner, "check", str(clean), "--format", "github", "--strict-warnings")
    assert strict.exit_code == 1 and "::error file=" in strict.stdout


def test_text_lists_each_problem_with_file_line_and_pointer(runner, broken):
    result = run(runner, "check", str(broken))
    assert result.exit_code == 1
    wrong = f"{broken}/orders/OrderPlaced/samples/wrong-total.json:5: error sample-invalid: "
    assert f'{wrong}/total: "5" is not of type "integer"' in result.stdout
    assert f"{broken}/orders/OrderPaid/samples/any.json: skipped sample: v1.json" in result.stdout
    assert f"{broken}/orders/OrderShipped/event.yaml: skipped lints: v1.json" in result.stdout


# --- eventry validate ----------------------------------------------------------------------------


def test_validate_json_files(runner, clean, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(SAMPLE))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**SAMPLE, "total": "x", "orderId": 3}, indent=2))
    ok = run(runner, "validate", "--event", "orders.OrderPlaced", "--dir", str(clean), str(good))
    assert ok.exit_code == 0, ok.output
    failed = run(
        runner,
        "validate",
        "--event",
        "orders.OrderPlaced",
        "--dir",
        str(clean),
        str(good),
        str(bad),
    )
    assert failed.exit_code == 1
    assert f'{bad}:4: error event-invalid: /orderId: 3 is not of type "string"' in failed.stdout
    assert f"{bad}:5: error event-invalid: /total:" in failed.stdout


def test_validate_json_lines_reports_line_numbers(runner, clean, tmp_path):
    events = tmp_path / "events.jsonl"
    lines = [json.dumps(SAMPLE), "", json.dumps({"eventId": "e"}), "{not json"]
    events.write_text("\n".join(lines) + "\n")
    args = ["validate", "--event", "orders.OrderPlaced", "--dir", str(clean), str(events)]
    result = run(runner, *args, "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert [item["name"] for item in document["items"]] == [
        f"{events}:1",
        f"{events}:3",
        f"{events}:4",
    ]
    found = [(f["line"], f["id"], f["pointer"]) for f in findings(document)]
    assert found == [(3, "event-invalid", ""), (4, "malformed-file", "")]
    assert '"orderId" is a required property' in findings(document)[0]["message"]


def test_validate_reads_json_and_json_lines_from_stdin(runner, clean):
    args = ["validate", "--event", "orders.OrderPlaced", "--dir", str(clean), "-"]
    single = run(runner, *args, input=json.dumps(SAMPLE, indent=2))
    assert single.exit_code == 0, single.output
    stream = json.dumps(SAMPLE) + "\n" + json.dumps({**SAMPLE, "total": 1.5}) + "\n"
    several = run(runner, *args, "--format", "github", input=stream)
    assert several.exit_code == 1
    assert '::error title=event-invalid::/total: 1.5 is not of type "integer"' in several.stdout
    assert "eventry validate: FAILED: 2 checked, 1 failed" in several.stdout


def test_validate_against_an_older_version(runner, broken, tmp_path):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({**SAMPLE, "note": 7}))
    base = ["validate", "--event", "orders.OrderNoted", "--dir", str(broken)]
    assert run(runner, *base, "--version", "1", str(event)).exit_code == 0
    latest = run(runner, *base, str(event))
    assert latest.exit_code == 1 and '/note: 7 is not of type "string"' in latest.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "--event", "orders.Nope", "e.json"], "orders.Nope is not in the tree"),
        (["validate", "--event", "nodot", "e.json"], "is not an event address"),
        (["validate", "--event", "orders.OrderPlaced", "--version", "9", "e.json"], "no version 9"),
        (["validate", "--event", "orders.OrderShipped", "e.json"], "have problems"),
        (["validate", "--event", "orders.OrderPlaced"], "Missing argument"),
        (["validate", "--event", "orders.OrderPlaced", "missing.json"], "does not exist"),
        (["compat", "--event", "orders.Nope", "e.json"], "orders.Nope is not in the tree"),
        (["compat", "--event", "orders.OrderPlaced"], "Missing argument"),
        (["compat", "e.json"], "Missing option '--event'"),
    ],
)
def test_validate_and_compat_usage_errors_exit_2(
    runner, broken, tmp_path, monkeypatch, args, message
):
    (tmp_path / "e.json").write_text("{}")
    monkeypatch.chdir(tmp_path)
    result = run(runner, args[0], "--dir", str(broken), *args[1:])
    assert result.exit_code == 2
    assert message in result.output


# --- eventry compat ------------------------------------------------------------------------------


def test_compat_accepts_a_compatible_next_version(runner, clean, tmp_path):
    schema = tmp_path / "next.json"
    closed = {**V1, "required": ["eventId"]}  # a required property removed: compatible
    schema.write_text(json.dumps(closed))
    args = ["compat", "--event", "orders.OrderPlaced", "--dir", str(clean), str(schema)]
    result = run(runner, *args)
    assert result.exit_code == 0, result.output
    assert "can be registered as orders.OrderPlaced v2 (BACKWARD, strict)" in result.stdout


def test_compat_refuses_an_incompatible_schema_and_prints_every_difference(runner, clean, tmp_path):
    schema = tmp_path / "next.json"
    properties = {**V2["properties"], "total": {"type": "string", "description": "now text"}}
    schema.write_text(json.dumps({**V2, "properties": properties}, indent=2))
    args = ["compat", "--event", "orders.OrderPlaced", "--dir", str(clean), str(schema)]
    result = run(runner, *args, "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert "would be refused as orders.OrderPlaced v2" in document["headline"]
    pairs = {(f["id"], f["pointer"]) for f in findings(document)}
    assert ("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", "/properties/note") in pairs
    assert ("TYPE_CHANGED", "/properties/total") in pairs
    text = run(runner, *args).stdout
    assert "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL" in text and "TYPE_CHANGED" in text


def test_compat_follows_the_event_policy(runner, broken, tmp_path):
    schema = tmp_path / "next.json"
    properties = {**V2["properties"], **described(extra={"type": "string"})}
    schema.write_text(json.dumps({**V2, "properties": properties}))
    args = ["compat", "--dir", str(broken), str(schema)]
    assert run(runner, *args, "--event", "orders.OrderNoted").exit_code == 0  # lenient
    assert run(runner, *args, "--event", "orders.PlaceOrder").exit_code == 1  # strict


def test_compat_of_an_invalid_or_malformed_schema(runner, clean, tmp_path):
    invalid = tmp_path / "invalid.json"
    invalid.write_text(json.dumps({"type": 12}))
    malformed = tmp_path / "malformed.json"
    malformed.write_text("{")
    args = ["compat", "--event", "orders.OrderPlaced", "--dir", str(clean)]
    first = run(runner, *args, str(invalid))
    assert first.exit_code == 1 and "schema-invalid: /type" in first.stdout
    second = run(runner, *args, str(malformed))
    assert second.exit_code == 1 and "not valid JSON" in second.stdout


def test_compat_reads_the_schema_from_stdin(runner, clean):
    args = ["compat", "--event", "orders.OrderPlaced", "--dir", str(clean), "-"]
    same = run(runner, *args, input=json.dumps(V1))
    assert same.exit_code == 0
    assert "is the same schema as orders.OrderPlaced v1" in same.stdout
