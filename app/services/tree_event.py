"""One event of a schemas-as-code tree, offline: its schema versions, payloads validated against
one of them, and whether a candidate schema would be accepted as its next version.

Only live versions count, as in the registry: a soft-deleted version keeps its number (the next
one is after every number given, purged ones included) but is neither validated against nor
compared with.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from app.core.canonical import canonical_json
from app.core.schema import InvalidSchema, SchemaDocument
from app.core.tree import CatalogSpec, EventSpec, VersionSpec
from app.core.validation import validate_event
from app.services.check_report import CheckItem, Finding, Lines, Payload, TreeError, TreeReport
from app.services.tree_consumers import pinned_judgement, tree_readers
from app.services.tree_reader import read_tree
from app.services.tree_steps import (
    comparison_targets,
    compat_findings,
    effective_rules,
    ignored_keyword_findings,
    step_name,
)


def load_event(root: Path, ref: str) -> tuple[CatalogSpec, EventSpec]:
    """Read the tree and return one event (domain.EventName) whose own files are sound."""
    domain, _dot, name = ref.partition(".")
    if not domain or not name:
        raise TreeError(f"{ref!r} is not an event address; write domain.EventName")
    catalog, problems = read_tree(root)
    folder = f"{domain}/{name}"
    relevant = [p for p in problems if _concerns(p.path, folder)]
    if relevant:
        raise TreeError(f"the files of {ref} have problems; `eventry check` lists them", relevant)
    for event in catalog.events:
        if event.ref == ref:
            return catalog, event
    raise TreeError(f"{ref} is not in the tree {root}", problems)


def _concerns(path: str, folder: str) -> bool:
    inside = path == folder or path.startswith(folder + "/")
    return path == "registry.yaml" or (inside and "/samples/" not in path)


def tree_schema(root: Path, ref: str, version: int | None = None) -> VersionSpec:
    """Return live version N (default: the latest live one) of an event's schema in the tree."""
    _catalog, event = load_event(root, ref)
    live = event.live_versions
    if not live:
        raise TreeError(f"{ref} has no live schema version in {root}")
    for spec in event.versions:
        if spec.number == (version or live[-1].number):
            if not spec.live:
                raise TreeError(f"{ref} v{version} is soft-deleted; name a live version")
            return spec
    raise TreeError(f"{ref} has no version {version} (the latest is v{live[-1].number})")


def validate_payloads(
    ref: str, version: int, schema: SchemaDocument, payloads: Iterable[Payload], lines: Lines
) -> TreeReport:
    """Validate documents against one schema version: one item per document."""
    report = TreeReport(None, headline=f"validated against {ref} v{version}")
    for payload in payloads:
        name = payload.path if payload.line is None else f"{payload.path}:{payload.line}"
        item = CheckItem(ref, name, "payload", payload.path)
        if payload.error:
            item.findings.append(
                Finding("malformed-file", "error", payload.path, payload.error, "", payload.line)
            )
        for error in [] if payload.error else validate_event(schema, payload.value):
            line = payload.line or lines.line(payload.path, error.path)
            message = f"{error.message} (schema {error.schema_path or '/'})"
            item.findings.append(
                Finding("event-invalid", "error", payload.path, message, error.path, line)
            )
        report.items.append(item)
    return report


def check_next_version(root: Path, ref: str, candidate: Payload, lines: Lines) -> TreeReport:
    """Would the candidate schema be accepted as the event's next version in the tree?"""
    catalog, event = load_event(root, ref)
    level, policy = effective_rules(event, catalog)
    number, live = event.last_version + 1, event.live_versions
    label = candidate.path
    valid, document = candidate_item(ref, candidate, lines)
    targets = comparison_targets(list(live), level)
    step = CheckItem(ref, step_name(number, targets, level, policy), "compatibility", label)
    if document is None:
        step.skipped = f"{label} is not a valid JSON Schema"
    else:
        old = live[-1].number if live else None
        readers, pinned = pinned_judgement(
            event, tree_readers(catalog, event), (old, document, None), policy, label
        )
        step.findings = compat_findings(live, document, label, level, policy, lines, readers)
        step.findings += pinned
    report = TreeReport(None, [valid, step])
    verdict = "can be registered" if report.ok else "would be refused"
    report.headline = f"{label} {verdict} as {ref} v{number} ({level}, {policy})"
    text = None if candidate.error else canonical_json(candidate.value)
    same = [v.number for v in live if canonical_json(v.schema) == text]
    if same and report.ok:
        report.headline = f"{label} is the same schema as {ref} v{same[0]}: nothing new to register"
    return report


def candidate_item(
    ref: str, candidate: Payload, lines: Lines
) -> tuple[CheckItem, SchemaDocument | None]:
    """The check that a candidate schema file is a valid JSON Schema, and its document (None
    when it is not one); keywords its dialect ignores are warnings."""
    label = candidate.path
    item = CheckItem(ref, f"{label} is a valid JSON Schema", "schema", label)
    if candidate.error:
        item.findings.append(
            Finding("malformed-file", "error", label, candidate.error, "", candidate.line)
        )
        return item, None
    try:
        document = SchemaDocument.checked(candidate.value)
    except InvalidSchema as error:
        for problem in error.problems:
            line = lines.line(label, problem.pointer)
            item.findings.append(
                Finding("schema-invalid", "error", label, problem.message, problem.pointer, line)
            )
        return item, None
    item.findings += ignored_keyword_findings(document, label, lines)
    return item, document
