"""Pretty-printed JSON whose every line knows its JSON pointer, so errors can point into it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from app.core.pointers import escape


@dataclass
class Line:
    """One printed line of a JSON value, the pointer of the value it shows, and its errors."""

    number: int
    indent: int
    text: str
    pointer: str
    errors: list[Any] = field(default_factory=list)


def json_lines(value: Any) -> list[Line]:
    """Print a JSON value with two-space indents, one member or item per line."""
    lines: list[Line] = []
    _emit(lines, value, "", 0, "", "")
    return lines


def _emit(lines: list[Line], value: Any, pointer: str, indent: int, prefix: str, suffix: str):
    def add(text: str, at: int = indent) -> None:
        lines.append(Line(len(lines) + 1, at, text, pointer))

    if isinstance(value, dict) and value:
        add(prefix + "{")
        items = list(value.items())
        for index, (key, child) in enumerate(items):
            comma = "," if index < len(items) - 1 else ""
            label = json.dumps(key, ensure_ascii=False) + ": "
            _emit(lines, child, f"{pointer}/{escape(key)}", indent + 1, label, comma)
        add("}" + suffix)
    elif isinstance(value, list) and value:
        add(prefix + "[")
        for index, child in enumerate(value):
            comma = "," if index < len(value) - 1 else ""
            _emit(lines, child, f"{pointer}/{index}", indent + 1, "", comma)
        add("]" + suffix)
    else:
        add(prefix + json.dumps(value, ensure_ascii=False) + suffix)


def attach_errors(lines: list[Line], errors: list[Any]) -> list[tuple[Any, int | None]]:
    """Put each error (with a .path pointer) on the first line of the value it is about.

    An error about a missing member goes on its parent. Returns (error, line number) pairs.
    """
    first_line: dict[str, Line] = {}
    for line in lines:
        first_line.setdefault(line.pointer, line)
    placed = []
    for error in errors:
        pointer = error.path
        while pointer not in first_line and pointer:
            pointer = pointer.rsplit("/", 1)[0]
        line = first_line.get(pointer)
        if line is not None:
            line.errors.append(error)
        placed.append((error, line.number if line else None))
    return placed
