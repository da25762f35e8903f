"""The size of a new schema, measured before anything walks it.

``SchemaDocument.checked`` calls ``size_problems`` first: canonical JSON, the meta-schema check,
the resolver's index and the compatibility engine all recurse into a schema, and an enum of
100,000 values or an object of 85,000 properties makes every later step (messages, the UI's
field table) large. One loop over the parsed value, with its own stack and no recursion,
measures depth, node count, enum sizes and members per object, and stops at the first limit
passed on each count.
"""

from __future__ import annotations

from typing import Any

from app.core.limits import SETTINGS, Limits, current
from app.core.pointers import escape
from app.core.schema.problems import SchemaProblem

# A path is kept as (parent path, key) pairs and spelt out only for a problem.
_Path = tuple[Any, str] | None


def size_problems(raw: Any, limits: Limits | None = None) -> list[SchemaProblem]:
    """Return a problem for each limit the schema passes (``max_schema_depth``,
    ``max_schema_nodes``, ``max_enum_values``, ``max_object_properties``), each with the
    pointer of the first place found and the setting that raises the limit."""
    limits = limits or current()
    problems: dict[str, SchemaProblem] = {}
    # The depth of a value is the number of objects and arrays around and including it, as
    # limits.depth_of and the request's scan count it.
    nodes, stack = 0, [(raw, 1, None)]
    while stack:
        node, depth, path = stack.pop()
        nodes += 1
        if nodes > limits.max_schema_nodes:
            problems["nodes"] = _problem(
                "max_schema_nodes",
                limits.max_schema_nodes,
                "the schema has more JSON values (objects, arrays, strings, numbers…) than",
                None,
            )
            break
        if depth > limits.max_schema_depth and isinstance(node, dict | list):
            problems["depth"] = _problem(
                "max_schema_depth", limits.max_schema_depth, "the schema nests deeper than", path
            )
            break
        if isinstance(node, dict):
            _members(node, path, limits, problems)
            stack.extend((value, depth + 1, (path, key)) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, depth + 1, (path, str(i))) for i, value in enumerate(node))
    return list(problems.values())


def _members(node: dict, path: _Path, limits: Limits, problems: dict[str, SchemaProblem]) -> None:
    if len(node) > limits.max_object_properties and "members" not in problems:
        problems["members"] = _problem(
            "max_object_properties",
            limits.max_object_properties,
            f"this object has {len(node):,} members (properties, definitions…), more than",
            path,
        )
    enum = node.get("enum")
    if isinstance(enum, list) and len(enum) > limits.max_enum_values and "enum" not in problems:
        problems["enum"] = _problem(
            "max_enum_values",
            limits.max_enum_values,
            f"this enum lists {len(enum):,} values, more than",
            (path, "enum"),
        )


def _problem(name: str, maximum: int, text: str, path: _Path) -> SchemaProblem:
    return SchemaProblem(_pointer(path), f"{text} the limit of {maximum:,} ({SETTINGS[name]})")


def _pointer(path: _Path) -> str:
    keys: list[str] = []
    while path is not None:
        path, key = path
        keys.append(escape(key))
    return "".join(f"/{key}" for key in reversed(keys))
