"""Reading the JSON documents that `eventry validate` and `eventry compat` are given."""

from __future__ import annotations

import json
from pathlib import Path

import click

from app.core import limits
from app.core.canonical import CanonicalJSONError, parse_json
from app.services.check_report import Payload

JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
STDIN = "-"
STDIN_LABEL = "<stdin>"


def read_documents(name: str) -> list[Payload]:
    """Read events from a JSON file, a JSON Lines file (.jsonl, .ndjson) or '-' (stdin: JSON
    or JSON Lines); an event nested deeper than EVENTRY_MAX_EVENT_DEPTH is an error."""
    if name == STDIN:
        data = _stdin()
        whole = parse_one(STDIN_LABEL, data)
        if whole.error and len(_non_blank(data)) > 1:
            return [_as_event(p) for p in parse_lines(STDIN_LABEL, data)]
        return [_as_event(whole)]
    data = Path(name).read_bytes()
    if name.lower().endswith(JSON_LINES_SUFFIXES):
        return [_as_event(p) for p in parse_lines(name, data)]
    return [_as_event(parse_one(name, data))]


def _as_event(payload: Payload) -> Payload:
    if payload.error:
        return payload
    try:
        limits.check_event(payload.value)
    except limits.LimitExceeded as error:
        return Payload(payload.path, payload.line, error=error.detail)
    return payload


def read_document(name: str) -> Payload:
    """Read one JSON document from a file or '-' (stdin)."""
    if name == STDIN:
        return parse_one(STDIN_LABEL, _stdin())
    return parse_one(name, Path(name).read_bytes())


def parse_one(label: str, data: bytes, line: int | None = None) -> Payload:
    """Parse one JSON document strictly (no duplicate keys, no NaN)."""
    try:
        return Payload(label, line, parse_json(data, limits.current(), "max_event_depth"))
    except limits.LimitExceeded as error:
        return Payload(label, line, error=error.detail)
    except json.JSONDecodeError as error:
        where = line or error.lineno
        return Payload(label, where, error=f"not valid JSON: {error.msg} (column {error.colno})")
    except (CanonicalJSONError, UnicodeDecodeError) as error:
        return Payload(label, line, error=f"not valid JSON: {error}")


def parse_lines(label: str, data: bytes) -> list[Payload]:
    """Parse JSON Lines: one document per non-blank line, each with its line number."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return [Payload(label, None, error=f"not UTF-8: {error}")]
    return [
        parse_one(label, line.encode("utf-8"), number)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]


def _non_blank(data: bytes) -> list[bytes]:
    return [line for line in data.splitlines() if line.strip()]


def _stdin() -> bytes:
    with click.open_file(STDIN, "rb") as stream:
        return stream.read()
