"""Check a schemas-as-code tree offline: files, samples, compatibility steps and event lints.

No server and no database: everything is read from the folder. Every checked thing (a metadata
file, a version's meta-schema check, a sample, a compatibility step, an event's lints) becomes one
CheckItem, so that a CI system can show one test case per item.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path

from app.core import access
from app.core.analysis import LintFinding, classify, lint, ordering_hazard
from app.core.errors import Conflict, InvalidInput
from app.core.lifecycle import LIFECYCLES, Lifecycle, Stage, moved, version_successor
from app.core.tree import (
    BusSpec,
    CatalogSpec,
    EventSpec,
    Problem,
    SampleSpec,
    VersionSpec,
    cross_check,
)
from app.core.validation import validate_event
from app.services import fan_out
from app.services.check_report import CheckItem, Finding, Lines, TreeReport
from app.services.tree_consumers import (
    consumer_items,
    pinned_judgement,
    tree_readers,
)
from app.services.tree_fields import conflict_findings
from app.services.tree_reader import read_tree
from app.services.tree_steps import (
    comparison_targets,
    compat_findings,
    effective_rules,
    example_findings,
    ignored_keyword_findings,
    step_name,
)

_VERSION_PATH = re.compile(r"^(?P<folder>.+)/v(?P<number>[1-9][0-9]*)\.json$")
_LINE_IN_MESSAGE = re.compile(r"\bline (\d+),? column \d+")
# Lint pointers that address the event's metadata (event.yaml) rather than its schema.
_EVENT_POINTERS = {
    "/name": "",
    "/producer": "/producer",
    "/aggregate": "/aggregate",
    "/bus_domain": "/bus",
    "/bus": "/bus",
}

Progress = Callable[[list[EventSpec]], Iterable[EventSpec]]


def _lifecycle_findings(event: EventSpec, path: str, ctx: _Context) -> list[Finding]:
    """The lifecycle block as the registry would take it (app.core.lifecycle.moved): a day,
    a successor that is another event type of the tree, and a reason for a retirement (a
    deprecation without one is the bare flag, as exports write it)."""
    block = event.lifecycle
    if block is None or block.get("state") not in LIFECYCLES:  # a schema error already
        return []
    stage = Stage(Lifecycle(block["state"]), block.get("since"), block.get("reason"))
    stage = replace(stage, successor=block.get("successor"))
    if stage.state is Lifecycle.DEPRECATED and not stage.reason:
        stage = replace(stage, reason="the flag alone")
    found = []
    try:
        moved(Stage(Lifecycle.DRAFT), stage, event.ref, date.today())
    except InvalidInput as error:
        pointer = "/lifecycle" + (error.errors[0]["pointer"] if error.errors else "")
        found.append(ctx.finding("lifecycle-invalid", path, error.detail, pointer))
    refs = {each.ref for each in ctx.catalog.events}
    if stage.successor and stage.successor != event.ref and stage.successor not in refs:
        message = f"{event.ref}'s successor {stage.successor} is no event type of the tree"
        found.append(ctx.finding("lifecycle-invalid", path, message, "/lifecycle/successor"))
    return found


def _version_lifecycle_findings(event: EventSpec, path: str, ctx: _Context) -> list[Finding]:
    """Each version's lifecycle block as the registry would take it: a day, a reason, and a
    successor that is another version of the event in the tree."""
    found = []
    numbers = {version.number for version in event.versions}
    for version in event.versions:
        block = version.lifecycle
        if block is None or block.get("state") not in LIFECYCLES:  # a schema error already
            continue
        ref = f"version {version.number} of {event.ref}"
        wanted = Stage(Lifecycle(block["state"]), block.get("since"), block.get("reason"))
        wanted = replace(wanted, successor=block.get("successor"))
        try:
            check = version_successor(version.number)
            moved(Stage(), wanted, ref, date.today(), True, check)
        except (InvalidInput, Conflict) as error:
            found.append(
                ctx.finding("lifecycle-invalid", path, f"{ref}: {error.detail}", "/versions")
            )
            continue
        if wanted.successor is not None and wanted.successor not in numbers:
            message = f"{ref}: its successor, version {wanted.successor}, is not in the tree"
            found.append(ctx.finding("lifecycle-invalid", path, message, "/versions"))
    return found


@dataclass
class _Context:
    """What every event check needs: the catalogue, its buses, broken versions and lines."""

    catalog: CatalogSpec
    lines: Lines
    buses: dict[str, BusSpec] = field(default_factory=dict)
    broken: dict[str, set[int]] = field(default_factory=dict)  # event folder -> version numbers
    # event ref -> its field-type/format conflicts with other events' latest versions
    field_conflicts: dict[str, list[LintFinding]] = field(default_factory=dict)

    def finding(
        self,
        check_id: str,
        path: str,
        message: str,
        pointer: str = "",
        severity: str = "error",
        hint: str = "",
    ) -> Finding:
        """A finding with the line of its pointer in the file."""
        line = self.lines.line(path, pointer)
        return Finding(check_id, severity, path, message, pointer, line, hint)


def check_tree(
    root: Path,
    *,
    strict_warnings: bool = False,
    progress: Progress | None = None,
    processes: int = 1,
) -> TreeReport:
    """Check a whole tree; `progress` may wrap the list of event types (e.g. in a progress bar).

    The tree is read here; each event type's checks run in up to `processes` processes
    (app.services.fan_out: forked, for a big tree), the report the same item for item as in
    one. Raises nothing for a broken tree: every problem is a finding of the report."""
    catalog, problems = read_tree(root)
    ctx = _Context(catalog, Lines(root), {bus.slug: bus for bus in catalog.buses})
    for problem in problems:
        match = _VERSION_PATH.match(problem.path)
        if match:
            ctx.broken.setdefault(match["folder"], set()).add(int(match["number"]))
    ctx.field_conflicts = conflict_findings(_latest_documents(catalog, ctx))
    work = fan_out.answers(partial(_checked_event, ctx=ctx), catalog.events, processes)
    version_findings: dict[str, list[Finding]] = {}
    event_items: list[CheckItem] = []
    # The progress wrapper sees each event type as its answer arrives.
    for _event, (found, items) in zip((progress or list)(catalog.events), work, strict=True):
        version_findings.update(found)
        event_items += items
    files = _file_items(root, ctx, problems, version_findings)
    report = TreeReport(str(root), files + event_items, strict_warnings)
    report.items.extend(consumer_items(catalog, ctx.lines))
    return report


def _checked_event(
    event: EventSpec, ctx: _Context
) -> tuple[dict[str, list[Finding]], list[CheckItem]]:
    """One event type's checks: its version files' findings (keywords that do nothing, no
    example) by path, and its items (samples, compatibility steps, lints)."""
    found = {
        version.path: ignored_keyword_findings(version.document, version.path, ctx.lines)
        + example_findings(version.document, version.path, ctx.lines)
        for version in event.versions
        if version.document is not None
    }
    return found, _event_items(event, ctx)


def _latest_documents(catalog: CatalogSpec, ctx: _Context) -> dict[str, tuple]:
    """Each event's latest usable version: (number, document), for the field conflicts."""
    found = {}
    for event in catalog.events:
        latest, why = _usable_latest(event, ctx)
        if latest is not None and not why and latest.document is not None:
            found[event.ref] = (latest.number, latest.document)
    return found


