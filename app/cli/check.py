"""Offline CI commands: `eventry check`, `eventry validate` and `eventry compat`.

They read a schemas-as-code tree and need neither a server nor a database.
Exit codes: 0 clean, 1 problems found, 2 usage or configuration error.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from app.cli.documents import read_document, read_documents
from app.cli.output import emit, output_options
from app.cli.remote import Registry, RemoteError, event_path
from app.core.lifecycle import LEAVING, version_notice
from app.core.tree import EventSpec
from app.services import fan_out, schemas
from app.services.check_report import CheckItem, Finding, Lines, TreeError, TreeReport
from app.services.tree_check import check_tree
from app.services.tree_event import (
    candidate_item,
    check_next_version,
    tree_schema,
    validate_payloads,
)

# Trees with more event types than this get a progress bar (on a terminal only).
PROGRESS_THRESHOLD = 50

_TREE = click.Path(exists=True, file_okay=False, path_type=Path)
_DIR_HELP = "The schemas-as-code tree to read."


class ConfigurationError(click.ClickException):
    """The tree cannot answer the question (unknown event, broken files): exit 2."""

    exit_code = 2


def _event_option(command: Any) -> Any:
    return click.option(
        "--event",
        "ref",
        required=True,
        metavar="DOMAIN.EventName",
        help="The event type, e.g. orders.OrderPlaced.",
    )(command)


def _configuration_error(error: TreeError) -> ConfigurationError:
    lines = [str(error), *(f"  {problem}" for problem in error.problems)]
    return ConfigurationError("\n".join(lines))


def _finish(code: int) -> None:
    click.get_current_context().exit(code)


@click.command("check")
@click.argument("directory", default=".", type=_TREE)
@click.option(
    "--strict-warnings", is_flag=True, help="Fail (exit 1) on warnings too, not only on errors."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Processes to check event types in (default: one per usable core; a tree of fewer "
    f"than {fan_out.LEAST_PER_PROCESS * 2} event types is checked in one). The report is the "
    "same whatever the number.",
)
@output_options
def check_command(
    directory: Path, strict_warnings: bool, jobs: int | None, fmt: str, output: Path | None
) -> None:
    """Check a schemas-as-code tree in DIRECTORY (default: the current folder).

    Reports malformed files and meta-schema errors, samples that fail the latest version (or
    invalid-* samples that pass it), incompatible version steps under each event's compatibility
    level and policy, and the event-storming lints. Exit 0 clean, 1 problems, 2 usage error.
    """
    processes = jobs or fan_out.usable_cores()
    with _fewer_collections():
        report = check_tree(
            directory, strict_warnings=strict_warnings, progress=_progress, processes=processes
        )
    _finish(emit(report, fmt, output, "eventry check"))


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the garbage collector's youngest generation every 10,000 allocations, not 700.

    A check builds the whole tree's documents and keeps them to the end, so the frequent
    collections scan live objects and find next to no garbage: about a tenth of the CPU of
    checking 1,000 event types (docs/performance.md). The thresholds are restored after."""
    before = gc.get_threshold()
    gc.set_threshold(10_000, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _progress(events: list[EventSpec]) -> Iterable[EventSpec]:
    """A progress bar on stderr for big trees when stderr is a terminal; silent otherwise."""
    if len(events) <= PROGRESS_THRESHOLD or not sys.stderr.isatty():
        return events
    return _bar(events)


def _bar(events: list[EventSpec]) -> Iterator[EventSpec]:
    with click.progressbar(events, label="Checking event types", file=sys.stderr) as bar:
        yield from bar


def _server_options(command: Any) -> Any:
    command = click.option("--token", envvar="EVENTRY_TOKEN", help="API token, if reads need one.")(
        command
    )
    return click.option(
        "--url", envvar="EVENTRY_URL", help="Ask this registry instead of a tree (or $EVENTRY_URL)."
    )(command)


def schema_source(
    directory: Path, ref: str, version: int | None, url: str | None = None, token: str | None = None
) -> tuple[int, Any]:
    """Where `validate` takes its schema from: (version number, schema). Exit 2 if unavailable."""
    if url:
        try:
            found = Registry(url, token).get(f"{event_path(ref)}/versions/{version or 'latest'}")
        except (RemoteError, ValueError) as error:
            raise ConfigurationError(str(error)) from None
        return found["version"], schemas.from_registry(found["schema"], found.get("dialect"))
    try:
        spec = tree_schema(directory, ref, version)
    except TreeError as error:
        raise _configuration_error(error) from None
    if spec.document is None:
        raise ConfigurationError(f"{spec.path} is not a valid JSON Schema: run eventry check")
    return spec.number, spec.document


@click.command("validate")
@_event_option
@click.option("--version", type=click.IntRange(min=1), help="Schema version (default: latest).")
@click.option("--dir", "directory", default=".", show_default=True, type=_TREE, help=_DIR_HELP)
@_server_options
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, allow_dash=True)
)
@output_options
def validate_command(
    ref: str,
    version: int | None,
    directory: Path,
    url: str | None,
    token: str | None,
    files: tuple[str, ...],
    fmt: str,
    output: Path | None,
) -> None:
    """Validate events in FILES against a schema version of an event type.

    A FILE is a JSON document, JSON Lines (.jsonl or .ndjson: one event per line), or - for
    standard input (JSON or JSON Lines). Every error is reported with its file, its line and the
    JSON pointer into the event. Exit 0 all valid, 1 some invalid, 2 usage error.
    """
    number, schema = schema_source(directory, ref, version, url, token)
    payloads = [payload for name in files for payload in read_documents(name)]
    report = validate_payloads(ref, number, schema, payloads, Lines(Path.cwd()))
    _finish(emit(report, fmt, output, "eventry validate"))


