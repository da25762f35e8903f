"""Object comparison: properties under open, closed and partially-open content models."""

from __future__ import annotations

from typing import Any

from app.core.compatibility.model import Node, build, deref
from app.core.compatibility.walker import COMPARERS, Context, compare_bound, walk
from app.core.pointers import escape
from app.core.schema import regex as ecma


def compare_object(ctx: Context, old: Node, new: Node, path: str) -> None:
    """Compare two object schemas keyword by keyword."""
    if ctx.outer_closed != (None, None):
        old, new = _closed_view(old, ctx.outer_closed[0]), _closed_view(new, ctx.outer_closed[1])
    _compare_required(ctx, old, new, path)
    _compare_properties(ctx, old, new, path)
    _compare_dependencies(ctx, old, new, path)
    compare_slot(
        ctx,
        path + "/additionalProperties",
        "ADDITIONAL_PROPERTIES",
        old,
        new,
        ("add_permits", "add_schema"),
    )
    compare_slot(
        ctx,
        path + "/unevaluatedProperties",
        "UNEVALUATED_PROPERTIES",
        old,
        new,
        ("un_permits", "un_schema"),
    )
    _compare_patterns(ctx, old, new, path)
    _compare_property_names(ctx, old, new, path)
    o, n = old.f, new.f
    compare_bound(
        ctx, path, "maxProperties", "MAX_PROPERTIES", o["maxProperties"], n["maxProperties"]
    )
    compare_bound(
        ctx, path, "minProperties", "MIN_PROPERTIES", o["minProperties"], n["minProperties"]
    )


def _closed_view(node: Node, admitted: dict[str, Any] | None) -> Node:
    """The object as a closed conjunction around it makes it: its own open slot admits no name,
    and a name it does not declare is admitted only under the schema the branches that declare
    it give (``admitted``, name -> schema), which then reads like a partially open model."""
    if admitted is None or not is_open(node):
        return node
    view = Node(node.kind, node.doc, node.raw, node.tag, **node.f)
    view.meta = node.meta
    view.f["add_permits"] = False
    view.f["admitted"] = {k: v for k, v in admitted.items() if k not in node.f["properties"]}
    return view


def matches(pattern: str, name: str) -> bool:
    """Tell whether a patternProperties regex matches a property name (search semantics,
    ECMA-262, bounded time; a pattern the engine cannot run matches nothing)."""
    try:
        return ecma.search(pattern, name)
    except ecma.PatternError:
        return False


def is_open(node: Node) -> bool:
    """Open content model: any undeclared property with any value is accepted."""
    f = node.f
    return (
        not f.get("patterns")
        and f["add_schema"] is None
        and f["add_permits"]
        and f["un_schema"] is None
        and f["un_permits"]
    )


def partial_schema(node: Node, name: str | None) -> Any:
    """Return the raw schema that governs an undeclared name (or extra item), or None."""
    f = node.f
    if name is not None and name in f.get("admitted", {}):
        return f["admitted"][name]
    for pattern, schema in f.get("patterns", {}).items():
        if name is not None and matches(pattern, name):
            return schema
    if f["add_schema"] is not None:
        return f["add_schema"]
    if not f["add_present"] and f["un_schema"] is not None:
        return f["un_schema"]
    return None


def compare_slot(
    ctx: Context, where: str, prefix: str, old: Node, new: Node, fields: tuple[str, str]
) -> None:
    """Compare an additionalX/unevaluatedX slot: permitted flag first, then its schema."""
    permits, schema = fields
    o_permits, n_permits = old.f[permits], new.f[permits]
    o_schema, n_schema = old.f[schema], new.f[schema]
    if o_permits != n_permits:
        ctx.add(prefix + ("_ADDED" if n_permits else "_REMOVED"), where, o_permits, n_permits)
    elif o_schema is None and n_schema is not None:
        ctx.add(prefix + "_NARROWED", where, True, n_schema)
    elif o_schema is not None and n_schema is None:
        ctx.add(prefix + "_EXTENDED", where, o_schema, True)
    elif o_schema is not None:
        walk(ctx, old.node(o_schema), new.node(n_schema), where)


