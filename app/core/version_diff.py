"""What changed between two schema versions, and what each level makes of every change."""

from __future__ import annotations

from typing import Any

from app.core.compatibility import compare, is_compatible_type
from app.core.pointers import split_pointer, to_pointer
from app.core.schema import SchemaDocument

# Annotations change no value a reader accepts, in either direction.
_ANNOTATIONS = {"ID_CHANGED", "DESCRIPTION_CHANGED", "TITLE_CHANGED", "DEFAULT_CHANGED"}
_CONTAINERS = {"properties", "patternProperties", "$defs", "definitions", "prefixItems"}


def diff_versions(old: SchemaDocument, new: SchemaDocument, policy: str) -> dict[str, Any]:
    """Every difference from old to new with its verdict under BACKWARD, FORWARD and FULL.

    BACKWARD judges the comparison old -> new (new readers, old data). FORWARD judges the
    comparison the other way (old readers, new data), whose differences are named from the other
    side, so each change takes the FORWARD verdict of the field (property) it belongs to.
    """
    forward_by_field: dict[str, bool] = {}
    for difference in compare(new, old, policy):
        allowed = is_compatible_type(difference.type, policy)
        key = field_of(difference.path)
        forward_by_field[key] = forward_by_field.get(key, True) and allowed
    rows = []
    for difference in compare(old, new, policy):
        backward = is_compatible_type(difference.type, policy)
        forward = difference.type in _ANNOTATIONS or forward_by_field.get(
            field_of(difference.path), True
        )
        verdicts = {"BACKWARD": backward, "FORWARD": forward, "FULL": backward and forward}
        rows.append({**difference.to_dict(), "verdicts": verdicts})
    levels = {
        "NONE": True,
        "BACKWARD": all(row["verdicts"]["BACKWARD"] for row in rows),
        "FORWARD": all(forward_by_field.values()),
    }
    levels["FULL"] = levels["BACKWARD"] and levels["FORWARD"]
    return {"policy": policy, "levels": levels, "differences": rows}


def field_of(path: str) -> str:
    """The pointer of the field (property or tuple item) a schema pointer lies in; '' for root."""
    tokens = split_pointer(path) if path.startswith("/") else []
    end = 0
    for index in range(1, len(tokens)):
        if tokens[index - 1] in _CONTAINERS:
            end = index + 1
    return to_pointer(tokens[:end])
