"""Time `eventry check` on a generated tree: 1,000 event types x 3 versions x 5 samples.

Not a test. Run it with `.venv/bin/python bench/check_speed.py [EVENT_TYPES]`; the target (issue
#13, "Scale") is `eventry check` under 10 s for 1,000 event types. It runs the command as a user
does (its own process, the default number of processes, then `--jobs 1`; wall time and the CPU
of the command and the processes it started), then `check_tree` in this process with its CPU
time, which a busy machine does not inflate, and how much of it is reading the tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from app.services import fan_out  # noqa: E402
from app.services.tree_check import check_tree  # noqa: E402
from app.services.tree_reader import read_tree  # noqa: E402

DOMAINS = 20
VERSIONS = 3
SAMPLES = 5
TARGET_SECONDS = 10.0


def schema(name: str, version: int) -> dict:
    """A closed event schema of ~15 properties; each version adds an optional one."""
    properties = {
        "eventId": {"type": "string", "format": "uuid", "description": "Unique event id."},
        "occurredAt": {"type": "string", "format": "date-time", "description": "When it happened."},
        "entityId": {"type": "string", "pattern": "^ent_[0-9a-z]{8}$", "description": "Entity."},
        "entityVersion": {"type": "integer", "minimum": 1, "description": "Entity version."},
        "status": {
            "enum": ["new", "active", "closed", *(["archived"] if version >= 3 else [])],
            "description": "Lifecycle status.",
        },
        "amount": {
            "type": "object",
            "additionalProperties": False,
            "required": ["value", "currency"],
            "description": "A money amount in minor units.",
            "properties": {
                "value": {"type": "integer", "description": "Minor units."},
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217."},
            },
        },
        "lines": {
            "type": "array",
            "description": "The lines.",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "sku": {"type": "string", "description": "Stock-keeping unit."},
                    "quantity": {"type": "integer", "minimum": 1, "description": "How many."},
                },
            },
        },
    }
    for extra in range(8):
        properties[f"attribute{extra}"] = {"type": "string", "description": f"Attribute {extra}."}
    if version >= 2:
        properties["note"] = {"type": "string", "maxLength": 500, "description": "A free note."}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": name,
        "type": "object",
        "additionalProperties": False,
        "required": ["eventId", "occurredAt", "entityId", "entityVersion", "status"],
        "properties": properties,
    }


def sample(index: int) -> dict:
    return {
        "eventId": f"6f1c2a3b-0000-4000-8000-{index:012d}",
        "occurredAt": "2024-05-01T10:00:00Z",
        "entityId": f"ent_{index:08d}",
        "entityVersion": index + 1,
        "status": "active",
        "amount": {"value": 1299, "currency": "GBP"},
        "lines": [{"sku": "LK-1", "quantity": 2}],
        **{f"attribute{n}": f"value {n}" for n in range(8)},
    }


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def generate(root: Path, event_types: int) -> None:
    """Write the tree: DOMAINS domains sharing the event types, one Kafka bus each."""
    write(root / "registry.yaml", "teams: [{slug: team, name: Team}]\n")
    for domain in range(DOMAINS):
        slug = f"domain-{domain}"
        bus = f"bus-{domain}"
        write(
            root / slug / "domain.yaml",
            f"name: D{domain}\nowner: team\nbuses: [{{slug: {bus}, router: kafka}}]\n",
        )
    for number in range(event_types):
        domain = number % DOMAINS
        name = f"Thing{number}Changed"
        folder = root / f"domain-{domain}" / name
        meta = f"bus: bus-{domain}\nproducer: svc-{domain}\naggregate: Thing\n"
        write(folder / "event.yaml", meta)
        for version in range(1, VERSIONS + 1):
            write(folder / f"v{version}.json", json.dumps(schema(name, version), indent=2))
        for index in range(SAMPLES - 1):
            write(folder / "samples" / f"sample-{index}.json", json.dumps(sample(index)))
        write(folder / "samples" / "invalid-status.json", json.dumps({**sample(9), "status": "x"}))


def command_time(root: Path, options: list[str]) -> str:
    """`eventry check` run as a user runs it: its wall time and CPU time, children included."""
    eventry = str(Path(sys.executable).with_name("eventry"))
    before, started = os.times(), time.perf_counter()
    done = subprocess.run([eventry, "check", str(root), *options], capture_output=True, text=True)
    seconds, after = time.perf_counter() - started, os.times()
    cpu = after.children_user + after.children_system
    cpu -= before.children_user + before.children_system
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]
    named = " ".join(options) or f"(default: {fan_out.usable_cores()} usable cores)"
    return f"eventry check {named}: {seconds:.2f} s, {cpu:.2f} s of CPU; {summary}"


def main() -> None:
    event_types = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory(prefix="eventry-bench-") as folder:
        root = Path(folder)
        generate(root, event_types)
        for jobs in ([], ["--jobs", "1"]):
            print(command_time(root, jobs))
        started, cpu = time.perf_counter(), time.thread_time()
        report = check_tree(root)
        seconds, cpu = time.perf_counter() - started, time.thread_time() - cpu
        started = time.perf_counter()
        read_tree(root)  # reading alone: files, YAML and the meta-schema check of every version
        reading = time.perf_counter() - started
    print(
        f"check_tree: {event_types} event types x {VERSIONS} versions x {SAMPLES} samples: "
        f"{seconds:.2f} s, {cpu:.2f} s of CPU ({report.checked} items, {report.failed} failed, "
        f"{report.count('warning')} warnings); target < {TARGET_SECONDS:.0f} s"
    )
    print(
        f"  of which read_tree {reading:.2f} s, samples + compatibility + lints "
        f"{seconds - reading:.2f} s"
    )
    if report.failed:
        print("unexpected failures:", *report.findings[:5], sep="\n  ")


if __name__ == "__main__":
    main()
