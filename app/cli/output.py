"""Output formats of the offline commands (check, validate, compat): text, json, junit, github."""

from __future__ import annotations

import json
import os
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from app.core.words import counted
from app.services.check_report import CheckItem, Finding, TreeReport

FORMATS = ("text", "json", "junit", "github")
_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
_GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --format and --output to a command (as the `fmt` and `output` parameters)."""
    command = click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        help="Write the report to FILE instead of standard output.",
    )(command)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="text",
        show_default=True,
        help="text for people, json for tools, junit for CI test reports, "
        "github for GitHub Actions annotations.",
    )(command)


def emit(report: TreeReport, fmt: str, output: Path | None, title: str) -> int:
    """Write the report in a format to a file or standard output; return the exit code (0 or 1)."""
    if output is None:
        colour = fmt == "text" and _colour_wanted()
        click.echo(render(report, fmt, title, colour), nl=False, color=colour)
    else:
        try:
            output.write_text(render(report, fmt, title, colour=False), encoding="utf-8")
        except OSError as error:
            raise click.UsageError(f"cannot write {output}: {error.strerror}") from None
        click.echo(summary(report, title))
    return 0 if report.ok else 1


def _colour_wanted() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def render(report: TreeReport, fmt: str, title: str, colour: bool = False) -> str:
    """Return the whole report as text in one of FORMATS."""
    if fmt == "json":
        return json.dumps(as_document(report), indent=2, ensure_ascii=False) + "\n"
    if fmt == "junit":
        return as_junit(report, title)
    if fmt == "github":
        return as_github(report, title)
    return as_text(report, title, colour)


def shown_path(report: TreeReport, path: str) -> str:
    """A finding's path as people and CI systems want it: relative to the working directory."""
    if report.root is None or not path:
        return path
    full = Path(report.root) / path
    if full.is_absolute():
        try:
            return full.relative_to(Path.cwd()).as_posix()
        except ValueError:  # outside the working directory: keep it absolute
            pass
    return full.as_posix()


def summary(report: TreeReport, title: str) -> str:
    """One line: what was checked and what failed."""
    counts = f"{counted(report.count('error'), 'error')}, "
    counts += f"{counted(report.count('warning'), 'warning')}, "
    counts += f"{report.count('info')} info"
    skipped = f", {report.skipped} skipped" if report.skipped else ""
    verdict = "ok" if report.ok else "FAILED"
    checked = f"{report.checked} checked, {report.failed} failed{skipped}"
    line = f"{title}: {verdict}: {checked} ({counts})"
    return f"{report.headline}\n{line}" if report.headline else line


# --- text ---------------------------------------------------------------------------------------


def as_text(report: TreeReport, title: str, colour: bool) -> str:
    """One line per finding (`path:line: severity id: pointer: message`), then the summary."""
    lines = []
    for item in report.items:
        for finding in item.findings:
            lines.extend(_text_finding(report, finding, colour))
        if item.skipped:
            where = click.style(shown_path(report, item.path), bold=colour)
            lines.append(f"{where}: skipped {item.kind}: {item.skipped}")
    done = summary(report, title)
    lines.append(click.style(done, fg="green" if report.ok else "red") if colour else done)
    return "\n".join(lines) + "\n"


def _text_finding(report: TreeReport, finding: Finding, colour: bool) -> list[str]:
    where = shown_path(report, finding.path) + (f":{finding.line}" if finding.line else "")
    severity = finding.severity
    if colour:
        where = click.style(where, bold=True)
        severity = click.style(severity, fg=_COLOURS.get(severity), bold=True)
    pointer = f"{finding.pointer}: " if finding.pointer else ""
    out = [f"{where}: {severity} {finding.id}: {pointer}{finding.message}"]
    if finding.hint:
        out.append(f"    hint: {finding.hint}")
    return out


# --- json ---------------------------------------------------------------------------------------


