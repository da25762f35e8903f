"""allOf/anyOf/oneOf (branch matching), not, and if/then/else."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from app.core.compatibility.model import Node, canonical, deref
from app.core.compatibility.walker import COMPARERS, MIXED, Context, walk

_UNIONS = ("anyOf", "oneOf")


def branches(node: Node) -> list[tuple[str, Node]]:
    """Return the distinct branches of a combined schema with their path segment."""
    f = node.f
    if f["synthetic"]:
        items = [("", sub) for sub in f["subs"]]
    else:
        items = [(f"/{f['criterion']}/{i}", node.node(raw)) for i, raw in enumerate(f["subs"])]
    unique: dict[str, tuple[str, Node]] = {}
    for segment, sub in items:
        unique.setdefault(sub.key(), (segment, sub))
    return list(unique.values())


def against_combined(ctx: Context, old: Node, new: Node, path: str) -> bool:
    """Handle a combined schema on exactly one side; True when that settled the comparison."""
    if old.kind != "combined" and new.kind == "combined":
        subs = branches(new)
        if len(subs) == 1:
            return _keep_if_compatible(ctx, old, subs[0][1], path)
        if new.f["synthetic"] and new.f["criterion"] == "allOf" and _has_ref(new):
            # Keywords beside a $ref (2019-09 on) all apply: old data must meet each of them,
            # so the differences are those of old against every part (`type` restated beside
            # the reference changes nothing; a `maxLength` added beside it is MAX_LENGTH_ADDED).
            for _, sub in subs:
                walk(ctx, old, sub, path)
            return True
        if new.f["criterion"] in _UNIONS:
            for _, sub in subs:
                if _keep_if_compatible(ctx, old, sub, path):
                    ctx.add("SUM_TYPE_EXTENDED", path, None, len(subs))
                    return True
    elif old.kind == "combined" and new.kind != "combined":
        subs = branches(old)
        if len(subs) == 1 and _keep_if_compatible(ctx, subs[0][1], new, path):
            return True
        if old.f["criterion"] == "allOf":
            for _, sub in subs:
                if _keep_if_compatible(ctx, sub, new, path):
                    ctx.add("PRODUCT_TYPE_NARROWED", path, len(subs), None)
                    return True
    return False


def _has_ref(node: Node) -> bool:
    return any(sub.kind == "ref" for sub in node.f["subs"])


def _keep_if_compatible(ctx: Context, old: Node, new: Node, path: str) -> bool:
    scratch = ctx.trial(old, new, path)
    if scratch.compatible():
        ctx.extend(scratch)
        return True
    return False


def _criterion_change(old: Node, new: Node) -> str | None:
    o_crit, n_crit = old.f["criterion"], new.f["criterion"]
    if o_crit == n_crit:
        return None
    o_single, n_single = len(old.f["subs"]) == 1, len(new.f["subs"]) == 1
    if (
        n_crit == "anyOf"
        or (o_single and n_single)
        or (o_single and n_crit == "oneOf")
        or (n_single and o_crit == "allOf")
    ):
        return "COMBINED_TYPE_EXTENDED"
    return "COMBINED_TYPE_CHANGED"


def compare_combined(ctx: Context, old: Node, new: Node, path: str) -> None:
    """Compare two combined schemas: criterion, branch count, then a maximum matching."""
    if _same_keywords(old, new):
        # One object's keywords (type, enum, not…) on both sides: compare keyword by keyword,
        # so narrowing a typed enum reads as ENUM_ARRAY_NARROWED, not as lost branches.
        by_tag = {sub.tag: sub for sub in new.f["subs"]}
        with _closing(ctx, old, new):
            for sub in old.f["subs"]:
                walk(ctx, sub, by_tag[sub.tag], path)
        return
    with _closing(ctx, old, new):
        _compare_branches(ctx, old, new, path)


def _same_keywords(old: Node, new: Node) -> bool:
    if not (old.f["synthetic"] and new.f["synthetic"] and old.tag == new.tag == "allOf*"):
        return False
    o_tags, n_tags = [s.tag for s in old.f["subs"]], [s.tag for s in new.f["subs"]]
    return sorted(o_tags) == sorted(n_tags) and len(set(o_tags)) == len(o_tags)


@contextmanager
def _closing(ctx: Context, old: Node, new: Node) -> Iterator[None]:
    """Within an allOf whose branches refuse undeclared properties, an object branch that looks
    open is closed: the names it may still meet are those its sibling branches declare."""
    before = ctx.closed
    if old.f["criterion"] == "allOf" and new.f["criterion"] == "allOf":
        ctx.closed = (_merged(before[0], _closure(old)), _merged(before[1], _closure(new)))
    try:
        yield
    finally:
        ctx.closed = before


def _merged(outer: dict | None, inner: dict | None) -> dict | None:
    if outer is None or inner is None:
        return outer if inner is None else inner
    return {**inner, **outer}


def _conjuncts(node: Node, depth: int = 0) -> list[Node]:
    """The object schemas an allOf (nested allOf and $ref included) applies to one value."""
    found = []
    for _, sub in branches(node):
        target = deref(sub)
        if target is None:
            continue
        if target.kind == "object":
            found.append(target)
        elif target.kind == "combined" and target.f["criterion"] == "allOf" and depth < 16:
            found += _conjuncts(target, depth + 1)
    return found


def _closure(node: Node) -> dict[str, Any] | None:
    """The names (with their schemas) a closed conjunction admits; None when it is not closed.

    Closed: one branch has ``additionalProperties: false`` (it refuses every name it does not
    declare), or one has ``unevaluatedProperties: false`` while no branch evaluates names it
    does not declare (no patternProperties, no additionalProperties schema or true)."""
    objects = _conjuncts(node)
    strict = any(
        not f["add_permits"] and not f["patterns"] and f["add_schema"] is None
        for f in (o.f for o in objects)
    )
    evaluating = any(
        f["patterns"] or (f["add_present"] and f["add_permits"]) for f in (o.f for o in objects)
    )
    unevaluated = any(not o.f["un_permits"] and o.f["un_schema"] is None for o in objects)
    if not strict and not (unevaluated and not evaluating):
        return None
    declared: dict[str, list[Any]] = {}
    for target in objects:
        for name, raw in target.f["properties"].items():
            declared.setdefault(name, []).append(raw)
    # A name several branches declare must meet all of their schemas.
    return {name: raws[0] if len(raws) == 1 else {"allOf": raws} for name, raws in declared.items()}


def _compare_branches(ctx: Context, old: Node, new: Node, path: str) -> None:
    change = _criterion_change(old, new)
    if change is not None:
        ctx.add(change, path, old.f["criterion"], new.f["criterion"])
        if change == "COMBINED_TYPE_CHANGED":
            return
    o_subs, n_subs = branches(old), branches(new)
    if len(o_subs) < len(n_subs):
        kind = "PRODUCT_TYPE_EXTENDED" if new.f["criterion"] == "allOf" else "SUM_TYPE_EXTENDED"
        ctx.add(kind, path, len(o_subs), len(n_subs))
    elif len(o_subs) > len(n_subs):
        kind = "SUM_TYPE_NARROWED" if old.f["criterion"] in _UNIONS else "PRODUCT_TYPE_NARROWED"
        ctx.add(kind, path, len(o_subs), len(n_subs))
    edges: list[list[tuple[int, Context]]] = []
    for segment, o_sub in o_subs:
        row = []
        for j, (_, n_sub) in enumerate(n_subs):
            scratch = ctx.trial(o_sub, n_sub, path + segment)
            if scratch.compatible():
                row.append((j, scratch))
        row.sort(key=lambda edge: len(edge[1].diffs))  # prefer pairings that change less
        edges.append(row)
    matching = maximum_matching(edges, len(n_subs))
    for i, j in sorted(matching.items()):
        ctx.extend(dict(edges[i])[j])
    if len(matching) < min(len(o_subs), len(n_subs)):
        ctx.add("COMBINED_TYPE_SUBSCHEMAS_CHANGED", path, len(o_subs), len(n_subs))


def maximum_matching(edges: list[list[tuple[int, object]]], right: int) -> dict[int, int]:
    """Return a maximum bipartite matching {left: right} (augmenting paths, Kuhn)."""
    owner: list[int | None] = [None] * right

    def augment(i: int, seen: set[int]) -> bool:
        for j, _ in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if owner[j] is None or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(edges)):
        augment(i, set())
    return {i: j for j, i in enumerate(owner) if i is not None}


def compare_not(ctx: Context, old: Node, new: Node, path: str) -> None:
    """Compare two `not` schemas: the new exclusion must exclude no more than the old one."""
    where = path + "/not"
    scratch = ctx.trial(new.node(new.f["schema"]), old.node(old.f["schema"]), where)
    kind = "NOT_TYPE_NARROWED" if scratch.compatible() else "NOT_TYPE_EXTENDED"
    ctx.add(kind, where, old.f["schema"], new.f["schema"])


def compare_conditional(ctx: Context, old: Node, new: Node, path: str) -> None:
    """Compare if/then/else: the condition must stay the same, the branches may relax."""
    if canonical(old.f["cond"]) != canonical(new.f["cond"]):
        ctx.add("CONDITION_CHANGED", path + "/if", old.f["cond"], new.f["cond"])
        return
    for word, field in (("then", "then"), ("else", "otherwise")):
        walk(ctx, old.node(old.f[field]), new.node(new.f[field]), path + "/" + word)


MIXED.append(against_combined)
COMPARERS["combined"] = compare_combined
COMPARERS["not"] = compare_not
COMPARERS["conditional"] = compare_conditional