def _file_items(
    root: Path, ctx: _Context, problems: list[Problem], version_findings: dict[str, list[Finding]]
) -> list[CheckItem]:
    """(1) One item per metadata file and version file, plus one per other file with problems."""
    catalog = ctx.catalog
    paths = [name for name in ("registry.yaml", "consumers.yaml") if (root / name).is_file()]
    paths += [domain.path for domain in catalog.domains]
    for event in catalog.events:
        paths.append(f"{event.path}/event.yaml")
        paths += [version.path for version in event.versions]
    items = {path: _file_item(path) for path in paths}
    for path, found in version_findings.items():
        items[path].findings += found
    references = set(cross_check(catalog)) if problems else set()
    for problem in problems:
        item = items.setdefault(problem.path, _file_item(problem.path))
        line = _line_in(problem.message) or ctx.lines.line(problem.path, problem.pointer)
        check_id = _problem_id(problem, references)
        item.findings.append(
            Finding(check_id, "error", problem.path, problem.message, problem.pointer, line)
        )
    return list(items.values())


def _file_item(path: str) -> CheckItem:
    suite, name = _suite_and_name(path)
    if _VERSION_PATH.match(path):
        return CheckItem(suite, f"{name} is a valid JSON Schema", "schema", path)
    kind = "sample" if "/samples/" in path else "file"
    return CheckItem(suite, name or "(folder)", kind, path)


def _suite_and_name(path: str) -> tuple[str, str]:
    """Event files group under domain.EventName, domain.yaml under the domain, others 'catalog'."""
    parts = path.split("/")
    if len(parts) >= 3 or (len(parts) == 2 and "." not in parts[1]):
        return f"{parts[0]}.{parts[1]}", "/".join(parts[2:])
    if len(parts) == 2:
        return parts[0], parts[1]
    return "catalog", path


def _line_in(message: str) -> int | None:
    match = _LINE_IN_MESSAGE.search(message)
    return int(match.group(1)) if match else None


def _problem_id(problem: Problem, references: set[Problem]) -> str:
    if problem in references:
        return "broken-reference"
    if problem.message.startswith(("not valid JSON", "not valid YAML")):
        return "malformed-file"
    if _VERSION_PATH.match(problem.path):
        return "schema-invalid"
    if problem.path.endswith(".yaml"):
        return "missing-file" if problem.message.startswith("missing") else "metadata-invalid"
    return "tree-layout"


def _event_items(event: EventSpec, ctx: _Context) -> list[CheckItem]:
    latest, why = _usable_latest(event, ctx)
    items = [_sample_item(event, sample, latest, why, ctx) for sample in event.samples]
    # Each live version against the earlier ones that were live when it was registered.
    items += [
        _compat_item(event, version, ctx)
        for version in event.live_versions
        if event.live_when_registered(version)
    ]
    items.append(_lint_item(event, latest, why, ctx))
    return items


