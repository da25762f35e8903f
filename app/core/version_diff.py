"""What changed between two schema versions, and what each level makes of every change."""

from __future__ import annotations

from typing import Any

from app.core.compatibility import compare, is_compatible_type

PAIR_LEVELS = ("BACKWARD", "FORWARD", "FULL")


def diff_versions(old: Any, new: Any, policy: str) -> dict[str, Any]:
    """Every difference from old to new with its verdict under BACKWARD, FORWARD and FULL.

    BACKWARD judges the comparison old -> new (new readers, old data); FORWARD judges the
    comparison run the other way (old readers, new data), matched to the change by its pointer.
    """
    forward_ok = {}
    for difference in compare(new, old, policy):
        allowed = is_compatible_type(difference.type, policy)
        forward_ok[difference.path] = forward_ok.get(difference.path, True) and allowed
    rows = []
    for difference in compare(old, new, policy):
        backward = is_compatible_type(difference.type, policy)
        forward = forward_ok.get(difference.path, True)
        verdicts = {"BACKWARD": backward, "FORWARD": forward, "FULL": backward and forward}
        rows.append({**difference.to_dict(), "verdicts": verdicts})
    levels = {
        "NONE": True,
        "BACKWARD": all(row["verdicts"]["BACKWARD"] for row in rows),
        "FORWARD": all(forward_ok.values()),
    }
    levels["FULL"] = levels["BACKWARD"] and levels["FORWARD"]
    return {"policy": policy, "levels": levels, "differences": rows}
