"""JSON pointers (RFC 6901)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# RFC 6901 section 4: an array index is 0 or ASCII digits without a leading zero ("01", "²" or
# "٣" name no member; int() would take the last two, or fail on the first).
_INDEX = re.compile(r"0|[1-9][0-9]*")


def escape(token: Any) -> str:
    """Escape one reference token of a JSON pointer."""
    return str(token).replace("~", "~0").replace("/", "~1")


def to_pointer(parts: Iterable[Any]) -> str:
    """Join path parts (keys and indexes) into a JSON pointer; the root is ''."""
    return "".join(f"/{escape(part)}" for part in parts)


def split_pointer(pointer: str) -> list[str]:
    """Split a JSON pointer into its unescaped reference tokens."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"a JSON pointer starts with '/' (got {pointer!r})")
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer[1:].split("/")]


def value_at(document: Any, pointer: str) -> Any:
    """Return the value a JSON pointer names in a JSON document, or None when nothing is there
    (array members by decimal index, as RFC 6901 section 4 says)."""
    node = document
    for token in split_pointer(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and _INDEX.fullmatch(token) and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node