def _compare_required(ctx: Context, old: Node, new: Node, path: str) -> None:
    o_req, n_req = old.f["required"], new.f["required"]
    if o_req == n_req:
        return
    new_props = new.f["properties"]
    for name in sorted(n_req - o_req):
        if name not in new_props and isinstance(name, str):
            # Old data may lack it (Confluent skips names `properties` does not declare).
            where = path + "/required/" + escape(name)
            ctx.add("REQUIRED_UNDECLARED_PROPERTY_ADDED", where, False, True)
    for name in old.f["properties"]:
        if name not in new_props or (name in o_req) == (name in n_req):
            continue
        where = path + "/required/" + escape(name)
        if name in o_req:
            ctx.add("REQUIRED_ATTRIBUTE_REMOVED", where, True, False)
        elif _has_default(new, new_props[name]):
            ctx.add("REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED", where, False, True)
        else:
            ctx.add("REQUIRED_ATTRIBUTE_ADDED", where, False, True)


def _has_default(owner: Node, raw: Any) -> bool:
    if isinstance(raw, dict) and "default" in raw:
        return True
    target = deref(owner.node(raw))
    return target is not None and target.has_default


def _compare_properties(ctx: Context, old: Node, new: Node, path: str) -> None:
    o_props, n_props = old.f["properties"], new.f["properties"]
    o_doc, n_doc = old.doc, new.doc
    for name, o_raw in o_props.items():
        where = path + "/properties/" + escape(name)
        if name in n_props:
            walk(ctx, build(o_doc, o_raw), build(n_doc, n_props[name]), where)
        else:
            _property_removed(ctx, old, new, name, where)
    for name in n_props:
        if name not in o_props:
            _property_added(ctx, old, new, name, path + "/properties/" + escape(name))


def _covered(ctx: Context, old: Node, old_raw: Any, new: Node, new_raw: Any, where: str) -> bool:
    """Compare a property schema with the partial-open schema that covers it; keep the diffs."""
    scratch = ctx.trial(old.node(old_raw), new.node(new_raw), where)
    ctx.extend(scratch)
    return scratch.compatible()


def _property_removed(ctx: Context, old: Node, new: Node, name: str, where: str) -> None:
    o_raw = old.f["properties"][name]
    if is_open(new):
        ctx.add("PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", where, o_raw, None)
        return
    partial = partial_schema(new, name)
    if partial is not None:
        covered = _covered(ctx, old, o_raw, new, partial, where)
        state = "IS_COVERED" if covered else "NOT_COVERED"
        ctx.add(f"PROPERTY_REMOVED_{state}_BY_PARTIALLY_OPEN_CONTENT_MODEL", where, o_raw, None)
    elif deref(old.node(o_raw)).kind == "false":
        ctx.add("PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", where, o_raw, None)
    else:
        ctx.add("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", where, o_raw, None)


def _property_added(ctx: Context, old: Node, new: Node, name: str, where: str) -> None:
    n_raw = new.f["properties"][name]
    required = name in new.f["required"]
    with_default = required and _has_default(new, n_raw)
    if is_open(old):
        if required:
            kind = "WITH_DEFAULT_ADDED" if with_default else "ADDED"
            ctx.add(f"REQUIRED_PROPERTY_{kind}_TO_OPEN_CONTENT_MODEL", where, None, n_raw)
        elif deref(new.node(n_raw)).kind == "empty":
            ctx.add("PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", where, None, n_raw)
        else:
            ctx.add("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", where, None, n_raw)
        return
    partial = partial_schema(old, name)
    if partial is not None:
        covered = _covered(ctx, old, partial, new, n_raw, where)
        state = "IS_COVERED" if covered else "NOT_COVERED"
        ctx.add(f"PROPERTY_ADDED_{state}_BY_PARTIALLY_OPEN_CONTENT_MODEL", where, None, n_raw)
    if not required:
        ctx.add("OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", where, None, n_raw)
    elif with_default:
        ctx.add("REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL", where, None, n_raw)
    else:
        ctx.add("REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", where, None, n_raw)


def _compare_dependencies(ctx: Context, old: Node, new: Node, path: str) -> None:
    o_deps, n_deps = old.f["prop_deps"], new.f["prop_deps"]
    for name in {**o_deps, **n_deps}:
        word = (n_deps.get(name) or o_deps[name])[0]
        where = path + "/" + word + "/" + escape(name)
        o_list = set(o_deps[name][1]) if name in o_deps else None
        n_list = set(n_deps[name][1]) if name in n_deps else None
        if n_list is None:
            ctx.add("DEPENDENCY_ARRAY_REMOVED", where, sorted(o_list), None)
        elif o_list is None:
            ctx.add("DEPENDENCY_ARRAY_ADDED", where, None, sorted(n_list))
        elif o_list != n_list:
            change = "EXTENDED" if n_list > o_list else "NARROWED" if n_list < o_list else "CHANGED"
            ctx.add("DEPENDENCY_ARRAY_" + change, where, sorted(o_list), sorted(n_list))
    o_deps, n_deps = old.f["schema_deps"], new.f["schema_deps"]
    for name in {**o_deps, **n_deps}:
        word = (n_deps.get(name) or o_deps[name])[0]
        where = path + "/" + word + "/" + escape(name)
        if name not in n_deps:
            ctx.add("DEPENDENCY_SCHEMA_REMOVED", where, o_deps[name][1], None)
        elif name not in o_deps:
            ctx.add("DEPENDENCY_SCHEMA_ADDED", where, None, n_deps[name][1])
        else:
            walk(ctx, old.node(o_deps[name][1]), new.node(n_deps[name][1]), where)


