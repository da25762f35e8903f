"""`eventry check`'s consumer items: each consumer of a schemas-as-code tree against the events
of its bus, as the registry judges them (app.core.routing.delivery for who receives what,
app.core.routing.lint for what is wrong): a rule that can never match or matches everything,
and fields it reads that an event it receives does not carry."""

from __future__ import annotations

from app.core.analysis import field_pointers
from app.core.errors import InvalidInput
from app.core.impact import Reader, concerned, impact, pinned, pinned_elsewhere
from app.core.lifecycle import LEAVING, move_notice, version_notice
from app.core.routing import compile_rule
from app.core.routing.delivery import consumer_scope, grammar_of, reception
from app.core.routing.lint import ConsumerFinding, consumer_findings
from app.core.schema import SchemaDocument
from app.core.tree import CatalogSpec, ConsumerSpec, EventSpec
from app.core.version_diff import diff_versions
from app.services.check_report import CheckItem, Finding, Lines

CONSUMERS_FILE = "consumers.yaml"


def consumer_items(catalog: CatalogSpec, lines: Lines) -> list[CheckItem]:
    """One item per consumer whose bus is in the tree and whose rule its router accepts (a
    refused rule is already a finding of consumers.yaml)."""
    routers = {bus.slug: bus.router for bus in catalog.buses}
    items = []
    for consumer in catalog.consumers:
        router = routers.get(consumer.bus)
        if router is None:
            continue
        try:
            grammar = grammar_of(router, consumer_scope(router, consumer.scope))
            rule = compile_rule(consumer.pattern, *grammar) if consumer.pattern else None
        except InvalidInput:  # InvalidPattern too
            continue
        item = CheckItem("consumers", consumer.name, "consumer", CONSUMERS_FILE)
        for event in catalog.events:
            if event.bus == consumer.bus:
                item.findings += _findings(consumer, rule, router, event, lines)
        items.append(_once(item))
    return items


def _findings(consumer: ConsumerSpec, rule, router: str, event: EventSpec, lines: Lines):
    live = event.live_versions
    latest = live[-1] if live else None
    document = latest.document if latest is not None else None
    samples = [(s.name, s.payload) for s in event.samples if s.expect_valid]
    scope = consumer_scope(router, consumer.scope)  # checked by consumer_items
    answer = reception(
        consumer.pattern, router, event.name, samples, document, consumer.event, scope, event.ref
    )
    facts = {
        "rule": rule,
        "declared": consumer.event == event.ref,
        "fields": list(consumer.fields),
        "calls_back": consumer.calls_back,
        "scope": grammar_of(router, scope)[1],
    }
    event_fields = field_pointers(document, [p for _n, p in samples])
    found = consumer_findings(facts, router, event.name, document, event_fields, answer.receives)
    schema_path = latest.path if latest is not None else f"{event.path}/event.yaml"
    listed = [_finding(consumer, event.ref, schema_path, f, lines) for f in found]
    if answer.receives or facts["declared"]:
        listed += _leaving(consumer, event, lines)
    return listed


def _leaving(consumer: ConsumerSpec, event: EventSpec, lines: Lines) -> list[Finding]:
    """A warning for a consumer of a deprecated or retired event type, and for one pinned to a
    deprecated or retired version of it: it should move."""
    found = []
    line = lines.line(CONSUMERS_FILE, consumer.pointer)
    hint = f"{event.path}/event.yaml#/lifecycle"
    if event.stage["state"] in LEAVING:
        message = move_notice(consumer.name, event.ref, event.stage)
        found.append(
            Finding(
                "consumer-of-deprecated-event",
                "warning",
                CONSUMERS_FILE,
                message,
                consumer.pointer,
                line,
                hint,
            )
        )
    version = _pinned_version(consumer, event)
    if version is not None and version.stage["state"] in LEAVING:
        message = version_notice(consumer.name, version.number, event.ref, version.stage)
        pointer = f"{consumer.pointer}/version"
        hint = f"{event.path}/event.yaml#/versions"
        line = lines.line(CONSUMERS_FILE, pointer)
        found.append(
            Finding(
                "consumer-of-deprecated-version",
                "warning",
                CONSUMERS_FILE,
                message,
                pointer,
                line,
                hint,
            )
        )
    return found


def _pinned_version(consumer: ConsumerSpec, event: EventSpec):
    if consumer.event != event.ref or consumer.version is None:
        return None
    return next((v for v in event.versions if v.number == consumer.version), None)