@click.command("compat")
@_event_option
@click.option("--dir", "directory", default=".", show_default=True, type=_TREE, help=_DIR_HELP)
@_server_options
@click.argument("schema_file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@output_options
def compat_command(
    ref: str,
    directory: Path,
    url: str | None,
    token: str | None,
    schema_file: str,
    fmt: str,
    output: Path | None,
) -> None:
    """Would SCHEMA_FILE be accepted as the next version of an event type in the tree?

    Checks it against the JSON Schema meta-schema and against the earlier versions under the
    event's compatibility level and policy. Exit 0 compatible, 1 not (every difference is
    printed), 2 usage error.
    """
    candidate = read_document(schema_file)
    if url:
        _finish(emit(_server_verdict(url, token, ref, candidate), fmt, output, "eventry compat"))
        return
    try:
        report = check_next_version(directory, ref, candidate, Lines(Path.cwd()))
    except TreeError as error:
        raise _configuration_error(error) from None
    _finish(emit(report, fmt, output, "eventry compat"))


def _server_verdict(url: str, token: str | None, ref: str, candidate: Any) -> TreeReport:
    """Ask the registry whether it would register the candidate, as a report."""
    lines = Lines(Path.cwd())
    valid, document = candidate_item(ref, candidate, lines)
    step = CheckItem(
        ref, f"{candidate.path} against the registry's versions", "compatibility", candidate.path
    )
    report = TreeReport(None, [valid, step])
    if document is None:
        step.skipped = f"{candidate.path} is not a valid JSON Schema"
        report.headline = f"{candidate.path} would be refused by {url}"
        return report
    registry = Registry(url, token)
    try:
        body = {"schema": candidate.value}
        verdict = registry.call("POST", f"{event_path(ref)}/compatibility", body)[1]
    except (RemoteError, ValueError) as error:
        raise ConfigurationError(str(error)) from None
    impact = verdict.get("impact") or [{}] * len(verdict["differences"])
    for difference, touched in zip(verdict["differences"], impact, strict=True):
        # a compatible difference is news (info) only to the declared consumers it touches
        if difference["compatible"] and not touched.get("consumers"):
            continue
        whom = f" ({touched['summary']})" if touched.get("summary") else ""
        step.findings.append(
            Finding(
                difference["type"],
                "info" if difference["compatible"] else "error",
                candidate.path,
                difference["message"] + whom,
                difference["path"],
            )
        )
    for evidence in verdict.get("evidence", []):
        step.findings.append(Finding("sample-breaks", "error", candidate.path, evidence["message"]))
    for pinned in verdict.get("pinned", []):
        if pinned["differences"] != []:  # touched, or its version is purged: cannot tell
            step.findings.append(
                Finding("consumer-version", "warning", candidate.path, pinned["summary"])
            )
    step.findings += _leaving_pins(registry, ref, verdict.get("pinned", []), candidate.path)
    outcome = "can be registered" if report.ok else "would be refused"
    report.headline = (
        f"{candidate.path} {outcome} as the next version of {ref} on {url} "
        f"({verdict['level']}, {verdict['policy']})"
    )
    return report


def _leaving_pins(registry: Registry, ref: str, pinned: list[dict], path: str) -> list[Finding]:
    """A warning for each pinned consumer whose version the registry says is deprecated or
    retired (as `eventry check` warns from a tree: consumer-of-deprecated-version)."""
    found = []
    for entry in pinned:
        try:
            answer = registry.get(f"{event_path(ref)}/versions/{entry['version']}")
        except (RemoteError, ValueError):  # purged or deleted since: nothing to tell
            continue
        stage = answer.get("lifecycle") or {"state": "active"}
        if stage["state"] in LEAVING:
            message = version_notice(entry["name"], entry["version"], ref, stage)
            found.append(Finding("consumer-of-deprecated-version", "warning", path, message))
    return found
