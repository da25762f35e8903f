"""Evidence about an event's shape, measured on flattened fields."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .changes import DELTA_NAMES
from .fields import Field
from .names import (
    BUSINESS,
    ID,
    LINK,
    META,
    META_CONTAINERS,
    REF,
    STATUS,
    TIME,
    categorize,
    is_actor_name,
    norm,
)

# DynamoDB wraps every attribute in a type tag; the attribute name is the parent.
_DYNAMO_TAGS = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"}
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


def leaf_category(f: Field, actors: frozenset[str] = frozenset()) -> str:
    """Category of a leaf, looking through DynamoDB type tags and metadata containers;
    leaves under an actor root (see `actor_roots`) are references, not the subject."""
    name = f.name
    if name in _DYNAMO_TAGS and f.ancestors:
        name = f.ancestors[-1]
    if any(norm(a) in _LINK_CONTAINERS for a in f.ancestors):
        return LINK
    ancestors = {norm(a) for a in f.ancestors}
    if ancestors & DELTA_NAMES or norm(name) in DELTA_NAMES:
        # Change lists describe the change, not the entity: they never count as business data.
        return META
    if is_actor_name(name) or (actors and not actors.isdisjoint(_containers(f.pointer))):
        return REF
    if ancestors & META_CONTAINERS:
        return META
    return categorize(name, f.value, f.has_value)


def _containers(pointer: str) -> list[str]:
    """The pointers of the objects holding `pointer`: /a/b/c -> /a, /a/b."""
    parts = pointer.split("/")
    return ["/".join(parts[:i]) for i in range(2, len(parts))]


def actor_roots(fields: list[Field]) -> frozenset[str]:
    """Pointers of objects naming actors or referenced people (`sender`, `user`, `claims`),
    unless one holds at least half the leaves: then it is the event's subject (a `user`
    event about the user)."""
    inside: Counter[str] = Counter()  # leaves under each object, in one pass (depth <= 16)
    leaves = 0
    for f in fields:
        if f.leaf:
            leaves += 1
            inside.update(_containers(f.pointer))
    roots = {
        f.pointer
        for f in fields
        if not f.leaf and is_actor_name(f.name) and inside[f.pointer] * 2 < leaves
    }
    return frozenset(roots)


def measure(fields: list[Field]) -> Stats:
    """Count leaves by category; null sample values are counted apart (null padding)."""
    stats = Stats()
    actors = actor_roots(fields)
    for f in fields:
        if not f.leaf:
            continue
        if f.has_value and (f.value is None or f.value == [] or f.value == {}):
            stats.nulls += 1
            continue
        stats.leaves += 1
        cat = leaf_category(f, actors)
        stats.counts[cat] += 1
        stats.pointers[cat].append(f.pointer)
        if cat == BUSINESS:
            stats.max_business_depth = max(stats.max_business_depth, f.depth)
    return stats


def id_share(stats: Stats) -> float:
    """Share of identifier-like leaves among identifiers, links, statuses and business leaves."""
    core = sum(stats.counts[c] for c in (ID, LINK, STATUS, BUSINESS))
    return stats.counts[ID] / core if core else 0.0


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