def _finding(
    consumer: ConsumerSpec, ref: str, schema_path: str, found: ConsumerFinding, lines: Lines
) -> Finding:
    if found.rule_pointer is not None:
        pointer = f"{consumer.pointer}/pattern{found.rule_pointer}"
    else:
        index = list(consumer.fields).index(found.field_pointer)
        pointer = f"{consumer.pointer}/fields/{index}"
    hint = f"{schema_path}#{found.schema_pointer}" if found.schema_pointer is not None else ""
    message = f"{consumer.name} on {ref}: {found.message}"
    line = lines.line(CONSUMERS_FILE, pointer)
    return Finding(found.kind.value, found.severity, CONSUMERS_FILE, message, pointer, line, hint)


def _once(item: CheckItem) -> CheckItem:
    """A rule-wide finding (a rule matching everything) once, not once per event."""
    seen, kept = set(), []
    for finding in item.findings:
        key = (finding.id, finding.pointer) if finding.id == "rule-matches-everything" else None
        if key is None or key not in seen:
            kept.append(finding)
            seen.add(key)
    item.findings = kept
    return item


def tree_readers(catalog: CatalogSpec, event: EventSpec) -> list[Reader]:
    """The consumers of the tree that declare the event or whose rule receives it, with the
    fields they read (for the consumer impact of a change, app.core.impact)."""
    routers = {bus.slug: bus.router for bus in catalog.buses}
    live = event.live_versions
    document = live[-1].document if live else None
    samples = [(s.name, s.payload) for s in event.samples if s.expect_valid]
    found = []
    for consumer in catalog.consumers:
        router = routers.get(consumer.bus)
        declared = consumer.event == event.ref
        if not declared and (router is None or consumer.bus != event.bus):
            continue
        if not declared and not _receives(consumer, router, event, samples, document):
            continue
        version = consumer.version if declared else None
        found.append(Reader(consumer.name, consumer.team, tuple(consumer.fields), version))
    return found


def _receives(consumer: ConsumerSpec, router, event: EventSpec, samples, document) -> bool:
    try:
        scope = consumer_scope(router, consumer.scope)
        answer = reception(
            consumer.pattern,
            router,
            event.name,
            samples,
            document,
            consumer.event,
            scope,
            event.ref,
        )
        return answer.receives
    except InvalidInput:  # a refused rule or scope is a finding of its own
        return False


def pinned_judgement(
    event: EventSpec,
    readers: list[Reader],
    change: tuple[int | None, SchemaDocument, int | None],
    policy: str,
    path: str,
) -> tuple[list[Reader], list[Finding]]:
    """For a change ``(old, new document, new)`` of the tree's event (new None: a candidate),
    as the registry judges it (app.services.impact.of_change): the readers the compared pair
    concerns, and a ``consumer-version`` warning for each reader pinned to another version
    whose fields the differences from its own version to the new document touch (or whose
    version is purged: it cannot be compared)."""
    old, document, new = change
    compared = [r for r in readers if concerned(r, new) and not pinned_elsewhere(r, old, new)]
    own = {version.number: version.document for version in event.versions}
    found = []
    for reader in readers:
        if not pinned_elsewhere(reader, old, new):
            continue
        before = own.get(reader.version or 0)
        differences = None
        if before is not None:
            report = diff_versions(before, document, policy)["differences"]
            differences = [(str(d["type"]), str(d.get("path") or "")) for d in report]
        entry = pinned(reader, differences, new)
        if entry.impacts != ():  # touched, or purged: cannot tell
            found.append(Finding("consumer-version", "warning", path, entry.summary))
    return compared, found


def step_findings(
    differences: list, readers: list[Reader], path: str, lines: Lines, severity: str, where: str
) -> list[Finding]:
    """A version step's differences as findings of ``severity`` (id: the difference type),
    each saying which ``readers`` read the field it changes (``impact``). An ``info`` one
    (a compatible difference) is listed only when a declared consumer reads its field: a
    compatible change is news only to those who read it."""
    hits = impact([(d.type, d.path) for d in differences], readers)
    return [
        Finding(
            difference.type,
            severity,
            path,
            f"{difference.message} ({where}; {hit.summary})",
            difference.path,
            lines.line(path, difference.path),
        )
        for difference, hit in zip(differences, hits, strict=True)
        if severity != "info" or hit.consumers
    ]
