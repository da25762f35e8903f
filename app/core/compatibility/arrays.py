"""Array comparison: item schemas, tuples under open/closed/partially-open models, bounds."""

from __future__ import annotations

from typing import Any

from app.core.compatibility.model import Node, deref
from app.core.compatibility.objects import compare_slot, is_open, partial_schema
from app.core.compatibility.walker import COMPARERS, Context, compare_bound, walk


def compare_array(ctx: Context, old: Node, new: Node, path: str) -> None:
    """Compare two array schemas keyword by keyword."""
    o, n = old.f, new.f
    walk(ctx, old.node(o["all_items"]), new.node(n["all_items"]), path + "/items")
    _compare_tuple(ctx, old, new, path)
    compare_slot(
        ctx, path + "/" + n["add_word"], "ADDITIONAL_ITEMS", old, new, ("add_permits", "add_schema")
    )
    compare_slot(
        ctx, path + "/unevaluatedItems", "UNEVALUATED_ITEMS", old, new, ("un_permits", "un_schema")
    )
    compare_bound(ctx, path, "maxItems", "MAX_ITEMS", o["maxItems"], n["maxItems"])
    compare_bound(ctx, path, "minItems", "MIN_ITEMS", o["minItems"], n["minItems"])
    if o["uniqueItems"] != n["uniqueItems"]:
        kind = "UNIQUE_ITEMS_REMOVED" if o["uniqueItems"] else "UNIQUE_ITEMS_ADDED"
        ctx.add(kind, path + "/uniqueItems", o["uniqueItems"], n["uniqueItems"])
    _compare_contains(ctx, old, new, path)


def _compare_contains(ctx: Context, old: Node, new: Node, path: str) -> None:
    o, n = old.f, new.f
    where = path + "/contains"
    if o["contains"] is not None and n["contains"] is not None:
        walk(ctx, old.node(o["contains"]), new.node(n["contains"]), where)
    elif o["contains"] is not None:
        ctx.add("CONTAINS_REMOVED", where, o["contains"], None)
        return
    elif n["contains"] is not None:
        ctx.add("CONTAINS_ADDED", where, None, n["contains"])
        return
    else:
        return
    compare_bound(ctx, path, "maxContains", "MAX_CONTAINS", o["maxContains"], n["maxContains"])
    _compare_min_contains(ctx, path, o["minContains"], n["minContains"])


def _compare_min_contains(ctx: Context, path: str, old: Any, new: Any) -> None:
    # minContains defaults to 1, so dropping an explicit 1 changes nothing.
    old_value = 1 if old is None else old
    new_value = 1 if new is None else new
    if old_value == new_value:
        return
    if old is not None and new is not None:
        compare_bound(ctx, path, "minContains", "MIN_CONTAINS", old, new)
        return
    looser = new_value < old_value
    if old is None:
        kind = "MIN_CONTAINS_DECREASED" if looser else "MIN_CONTAINS_ADDED"
    else:
        kind = "MIN_CONTAINS_REMOVED" if looser else "MIN_CONTAINS_INCREASED"
    ctx.add(kind, path + "/minContains", old, new)


def _compare_tuple(ctx: Context, old: Node, new: Node, path: str) -> None:
    o_items, n_items = old.f["tuple"], new.f["tuple"]
    common = min(len(o_items), len(n_items))
    base = path + "/" + (old.f["tuple_word"] if o_items else new.f["tuple_word"]) + "/"
    for index in range(common):
        walk(ctx, old.node(o_items[index]), new.node(n_items[index]), base + str(index))
    for index in range(common, len(o_items)):
        _item_removed(ctx, old, new, o_items[index], base + str(index))
    for index in range(common, len(n_items)):
        _item_added(ctx, old, new, n_items[index], base + str(index))


def _covered(ctx: Context, old: Node, old_raw: Any, new: Node, new_raw: Any, where: str) -> bool:
    scratch = ctx.trial(old.node(old_raw), new.node(new_raw), where)
    ctx.extend(scratch)
    return scratch.compatible()


def _item_removed(ctx: Context, old: Node, new: Node, o_raw: Any, where: str) -> None:
    if is_open(new):
        ctx.add("ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", where, o_raw, None)
        return
    partial = partial_schema(new, None)
    if partial is not None:
        state = "IS_COVERED" if _covered(ctx, old, o_raw, new, partial, where) else "NOT_COVERED"
        ctx.add(f"ITEM_REMOVED_{state}_BY_PARTIALLY_OPEN_CONTENT_MODEL", where, o_raw, None)
    elif deref(old.node(o_raw)).kind == "false":
        ctx.add("ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", where, o_raw, None)
    else:
        ctx.add("ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL", where, o_raw, None)


def _item_added(ctx: Context, old: Node, new: Node, n_raw: Any, where: str) -> None:
    if is_open(old):
        if deref(new.node(n_raw)).kind == "empty":
            ctx.add("ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", where, None, n_raw)
        else:
            ctx.add("ITEM_ADDED_TO_OPEN_CONTENT_MODEL", where, None, n_raw)
        return
    partial = partial_schema(old, None)
    if partial is not None:
        state = "IS_COVERED" if _covered(ctx, old, partial, new, n_raw, where) else "NOT_COVERED"
        ctx.add(f"ITEM_ADDED_{state}_BY_PARTIALLY_OPEN_CONTENT_MODEL", where, None, n_raw)
    else:
        ctx.add("ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", where, None, n_raw)


COMPARERS["array"] = compare_array
