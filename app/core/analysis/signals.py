"""Evidence about an event's shape, measured on flattened fields."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .fields import Field
from .names import (
    BUSINESS,
    ID,
    LINK,
    META,
    META_CONTAINERS,
    STATUS,
    TIME,
    categorize,
    looks_like_id_value,
    norm,
)

DELTA_NAMES = {
    "changedfields",
    "updatedfields",
    "modifiedfields",
    "changedattributes",
    "changedproperties",
    "updatedproperties",
    "changes",
    "changelog",
    "changeset",
    "previous",
    "previousattributes",
    "previousvalues",
    "previousvalue",
    "old",
    "oldvalue",
    "oldvalues",
    "olddata",
    "prior",
    "diff",
    "delta",
    "patch",
    "mergepatch",
    "jsonpatch",
    "updatemask",
    "fieldmask",
    "nulledfields",
    "difffields",
    "updateddata",
}
# Pairs that, side by side, hold a change; images are complete states, the others are deltas.
IMAGE_PAIRS = (("before", "after"), ("oldimage", "newimage"))
VALUE_PAIRS = (
    ("old", "new"),
    ("oldvalue", "newvalue"),
    ("previous", "current"),
    ("fromstring", "tostring"),
    ("olddata", "newdata"),
    ("previousvalue", "currentvalue"),
)
# DynamoDB wraps every attribute in a type tag; the attribute name is the parent.
_DYNAMO_TAGS = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"}
_MERGE_PATCH_TYPE = "application/merge-patch+json"
_LINK_CONTAINERS = {"links", "_links"}


@dataclass
class Stats:
    """Counts of one view (the schema, or one sample) by field category."""

    counts: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    pointers: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    nulls: int = 0
    leaves: int = 0
    max_business_depth: int = 0

    def business_weight(self) -> float:
        """Business attributes, with times and statuses counted at half weight."""
        return self.counts[BUSINESS] + 0.5 * (self.counts[TIME] + self.counts[STATUS])


def leaf_category(f: Field) -> str:
    """Category of a leaf, looking through DynamoDB type tags and metadata containers."""
    name = f.name
    if name in _DYNAMO_TAGS and f.ancestors:
        name = f.ancestors[-1]
    if any(norm(a) in _LINK_CONTAINERS for a in f.ancestors):
        return LINK
    if any(norm(a) in META_CONTAINERS for a in f.ancestors) or norm(name) in DELTA_NAMES:
        # Change lists describe the change, not the entity: they never count as business data.
        return META
    return categorize(name, f.value, f.has_value)


def measure(fields: list[Field]) -> Stats:
    """Count leaves by category; null sample values are counted apart (null padding)."""
    stats = Stats()
    for f in fields:
        if not f.leaf:
            continue
        if f.has_value and (f.value is None or f.value == [] or f.value == {}):
            stats.nulls += 1
            continue
        stats.leaves += 1
        cat = leaf_category(f)
        stats.counts[cat] += 1
        stats.pointers[cat].append(f.pointer)
        if cat == BUSINESS:
            stats.max_business_depth = max(stats.max_business_depth, f.depth)
    return stats


def id_share(stats: Stats) -> float:
    """Share of identifier-like leaves among identifiers, links, statuses and business leaves."""
    core = sum(stats.counts[c] for c in (ID, LINK, STATUS, BUSINESS))
    return stats.counts[ID] / core if core else 0.0


def _empty(value: Any) -> bool:
    return value is None or value in ([], {}, "")


def _inert(value: Any) -> bool:
    # Empty change lists and reference tokens (a git SHA in `old`) describe no change of state.
    return _empty(value) or (isinstance(value, str) and (looks_like_id_value(value) or _hex(value)))


def delta_markers(fields: list[Field]) -> list[str]:
    """Pointers of change-set members: changedFields, previous_attributes, updateMask, patches."""
    found = []
    for f in fields:
        named = norm(f.name) in DELTA_NAMES and not (f.has_value and _inert(f.value))
        if named or _is_json_patch(f) or _is_merge_patch(f):
            found.append(f.pointer)
    return found


def _is_json_patch(f: Field) -> bool:
    if f.has_value:
        value = f.value
        return (
            isinstance(value, list)
            and bool(value)
            and all(isinstance(op, dict) and {"op", "path"} <= op.keys() for op in value)
        )
    items = f.node.get("items") if f.kind == "array" else None
    props = items.get("properties") if isinstance(items, dict) else None
    return isinstance(props, dict) and {"op", "path"} <= props.keys()


def _is_merge_patch(f: Field) -> bool:
    return f.node.get("contentMediaType") == _MERGE_PATCH_TYPE


def _children(fields: list[Field]) -> dict[str, dict[str, Field]]:
    by_parent: dict[str, dict[str, Field]] = defaultdict(dict)
    for f in fields:
        parent = f.pointer.rsplit("/", 1)[0]
        by_parent[parent][norm(f.name)] = f
    return by_parent


def change_pairs(fields: list[Field]) -> tuple[list[str], list[str]]:
    """Find before/after style pairs; returns (delta pair pointers, full-image pointers)."""
    deltas: list[str] = []
    images: list[str] = []
    children = _children(fields)
    for parent, members in children.items():
        for old, new in VALUE_PAIRS:
            if old in members and new in members and not _id_pair(members[old], members[new]):
                deltas.append(parent or "/")
        deltas.extend(_prefixed_pairs(members))
        for old, new in IMAGE_PAIRS:
            if old in members or new in members:
                _classify_images(
                    members.get(old), members.get(new), children, parent, (deltas, images)
                )
    return deltas, images


# Prefixed pairs such as previousPrice/currentPrice or old_status/new_status name one value twice.
_OLD_PREFIXES = ("previous", "prior", "old", "before")
_NEW_PREFIXES = ("current", "new", "after", "updated")


def _prefixed_pairs(members: dict[str, Field]) -> list[str]:
    found = []
    for key, member in members.items():
        old = next((p for p in _OLD_PREFIXES if key.startswith(p) and len(key) > len(p)), None)
        if old is None:
            continue
        suffix = key[len(old) :]
        partner = next((members[n + suffix] for n in _NEW_PREFIXES if n + suffix in members), None)
        if partner is not None and not _id_pair(member, partner):
            found.append(member.pointer)
    return found


def _id_pair(a: Field, b: Field) -> bool:
    # Git SHAs and similar tokens in before/after are references, not states.
    return all(
        isinstance(f.value, str) and (looks_like_id_value(f.value) or _hex(f.value)) for f in (a, b)
    )


def _hex(value: str) -> bool:
    return len(value) >= 7 and all(c in "0123456789abcdef" for c in value.lower())


def _classify_images(
    old: Field | None, new: Field | None, children: dict, parent: str, out: tuple
) -> None:
    deltas, images = out
    sides = [f for f in (old, new) if f is not None and f.kind in ("object", "any", "null")]
    keysets = [set(children.get(f.pointer, {})) for f in sides if f.pointer in children]
    if not keysets:
        return
    if len(keysets) == 2 and not _similar(*keysets):
        deltas.append(parent or "/")  # partial images: only what changed
    elif max(len(k) for k in keysets) >= 2:
        images.append(parent or "/")


def _similar(a: set[str], b: set[str]) -> bool:
    union = a | b
    return not union or len(a & b) / len(union) >= 0.6


def coverage(schema_fields: list[Field], sample_fields: list[list[Field]]) -> float | None:
    """Mean share of the schema's leaf pointers that samples carry with a non-null value."""
    leaves = {f.pointer for f in schema_fields if f.leaf}
    if not leaves or not sample_fields:
        return None
    shares = []
    for fields in sample_fields:
        carried = {f.pointer for f in fields if f.value is not None}
        shares.append(len(leaves & carried) / len(leaves))
    return sum(shares) / len(shares)