def _compare_patterns(ctx: Context, old: Node, new: Node, path: str) -> None:
    o_pats, n_pats = old.f["patterns"], new.f["patterns"]
    for pattern, o_raw in o_pats.items():
        where = path + "/patternProperties/" + escape(pattern)
        if pattern in n_pats:
            walk(ctx, old.node(o_raw), new.node(n_pats[pattern]), where)
        elif is_open(new) or _pattern_covered(ctx, old, o_raw, new, partial_schema(new, None)):
            ctx.add("PATTERN_PROPERTY_REMOVED", where, o_raw, None)
        else:
            ctx.add("PATTERN_PROPERTY_REMOVED_NOT_COVERED", where, o_raw, None)
    for pattern in n_pats:
        if pattern not in o_pats:
            _pattern_added(ctx, old, new, pattern, path + "/patternProperties/" + escape(pattern))


def _pattern_covered(ctx: Context, old: Node, old_raw: Any, new: Node, new_raw: Any) -> bool:
    return new_raw is not None and ctx.trial(old.node(old_raw), new.node(new_raw), "").compatible()


def _pattern_added(ctx: Context, old: Node, new: Node, pattern: str, where: str) -> None:
    n_raw = new.f["patterns"][pattern]
    if deref(new.node(n_raw)).kind == "empty":
        return  # a pattern whose schema accepts anything constrains nothing
    if is_open(old):
        ctx.add("PATTERN_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", where, None, n_raw)
        return
    # Old data can only carry declared names, or names its own partial-open schemas allowed.
    sources = [raw for name, raw in old.f["properties"].items() if matches(pattern, name)]
    sources += list(old.f["patterns"].values())
    extra = partial_schema(old, None)
    if extra is not None:
        sources.append(extra)
    if not all(_pattern_covered(ctx, old, raw, new, n_raw) for raw in sources):
        ctx.add("PATTERN_PROPERTY_ADDED", where, None, n_raw)


def _compare_property_names(ctx: Context, old: Node, new: Node, path: str) -> None:
    o_raw, n_raw = old.f["names"], new.f["names"]
    where = path + "/propertyNames"
    if o_raw is not None and n_raw is not None:
        walk(ctx, old.node(o_raw), new.node(n_raw), where)
    elif o_raw is not None:
        ctx.add("PROPERTY_NAMES_REMOVED", where, o_raw, None)
    elif n_raw is not None and not _names_still_valid(old, deref(new.node(n_raw))):
        ctx.add("PROPERTY_NAMES_ADDED", where, None, n_raw)


_ZERO_WIDTH = ("$", "\\Z", "\\b", "\\B", "(?=", "(?!", "(?<")


def _accepts_every_name(names: Node) -> bool:
    """Tell whether a propertyNames schema provably accepts every string."""
    if names.kind == "empty":
        return True
    if names.kind != "string" or any(names.f[k] for k in ("minLength", "maxLength", "format")):
        return False
    pattern = names.f["pattern"]
    if pattern is None:
        return True
    # A regex that matches "" without looking around matches every string (at position 0).
    return matches(pattern, "") and not any(mark in pattern for mark in _ZERO_WIDTH)


def _name_valid(names: Node, name: str) -> bool:
    f = names.f
    if names.kind == "enum":
        return name in f["values"]
    if names.kind != "string" or f["format"]:
        return False
    pattern = f["pattern"]
    low, high = f["minLength"], f["maxLength"]
    return (
        (low is None or len(name) >= low)
        and (high is None or len(name) <= high)
        and (pattern is None or matches(pattern, name))
    )


def _names_still_valid(old: Node, names: Node) -> bool:
    """A new propertyNames is harmless if every name old data can carry still passes it."""
    if _accepts_every_name(names):
        return True
    if is_open(old) or partial_schema(old, None) is not None or old.f["patterns"]:
        return False
    return all(_name_valid(names, name) for name in old.f["properties"])


COMPARERS["object"] = compare_object
