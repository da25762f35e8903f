"""String, enum and const comparison."""

from __future__ import annotations

from app.core.compatibility.model import Node, canonical
from app.core.compatibility.walker import COMPARERS, Context, compare_bound


def compare_string(ctx: Context, old: Node, new: Node, path: str) -> None:
    """Compare length limits, pattern and format of two string schemas."""
    o, n = old.f, new.f
    compare_bound(ctx, path, "maxLength", "MAX_LENGTH", o["maxLength"], n["maxLength"])
    compare_bound(ctx, path, "minLength", "MIN_LENGTH", o["minLength"], n["minLength"])
    _compare_text(ctx, path + "/pattern", "PATTERN", o["pattern"], n["pattern"])
    # Confluent ignores format; validators that assert it would reject old data.
    _compare_text(ctx, path + "/format", "FORMAT", o["format"], n["format"])


def _compare_text(ctx: Context, where: str, prefix: str, old: object, new: object) -> None:
    if old == new:
        return
    if old is None:
        ctx.add(prefix + "_ADDED", where, old, new)
    elif new is None:
        ctx.add(prefix + "_REMOVED", where, old, new)
    else:
        # No regex-subset reasoning: any other text is treated as a different language.
        ctx.add(prefix + "_CHANGED", where, old, new)


def compare_enum(ctx: Context, old: Node, new: Node, path: str) -> None:
    """Compare the permitted values of enum/const schemas as sets."""
    if (
        old.f["values"] == new.f["values"]
        and old.doc.is_plain(old.raw)
        and new.doc.is_plain(new.raw)
    ):
        return
    old_values = {canonical(v) for v in old.f["values"]}
    new_values = {canonical(v) for v in new.f["values"]}
    if old_values == new_values:
        return
    word = new.f["word"] if old.f["word"] == "const" else old.f["word"]
    where = path + "/" + word
    o_raw, n_raw = old.raw.get(old.f["word"]), new.raw.get(new.f["word"])
    if old.f["word"] == "const" and new.f["word"] == "const":
        ctx.add("ENUM_ARRAY_CHANGED", where, o_raw, n_raw)
    elif new_values >= old_values:
        ctx.add("ENUM_ARRAY_EXTENDED", where, o_raw, n_raw)
    elif old_values >= new_values:
        ctx.add("ENUM_ARRAY_NARROWED", where, o_raw, n_raw)
    else:
        ctx.add("ENUM_ARRAY_CHANGED", where, o_raw, n_raw)


COMPARERS["string"] = compare_string
COMPARERS["enum"] = compare_enum