def _usable_latest(event: EventSpec, ctx: _Context) -> tuple[VersionSpec | None, str]:
    """The latest live version if it can be trusted; else None and why ('' when there is none)."""
    live, deleted = event.live_versions, {v.number for v in event.versions if not v.live}
    latest = live[-1] if live else None
    broken = [
        n
        for n in ctx.broken.get(event.path, ())
        if n not in deleted and (latest is None or n >= latest.number)
    ]
    if broken:
        return None, f"v{max(broken)}.json, the latest version, is not a usable schema"
    return latest, ""


def _sample_item(
    event: EventSpec, sample: SampleSpec, latest: VersionSpec | None, why: str, ctx: _Context
) -> CheckItem:
    """(2) A valid sample passes the latest version; an invalid-* sample fails it."""
    _suite, name = _suite_and_name(sample.path)
    item = CheckItem(event.ref, name, "sample", sample.path)
    if latest is None:
        item.skipped = why or "the event type has no schema version"
        return item
    errors = validate_event(latest.document, sample.payload)
    if sample.expect_valid:
        item.findings += [
            ctx.finding(
                "sample-invalid",
                sample.path,
                f"{error.message} (against v{latest.number}, schema {error.schema_path or '/'})",
                error.path,
            )
            for error in errors
        ]
    elif not errors:
        message = f"expected to fail against v{latest.number} but validates"
        hint = "Samples named invalid-* must not validate; fix the sample or tighten the schema."
        item.findings.append(
            ctx.finding("sample-unexpectedly-valid", sample.path, message, hint=hint)
        )
    return item


def _compat_item(event: EventSpec, new: VersionSpec, ctx: _Context) -> CheckItem:
    """(3) A version against the earlier ones its level compares with."""
    level, policy = effective_rules(event, ctx.catalog)
    previous = event.live_when_registered(new)
    targets = comparison_targets(previous, level)
    name = step_name(new.number, targets, level, policy)
    item = CheckItem(event.ref, name, "compatibility", new.path)
    broken = ctx.broken.get(event.path, set()) & {v.number for v in [new, *targets]}
    if broken:
        item.skipped = f"v{min(broken)}.json is not a usable schema"
        return item
    old = previous[-1].number if previous else None
    change = (old, new.document, new.number)
    readers, pinned = pinned_judgement(
        event, tree_readers(ctx.catalog, event), change, policy, new.path
    )
    item.findings = compat_findings(
        previous, new.document, new.path, level, policy, ctx.lines, readers
    )
    item.findings += pinned
    return item


def _bus_facts(event: EventSpec, bus: BusSpec | None, catalog: CatalogSpec) -> dict:
    """The bus facts as the registry states them (`access.bus_facts`), teams read from the tree."""
    owners = {domain.slug: domain.owner for domain in catalog.domains}
    if bus is None:
        return access.bus_facts(None, event.domain, owners.get(event.domain))
    rule = access.BusOwnership(bus.slug, bus.domain, owners.get(bus.domain, ""), bus.publishers)
    return access.bus_facts(rule, event.domain, owners.get(event.domain))


def _lint_item(event: EventSpec, latest: VersionSpec | None, why: str, ctx: _Context) -> CheckItem:
    """(4) The event-storming lints and the ordering hazard of the latest version."""
    item = CheckItem(event.ref, "lints", "lints", f"{event.path}/event.yaml")
    item.findings += _lifecycle_findings(event, item.path, ctx)
    item.findings += _version_lifecycle_findings(event, item.path, ctx)
    if why:
        item.skipped = why
        return item
    document = latest.document if latest is not None and isinstance(latest.schema, dict) else None
    samples = [s.payload for s in event.samples if s.expect_valid and isinstance(s.payload, dict)]
    bus = ctx.buses.get(event.bus or "")
    shape = classify(document, samples).shape if document is not None or samples else None
    meta = {"domain": event.domain, "name": event.name, "producer": event.producer}
    meta |= {"aggregate": event.aggregate} | _bus_facts(event, bus, ctx.catalog)
    schema_path = latest.path if latest is not None else item.path
    for found in lint(meta, document, samples, shape):
        path, pointer = schema_path, found.pointer
        if found.pointer in _EVENT_POINTERS:
            path, pointer = item.path, _EVENT_POINTERS[found.pointer]
        item.findings.append(
            ctx.finding(
                found.id, path, found.message, pointer, severity=found.severity, hint=found.hint
            )
        )
    for found in ctx.field_conflicts.get(event.ref, []):
        # The pointer addresses the event, not the schema file: no line to show.
        item.findings.append(
            Finding(
                found.id,
                found.severity,
                schema_path,
                found.message,
                found.pointer,
                None,
                found.hint,
            )
        )
    hazard = ordering_hazard(shape, bus.router, document, samples) if shape and bus else None
    if hazard is not None:
        item.findings.append(
            ctx.finding(
                "ordering-hazard", schema_path, hazard.message, severity="warning", hint=hazard.fix
            )
        )
    return item
