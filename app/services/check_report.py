"""The result of an offline check: findings grouped in checked items, and where they are.

Shared by `eventry check`, `eventry validate` and `eventry compat` and by their output formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.core.pointers import split_pointer
from app.core.tree import Problem
from app.core.vocabulary import is_digits


@dataclass(frozen=True)
class Finding:
    """One thing wrong (or worth a look) in a file, with a stable id."""

    id: str
    severity: str  # error, warning or info
    path: str
    message: str
    pointer: str = ""
    line: int | None = None
    hint: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as a JSON-ready dict."""
        keys = ("id", "severity", "path", "line", "pointer", "message", "hint")
        return {key: getattr(self, key) for key in keys}


@dataclass
class CheckItem:
    """One checked thing: a test case in JUnit terms, grouped in a suite (the event type)."""

    suite: str
    name: str
    kind: str  # file, schema, sample, compatibility, lints, payload
    path: str
    findings: list[Finding] = field(default_factory=list)
    skipped: str = ""  # why the item could not be checked


@dataclass
class TreeReport:
    """Every checked item; an item fails when one of its findings has a failing severity."""

    root: str | None
    items: list[CheckItem] = field(default_factory=list)
    strict_warnings: bool = False
    headline: str = ""

    def failing(self, finding: Finding) -> bool:
        """Tell whether a finding makes its item fail."""
        return finding.severity == "error" or (
            self.strict_warnings and finding.severity == "warning"
        )

    def item_failed(self, item: CheckItem) -> bool:
        return any(self.failing(finding) for finding in item.findings)

    @property
    def findings(self) -> list[Finding]:
        return [finding for item in self.items for finding in item.findings]

    @property
    def checked(self) -> int:
        return len(self.items)

    @property
    def failed(self) -> int:
        return sum(1 for item in self.items if self.item_failed(item))

    @property
    def skipped(self) -> int:
        return sum(1 for item in self.items if item.skipped)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)


class TreeError(Exception):
    """The tree cannot answer a question about one event (missing, or its files are broken)."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class Lines:
    """Finds the line of a JSON pointer in a JSON or YAML file, reading each file once."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self._nodes: dict[str, yaml.Node | None] = {}

    def line(self, path: str, pointer: str) -> int | None:
        """Return the 1-based line of the pointer's deepest existing node, or None."""
        node = self._node(path)
        if node is None:
            return None
        line = node.start_mark.line
        try:
            tokens = split_pointer(pointer)
        except ValueError:
            tokens = []
        for token in tokens:
            step = _child(node, token)
            if step is None:
                break
            line, node = step
        return line + 1

    def _node(self, path: str) -> yaml.Node | None:
        if path not in self._nodes:
            self._nodes[path] = _compose(self.base / path)
        return self._nodes[path]


def _compose(file: Path) -> yaml.Node | None:
    try:
        text = file.read_text(encoding="utf-8")
        if file.suffix != ".yaml":
            text = text.replace("\t", " ")  # JSON allows tabs as whitespace, YAML does not
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def _child(node: yaml.Node, token: str) -> tuple[int, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == token:
                return key.start_mark.line, value
    elif isinstance(node, yaml.SequenceNode) and is_digits(token) and int(token) < len(node.value):
        value = node.value[int(token)]
        return value.start_mark.line, value
    return None


@dataclass(frozen=True)
class Payload:
    """A JSON document read by an adapter: path, line, and its value or why it cannot be read."""

    path: str
    line: int | None = None
    value: Any = None
    error: str = ""
