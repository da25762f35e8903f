"""The checks of one version that `eventry check` (tree_check) and the one-event commands
(tree_event) share: the compatibility step (the level and policy that apply, the versions it
compares with, its findings) and the findings a schema draws on its own (keywords its dialect
ignores, no example event).

No server and no database: everything comes from the tree's specs.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.core.compatibility import check, compares_all, is_compatible_type
from app.core.examples import no_example
from app.core.impact import Reader
from app.core.schema import SchemaDocument
from app.core.tree import CatalogSpec, EventSpec, VersionSpec
from app.core.vocabulary import DEFAULT_COMPATIBILITY, CompatibilityLevel
from app.services.check_report import Finding, Lines
from app.services.tree_consumers import step_findings

DEFAULT_LEVEL, DEFAULT_POLICY = DEFAULT_COMPATIBILITY, "strict"


def effective_rules(event: EventSpec, catalog: CatalogSpec) -> tuple[CompatibilityLevel, str]:
    """An event's compatibility level and policy: event.yaml, else registry.yaml, else default."""
    # The files' levels are names their metadata schemas have checked against the enum's values.
    level = CompatibilityLevel(event.compatibility or catalog.compatibility or DEFAULT_LEVEL)
    return level, event.policy or catalog.policy or DEFAULT_POLICY


def comparison_targets(previous: list[VersionSpec], level: CompatibilityLevel) -> list[VersionSpec]:
    """The earlier versions a level compares a new version with."""
    if level is CompatibilityLevel.NONE:
        return []
    return previous if compares_all(level) else previous[-1:]


def step_name(
    number: int, targets: list[VersionSpec], level: CompatibilityLevel, policy: str
) -> str:
    against = ", ".join(f"v{v.number}" for v in targets) or "nothing"
    return f"v{number} against {against} ({level}, {policy})"


def compat_findings(
    previous: Iterable[VersionSpec],
    schema: SchemaDocument,
    path: str,
    level: CompatibilityLevel,
    policy: str,
    lines: Lines,
    readers: list[Reader] | None = None,
) -> list[Finding]:
    """Every incompatible difference of schema against the previous versions (each with a
    checked document), as findings (error); each says which of ``readers`` (the event's
    consumers) read the field it changes, or that no declared consumer reads it. A compatible
    difference that touches a reader's declared fields is an ``info`` finding naming them
    (issue 14 item 4: every compatibility answer names the consumers a difference touches)."""
    earlier = list(previous)
    result = check([(v.number, v.document) for v in earlier], schema, level, policy)
    allowed = [d for d in result.differences if is_compatible_type(d.type, policy)]
    against = f"against v{result.failed_version or (earlier[-1].number if earlier else '')}"
    notes = step_findings(allowed, readers or [], path, lines, "info", f"{against}; compatible")
    if result.compatible:
        return notes
    where = f"v{result.failed_version}, {result.direction}"
    breaking = [d for d in result.differences if not is_compatible_type(d.type, policy)]
    return notes + step_findings(breaking, readers or [], path, lines, "error", f"against {where}")


def ignored_keyword_findings(document: SchemaDocument, path: str, lines: Lines) -> list[Finding]:
    """A warning for each keyword the document's dialect ignores (a constraint dropped)."""
    return [
        Finding(
            "keyword-ignored",
            "warning",
            path,
            warning.message,
            warning.pointer,
            lines.line(path, warning.pointer),
        )
        for warning in document.warnings
    ]


def example_findings(document: SchemaDocument, path: str, lines: Lines) -> list[Finding]:
    """A finding when the version cannot produce an example event (app.core.examples)."""
    verdict = no_example(document)
    if verdict is None:
        return []
    severity, pointer, message = verdict
    hint = "GET …/versions/N/example shows the same; see docs/interop.md for the limits."
    line = lines.line(path, pointer)
    return [Finding("no-example", severity, path, message, pointer, line, hint)]
