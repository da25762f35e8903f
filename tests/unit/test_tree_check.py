"""The offline tree check: compatibility levels, skipped items and line numbers of pointers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.services.check_report import Lines
from app.services.tree_check import check_tree

REGISTRY = "teams: [{slug: t, name: T}]\n"
DOMAIN = "name: Orders\nowner: t\nbuses: [{slug: orders-events, router: kafka}]\n"


def text_schema(max_length: int) -> str:
    properties = {
        "eventId": {"type": "string", "description": "id"},
        "occurredAt": {"type": "string", "description": "when"},
        "note": {"type": "string", "maxLength": max_length, "description": "a note"},
    }
    return json.dumps({"type": "object", "additionalProperties": False, "properties": properties})


def tree(root: Path, event_yaml: str, *lengths: int, registry: str = REGISTRY) -> Path:
    files = {"registry.yaml": registry, "orders/domain.yaml": DOMAIN}
    files["orders/NoteAdded/event.yaml"] = "bus: orders-events\nproducer: p\naggregate: A\n"
    files["orders/NoteAdded/event.yaml"] += event_yaml
    for number, length in enumerate(lengths, start=1):
        files[f"orders/NoteAdded/v{number}.json"] = text_schema(length)
    for relative, content in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(content, encoding="utf-8")
    return root


def steps(report) -> dict[str, list[str]]:
    return {
        item.name: [f.message for f in item.findings]
        for item in report.items
        if item.kind == "compatibility"
    }


def test_backward_compares_with_the_latest_version_only(tmp_path):
    report = check_tree(tree(tmp_path, "", 10, 5, 5))
    found = steps(report)
    assert list(found) == ["v2 against v1 (BACKWARD, strict)", "v3 against v2 (BACKWARD, strict)"]
    assert len(found["v2 against v1 (BACKWARD, strict)"]) == 1
    assert found["v3 against v2 (BACKWARD, strict)"] == []
    assert report.failed == 1


def test_transitive_levels_compare_with_every_earlier_version(tmp_path):
    report = check_tree(tree(tmp_path, "compatibility: BACKWARD_TRANSITIVE\n", 10, 5, 5))
    found = steps(report)
    third = found["v3 against v1, v2 (BACKWARD_TRANSITIVE, strict)"]
    assert len(third) == 1 and "(against v1, backward; no declared consumer reads this)" in third[0]
    failing = [f for f in report.findings if f.path == "orders/NoteAdded/v3.json"]
    assert [(f.id, f.pointer) for f in failing] == [
        ("MAX_LENGTH_DECREASED", "/properties/note/maxLength")
    ]


def test_forward_and_registry_defaults(tmp_path):
    registry = REGISTRY + "compatibility: FORWARD\npolicy: lenient\n"
    report = check_tree(tree(tmp_path, "", 5, 10, registry=registry))
    assert steps(report) == {
        "v2 against v1 (FORWARD, lenient)": [
            next(f.message for f in report.findings if f.id == "MAX_LENGTH_DECREASED")
        ]
    }
    assert "(against v1, forward;" in report.findings[0].message


def test_none_checks_nothing(tmp_path):
    report = check_tree(tree(tmp_path, "compatibility: NONE\n", 10, 1))
    assert steps(report) == {"v2 against nothing (NONE, strict)": []}


def test_an_event_without_versions_skips_its_samples_and_still_lints(tmp_path):
    root = tree(tmp_path, "")
    (root / "orders/NoteAdded/samples").mkdir()
    (root / "orders/NoteAdded/samples/one.json").write_text('{"eventId": "e"}')
    report = check_tree(root)
    sample = next(item for item in report.items if item.kind == "sample")
    assert sample.skipped == "the event type has no schema version"
    lints = next(item for item in report.items if item.kind == "lints")
    assert not lints.skipped
    assert report.ok


def test_broken_references_have_their_own_id(tmp_path):
    root = tree(tmp_path, "", 5)
    (root / "orders/NoteAdded/event.yaml").write_text("bus: nowhere\nproducer: p\naggregate: A\n")
    report = check_tree(root)
    assert [(f.id, f.path, f.pointer, f.line) for f in report.findings] == [
        ("broken-reference", "orders/NoteAdded/event.yaml", "/bus", 1)
    ]


def test_a_missing_root_is_one_failed_item(tmp_path):
    report = check_tree(tmp_path / "missing")
    assert report.checked == report.failed == 1
    assert report.findings[0].message == "is not a folder"


def test_strict_warnings_fail_items_with_warnings(tmp_path):
    root = tree(tmp_path, "", 5)
    (root / "orders/NoteAdded/event.yaml").write_text("bus: orders-events\nproducer: p\n")
    assert check_tree(root).ok
    strict = check_tree(root, strict_warnings=True)
    assert not strict.ok and strict.failed == 1
    assert [f.id for f in strict.findings] == ["aggregate-named"]


@pytest.mark.parametrize(
    ("pointer", "line"),
    [("", 1), ("/a", 2), ("/a/b/1", 5), ("/a/missing", 2), ("/c~1d", 7), ("bad", 1)],
)
def test_lines_of_pointers_in_json_with_tabs(tmp_path, pointer, line):
    text = '{\n\t"a": {\n\t\t"b": [\n\t\t\t1,\n\t\t\t2\n\t\t]},\n\t"c/d": true\n}'
    (tmp_path / "x.json").write_text(text)
    assert Lines(tmp_path).line("x.json", pointer) == line


def test_lines_in_yaml_and_unreadable_files(tmp_path):
    (tmp_path / "e.yaml").write_text("# comment\nbus: b\nversions:\n  - version: 2\n")
    (tmp_path / "bad.json").write_text("{")
    lines = Lines(tmp_path)
    assert lines.line("e.yaml", "/versions/0/version") == 4
    assert lines.line("e.yaml", "/bus") == 2
    assert lines.line("bad.json", "") is None
    assert lines.line("absent.json", "/a") is None


def history(deleted_at: str) -> str:
    second = f"  - {{version: 2, created_at: '2026-01-02T00:00:00Z', deleted_at: '{deleted_at}'}}\n"
    return "versions:\n" + second + "  - {version: 3, created_at: '2026-01-03T00:00:00Z'}\n"


def test_a_soft_deleted_version_counts_only_for_versions_registered_while_it_was_live(tmp_path):
    before = check_tree(tree(tmp_path / "before", history("2026-01-02T12:00:00Z"), 10, 5, 10))
    assert steps(before) == {"v3 against v1 (BACKWARD, strict)": []}
    assert before.failed == 0  # v2 broke v1, but it is deleted and nothing depends on it
    after = check_tree(tree(tmp_path / "after", history("2026-01-04T00:00:00Z"), 10, 5, 10))
    assert steps(after) == {"v3 against v2 (BACKWARD, strict)": []}
