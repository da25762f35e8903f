"""`eventry validate` over many events goes through the one validation path (the fast path
where it agrees, app/core/fast_path.py): each event's findings are exactly the reference
path's errors, line by line."""

from __future__ import annotations

import json

from click.testing import CliRunner

from app.cli.main import main
from app.config import DEMO_CATALOG
from app.core.schema import SchemaDocument
from app.core.validation import reference_report

EVENT = DEMO_CATALOG / "orders" / "OrderPlaced"


def test_findings_of_a_large_json_lines_file_are_the_reference_paths(tmp_path):
    samples = [json.loads(p.read_text("utf-8")) for p in sorted(EVENT.glob("samples/*.json"))]
    events = [samples[index % len(samples)] for index in range(400)]
    events[7] = {**events[7], "orderId": 12, "surprise": True}
    path = tmp_path / "events.ndjson"
    path.write_text("".join(json.dumps(event) + "\n" for event in events))
    args = ["validate", "--event", "orders.OrderPlaced", "--dir", str(DEMO_CATALOG)]
    result = CliRunner().invoke(main, [*args, str(path), "--format", "json"])
    assert result.exit_code == 1, result.output
    found = {
        (finding["line"], finding["pointer"], finding["message"])
        for item in json.loads(result.stdout)["items"]
        for finding in item["findings"]
    }
    latest = max(EVENT.glob("v*.json"), key=lambda p: int(p.stem[1:]))
    document = SchemaDocument.checked(json.loads(latest.read_text("utf-8")))
    expected = {
        (line, error.path, f"{error.message} (schema {error.schema_path or '/'})")
        for line, event in enumerate(events, 1)
        for error in reference_report(document, event).errors
    }
    assert found == expected
    assert len({line for line, _, _ in found}) == 201  # two invalid samples of four, and line 8
