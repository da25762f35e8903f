"""Reading an AsyncAPI document's text: JSON or YAML, bounded before anything walks it."""

from __future__ import annotations

import datetime
import json
import math
from typing import Any

import yaml

from app.core.errors import InvalidInput
from app.core.pointers import to_pointer

# A YAML alias repeats a node without repeating its text, so a small document can stand for a
# huge one ("billion laughs"); every value is counted as it is copied and the copy stops here.
MAX_NODES = 200_000
MAX_DEPTH = 256
SUPPORTED = ("2.", "3.")


def load_text(text: bytes | str, most_bytes: int) -> dict[str, Any]:
    """Parse a document (JSON, or YAML 1.1 by ``yaml.safe_load``: no Python objects) of at
    most ``most_bytes`` bytes into plain JSON values.

    Raises InvalidInput (422) when it is too long, not JSON nor YAML, expands past MAX_NODES
    values or MAX_DEPTH levels, or is not an AsyncAPI 2.x or 3.x document; each problem with
    its pointer."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if len(raw) > most_bytes:
        raise InvalidInput(f"the document is larger than the limit of {most_bytes:,} bytes")
    try:
        parsed = yaml.safe_load(raw)  # JSON is YAML 1.2; what 1.1 reads differently is rare
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 1}, column {where.column + 1})" if where else ""
        raise InvalidInput(f"the document is neither JSON nor YAML{line}: {error}") from None
    except RecursionError:
        raise InvalidInput("the document nests too deeply to read") from None
    document = _Copier().copy(parsed, [])
    if not isinstance(document, dict):
        raise InvalidInput("an AsyncAPI document is an object", [_problem("", "not an object")])
    version = document.get("asyncapi")
    if not isinstance(version, str) or not version.startswith(SUPPORTED):
        raise InvalidInput(
            f"the document is not AsyncAPI 2.x or 3.x (asyncapi: {str(version)[:40]!r})",
            [_problem("/asyncapi", "give the AsyncAPI version, such as 3.0.0 or 2.6.0")],
        )
    return document


def dumps_json(document: dict[str, Any]) -> str:
    """The document as indented JSON text."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def dumps_yaml(document: dict[str, Any]) -> str:
    """The document as YAML text, keys in the document's order and no anchors."""
    return yaml.dump(document, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=100)


class _PlainDumper(yaml.SafeDumper):
    # Values repeated in the document are written out again, not as &anchors and *aliases,
    # which some AsyncAPI tools refuse.
    def ignore_aliases(self, data: Any) -> bool:
        return True


class _Copier:
    """Copies YAML values into JSON values, counting them, so aliases cannot expand without
    bound; dates become RFC 3339 text and keys become text, as a JSON reader sees them."""

    def __init__(self) -> None:
        self.nodes = 0

    def copy(self, value: Any, path: list[Any]) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise InvalidInput(
                f"the document expands to more than {MAX_NODES:,} values (YAML aliases?)",
                [_problem(to_pointer(path), "the expansion stops here")],
            )
        if len(path) > MAX_DEPTH:
            raise InvalidInput(
                f"the document nests deeper than {MAX_DEPTH} levels",
                [_problem(to_pointer(path), "too deep")],
            )
        if isinstance(value, dict):
            return {str(key): self.copy(item, [*path, key]) for key, item in value.items()}
        if isinstance(value, list):
            return [self.copy(item, [*path, index]) for index, item in enumerate(value)]
        if isinstance(value, datetime.date | datetime.datetime):
            return value.isoformat()
        if isinstance(value, float) and not math.isfinite(value):
            raise InvalidInput(
                "the document holds a number JSON cannot write (.nan or .inf)",
                [_problem(to_pointer(path), "not a JSON number")],
            )
        if value is None or isinstance(value, str | int | float | bool):
            return value
        raise InvalidInput(
            f"the document holds a {type(value).__name__}, which JSON cannot hold",
            [_problem(to_pointer(path), "not a JSON value")],
        )


def _problem(pointer: str, message: str) -> dict[str, str]:
    return {"pointer": pointer, "message": message}
