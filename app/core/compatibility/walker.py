"""The parallel walk over an old and a new schema, and the context it records into."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.core import limits
from app.core.compatibility.messages import message
from app.core.compatibility.model import Node, deref
from app.core.compatibility.types import Difference
from app.core.pointers import split_pointer, value_at
from app.core.schema import SchemaDocument
from app.core.schema.messages import show

Comparer = Callable[["Context", Node, Node, str], None]
COMPARERS: dict[str, Comparer] = {}
# Set by combined.py: handles a combined schema facing a plain one (returns True when settled).
MIXED: list[Callable[[Context, Node, Node, str], bool]] = []
_SCALAR_KINDS = frozenset(("string", "number"))
_CONTAINER_KINDS = frozenset(("object", "array"))
# (type, path, old, new): messages are only written for the differences that are kept.
RawDiff = tuple[str, str, Any, Any]


def to_differences(
    raw: list[RawDiff], direction: str, old: SchemaDocument, new: SchemaDocument
) -> list[Difference]:
    """Turn recorded tuples into Difference values, told from the user's side: ``old`` is the
    registered schema and ``new`` the candidate, whichever was the writer ("backward": old wrote,
    new reads; "forward": new wrote, old reads), with real pointers into both texts."""
    found = []
    for diff_type, path, first, second in raw:
        before, after = (first, second) if direction == "backward" else (second, first)
        old_pointer, old_refs = _located(old, path)
        new_pointer, new_refs = _located(new, path)
        found.append(
            Difference(
                diff_type,
                path,
                before,
                after,
                message(diff_type, path, before, after, direction),
                old_pointer,
                new_pointer,
                (old_refs, new_refs),
            )
        )
    return found


def _located(document: SchemaDocument, path: str) -> tuple[str | None, tuple[str, ...]]:
    head, _, name = path.rpartition("/required/")
    if name and "/" not in name:
        # Confluent's /required/<name> is a name inside the `required` array: point at its item.
        where = document.locate(head + "/required", into_refs=False)
        names = value_at(document.raw, where.pointer) if where.found else None
        wanted = split_pointer("/" + name)[0]
        if isinstance(names, list) and wanted in names:
            return f"{where.pointer}/{names.index(wanted)}", where.refs
        return None, where.refs
    where = document.locate(path, into_refs=True)
    return (where.pointer if where.found else None), where.refs


class Context:
    """Collects differences; `active` holds the (old, new) pairs under comparison (recursion).

    ``closed`` holds, for the old and the new side, the names (with their schemas) that a closed
    conjunction around the value admits (``unevaluatedProperties: false`` or
    ``additionalProperties: false`` in or beside an allOf), None where nothing closes it, so
    that an object branch that looks open by itself is judged as the closed object it is;
    ``outer_closed`` hands that to the object comparer, since every descent into a property or
    an item starts afresh."""

    __slots__ = ("active", "allowed", "closed", "diffs", "outer_closed")

    def __init__(
        self,
        allowed: frozenset[str],
        active: set | None = None,
        closed: tuple[dict | None, dict | None] = (None, None),
    ) -> None:
        self.allowed = allowed
        self.active = set() if active is None else active
        self.closed = closed
        self.outer_closed: tuple[dict | None, dict | None] = (None, None)
        self.diffs: list[RawDiff] = []

    def sub(self) -> Context:
        """Return a scratch context whose verdict decides a branch before it is kept."""
        return Context(self.allowed, self.active, self.closed)

    def add(self, diff_type: str, path: str, old: Any = None, new: Any = None) -> None:
        """Record one difference."""
        self.diffs.append((diff_type, path, old, new))

    def extend(self, other: Context) -> None:
        """Keep the differences of a scratch context."""
        self.diffs.extend(other.diffs)

    def compatible(self) -> bool:
        """Tell whether every recorded difference is allowed by the policy."""
        allowed = self.allowed
        return all(d[0] in allowed for d in self.diffs)

    def trial(self, old: Node | None, new: Node | None, path: str) -> Context:
        """Compare in a scratch context and return it."""
        scratch = self.sub()
        walk(scratch, old, new, path)
        return scratch


def kind_name(node: Node) -> str:
    """Describe the kind of a schema in a few words (used as old/new of TYPE_CHANGED)."""
    if node.kind == "number":
        return "integer" if node.f["integer"] else "number"
    if node.kind == "combined":
        return "type list" if node.tag == "type*" else node.f["criterion"]
    if node.kind == "enum":
        return node.f["word"]
    return {"empty": "any value", "false": "no value", "conditional": "if/then/else"}.get(
        node.kind, node.kind
    )


def _same(old: Node, new: Node) -> bool:
    if old is new:
        return True
    if old.tag != new.tag or old.doc.draft != new.doc.draft:
        return False
    if old.raw is new.raw and old.doc.raw is new.doc.raw and old.doc.same_references(new.doc):
        return True
    return old.doc.is_plain(old.raw) and new.doc.is_plain(new.raw) and old.raw == new.raw


def _both_bytes(old: Node, new: Node) -> bool:
    # Kafka Connect encodes bytes/decimals with either JSON type; both sides agree on bytes.
    return all(isinstance(n.raw, dict) and n.raw.get("connect.type") == "bytes" for n in (old, new))


def walk(ctx: Context, old: Node | None, new: Node | None, path: str) -> None:
    """Compare old (the writer's schema) with new (the reader's) at path."""
    limits.step(2)  # references that fan out make the pairs to compare multiply
    if old is None or new is None:
        if old is not None:
            ctx.add("SCHEMA_REMOVED", path, old.raw, None)
        elif new is not None:
            ctx.add("SCHEMA_ADDED", path, None, new.raw)
        return
    if old.kind == "ref" or new.kind == "ref":
        if old.kind == new.kind == "ref":
            # From 2019-09 annotations beside a $ref belong to the holder (its title,
            # description…); before, they are ignored and the holder's meta stays empty.
            _compare_meta(ctx, old, new, path)
        old, new = deref(old), deref(new)
    if old.kind == "unsupported" or new.kind == "unsupported":
        _not_compared(ctx, old, new, path)
        return
    if old is new or (old.raw == new.raw and _same(old, new)):
        return
    if (old.kind == "combined") != (new.kind == "combined") and MIXED[0](ctx, old, new, path):
        return
    if old.kind != new.kind:
        if old.kind == "false" or new.kind == "empty":
            return
        if _both_bytes(old, new):
            ctx.add("BYTES_ENCODING_CHANGED", path, kind_name(old), kind_name(new))
        else:
            ctx.add("TYPE_CHANGED", path, kind_name(old), kind_name(new))
        return
    pair = (id(old), id(new))
    if pair in ctx.active:
        return  # already being compared higher up: assume it holds (recursive schemas)
    ctx.active.add(pair)
    closed = ctx.closed
    if old.kind in _CONTAINER_KINDS:
        ctx.outer_closed, ctx.closed = closed, (None, None)
    try:
        _compare_meta(ctx, old, new, path)
        comparer = COMPARERS.get(old.kind)
        # Scalar kinds hold only plain keyword values: equal fields mean nothing to report.
        if comparer is not None and not (old.kind in _SCALAR_KINDS and old.f == new.f):
            comparer(ctx, old, new, path)
    finally:
        ctx.active.discard(pair)
        ctx.closed = closed


def _not_compared(ctx: Context, old: Node, new: Node, path: str) -> None:
    # The same dynamic reference on both sides is taken as the same schema; anything else is
    # named rather than guessed (docs/compatibility.md lists the constructs).
    if old.kind == new.kind and old.raw == new.raw:
        return
    node = old if old.kind == "unsupported" else new
    construct = node.f["construct"]
    reason = (
        f"{construct} {show(node.raw.get(construct))} resolves through a dynamic scope outside the "
        "document's root, which the compatibility engine does not follow"
    )
    ctx.add("CONSTRUCT_NOT_COMPARED", path, None, reason)


def _compare_meta(ctx: Context, old: Node, new: Node, path: str) -> None:
    if old.meta == new.meta and not old.meta[3]:
        return
    o_id, o_title, o_desc, o_has_default, o_default = old.meta
    n_id, n_title, n_desc, n_has_default, n_default = new.meta
    if o_id != n_id:
        ctx.add("ID_CHANGED", path, o_id, n_id)
    if o_title != n_title:
        ctx.add("TITLE_CHANGED", path, o_title, n_title)
    if o_desc != n_desc:
        ctx.add("DESCRIPTION_CHANGED", path, o_desc, n_desc)
    if o_has_default != n_has_default or not _json_equal(o_default, n_default):
        ctx.add("DEFAULT_CHANGED", path, o_default, n_default)


def _json_equal(a: Any, b: Any) -> bool:
    if a == b:
        from app.core.compatibility.model import canonical

        return type(a) is type(b) or canonical(a) == canonical(b)
    return False


def compare_bound(ctx: Context, path: str, word: str, prefix: str, old: Any, new: Any) -> None:
    """Emit PREFIX_ADDED/REMOVED/INCREASED/DECREASED for one numeric keyword."""
    if old == new:
        return
    where = path + "/" + word
    if old is None:
        ctx.add(prefix + "_ADDED", where, old, new)
    elif new is None:
        ctx.add(prefix + "_REMOVED", where, old, new)
    elif old < new:
        ctx.add(prefix + "_INCREASED", where, old, new)
    else:
        ctx.add(prefix + "_DECREASED", where, old, new)