def as_document(report: TreeReport) -> dict[str, Any]:
    """The stable JSON document: paths are relative to `root` (or as given when root is null)."""
    return {
        "ok": report.ok,
        "checked": report.checked,
        "failed": report.failed,
        "skipped": report.skipped,
        "errors": report.count("error"),
        "warnings": report.count("warning"),
        "infos": report.count("info"),
        "root": report.root,
        "headline": report.headline,
        "items": [_item_dict(report, item) for item in report.items],
    }


def _status(report: TreeReport, item: CheckItem) -> str:
    if report.item_failed(item):
        return "failed"
    return "skipped" if item.skipped else "passed"


def _item_dict(report: TreeReport, item: CheckItem) -> dict[str, Any]:
    return {
        "suite": item.suite,
        "name": item.name,
        "kind": item.kind,
        "path": item.path,
        "status": _status(report, item),
        "skipped": item.skipped,
        "findings": [finding.to_dict() for finding in item.findings],
    }


# --- junit --------------------------------------------------------------------------------------


def as_junit(report: TreeReport, title: str) -> str:
    """JUnit XML: a <testsuite> per event type, a <testcase> per checked item."""
    suites: dict[str, list[CheckItem]] = {}
    for item in report.items:
        suites.setdefault(item.suite, []).append(item)
    root = ET.Element("testsuites", name=title)
    _counts(root, report, report.items)
    for name, items in suites.items():
        suite = ET.SubElement(root, "testsuite", name=name)
        _counts(suite, report, items)
        for item in items:
            _testcase(suite, report, item)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _counts(element: ET.Element, report: TreeReport, items: list[CheckItem]) -> None:
    statuses = [_status(report, item) for item in items]
    element.set("tests", str(len(items)))
    element.set("failures", str(statuses.count("failed")))
    element.set("errors", "0")
    element.set("skipped", str(statuses.count("skipped")))


def _testcase(suite: ET.Element, report: TreeReport, item: CheckItem) -> None:
    case = ET.SubElement(suite, "testcase", classname=item.suite, name=item.name)
    case.set("file", shown_path(report, item.path))
    failing = [f for f in item.findings if report.failing(f)]
    others = [f for f in item.findings if not report.failing(f)]
    if failing:
        first = failing[0]
        if first.line:
            case.set("line", str(first.line))
        failure = ET.SubElement(case, "failure", message=first.message, type=first.id)
        failure.text = "\n".join(_plain(report, f) for f in failing)
    elif item.skipped:
        ET.SubElement(case, "skipped", message=item.skipped)
    if others:
        ET.SubElement(case, "system-out").text = "\n".join(_plain(report, f) for f in others)


def _plain(report: TreeReport, finding: Finding) -> str:
    return _text_finding(report, finding, colour=False)[0]


# --- github -------------------------------------------------------------------------------------


def as_github(report: TreeReport, title: str) -> str:
    """GitHub Actions workflow commands: one ::error/::warning/::notice line per finding."""
    lines = [_annotation(report, finding) for finding in report.findings]
    lines += [
        f"{shown_path(report, item.path)}: skipped {item.kind}: {item.skipped}"
        for item in report.items
        if item.skipped
    ]
    lines.append(summary(report, title))
    return "\n".join(lines) + "\n"


def _annotation(report: TreeReport, finding: Finding) -> str:
    level = _GITHUB_LEVELS.get(finding.severity, "notice")
    if report.failing(finding):
        level = "error"
    props = []
    path = shown_path(report, finding.path)
    if path and path != "<stdin>":
        props.append(f"file={_escape_property(path)}")
        if finding.line:
            props.append(f"line={finding.line}")
    props.append(f"title={_escape_property(finding.id)}")
    pointer = f"{finding.pointer}: " if finding.pointer else ""
    message = pointer + finding.message + (f"\n{finding.hint}" if finding.hint else "")
    return f"::{level} {','.join(props)}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
