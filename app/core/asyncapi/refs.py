"""Reference Objects inside one AsyncAPI document (``$ref: '#/components/…'``), followed by
the project's one JSON-pointer codec (app.core.pointers)."""

from __future__ import annotations

from typing import Any

from app.core.errors import InvalidInput
from app.core.pointers import escape, value_at

MAX_HOPS = 32  # a reference to a reference…: a cycle of Reference Objects stops here


def target_pointer(ref: Any, where: str) -> str:
    """The JSON pointer a local reference names ('#/components/x' → '/components/x').

    Raises InvalidInput for a reference into another file: the document must be bundled."""
    if not isinstance(ref, str) or not ref.startswith("#"):
        raise InvalidInput(
            f"{ref!s:.80} is not a reference inside the document: bundle the document first "
            "(asyncapi bundle)",
            [{"pointer": where, "message": "only local references ('#/…') are read"}],
        )
    return ref[1:]


def follow(document: dict[str, Any], node: Any, where: str) -> tuple[Any, str]:
    """Return the object a node stands for, and its pointer: the node itself, or what its
    ``$ref`` names, followed to the end. Raises InvalidInput when a reference names nothing
    or references go round in a cycle."""
    for _ in range(MAX_HOPS):
        if not (isinstance(node, dict) and "$ref" in node):
            return node, where
        pointer = target_pointer(node["$ref"], where)
        found = value_at(document, pointer)
        if found is None:
            raise InvalidInput(
                f"the reference {node['$ref']!s:.80} names nothing in the document",
                [{"pointer": where + "/$ref", "message": "names nothing"}],
            )
        node, where = found, pointer
    raise InvalidInput(
        "references go round in a cycle",
        [{"pointer": where, "message": f"more than {MAX_HOPS} references in a row"}],
    )


def members(document: dict[str, Any], node: Any, where: str) -> dict[str, tuple[Any, str]]:
    """The members of a map (channels, messages…) with each value followed: name → (object,
    its pointer). A member that is not an object is left out."""
    mapping, place = follow(document, node, where)
    if not isinstance(mapping, dict):
        return {}
    found = {}
    for key, value in mapping.items():
        item, pointer = follow(document, value, f"{place}/{escape(key)}")
        if isinstance(item, dict):
            found[key] = (item, pointer)
    return found
