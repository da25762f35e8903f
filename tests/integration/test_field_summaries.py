"""The shared-fields answers (app.services.field_index: the field names' facts grouped by the
database, a conflicting name's or a field's own rows) equal the table the registry used to build
in Python from every latest field of the catalogue: on the demo catalogue, and on a generated
one with type and format conflicts, unicode names and names holding LIKE's wildcards, on both
databases."""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

import pytest
from sqlalchemy import and_, select

from app.config import DEMO_CATALOG
from app.core.access import Actor
from app.core.analysis.consistency import (
    ConflictKind,
    FieldConflict,
    FieldUse,
    IndexedField,
    changed_names,
)
from app.core.errors import InvalidCursor
from app.db.models import Domain, EventType, FieldEntry, SchemaVersion
from app.db.queries.latest import latest_numbers
from app.services import catalog, field_index, versions
from app.services.catalog_loader import load_catalog
from app.services.transaction import atomic

SYSTEM = Actor.system("test")
# Field names of the generated catalogue: case twins, unicode, and LIKE's wildcards and escape.
NAMES = [
    "id",
    "Id",
    "amount",
    "status",
    "customerId",
    "a%b",
    "a_b",
    "a\\b",
    "ab",
    "aXb",
    "a",
    "100%",
    "_x",
    "prénom",
    "préfixe",
    "名前",
    "名",
    "emoji😀",
    "zeta",
    "Zeta",
    "createdAt",
    "ref",
    "count",
]
# Names with one JSON type (formats may still differ), and one with one type and no format.
FIXED = {"createdAt": "string", "ref": "string", "count": "integer"}
KINDS = ["string", "string", "string", "integer", "number", "boolean", "object", "array", None]
FORMATS = [None, None, "uuid", "date-time", "email", ""]
ENTITIES = ["Order", "Invoice", "Parcel", "Ticket", "Seat", "Coupon", "Review", "Stock"]
ACTIONS = ["Placed", "Paid", "Shipped", "Opened", "Closed", "Renewed", "Merged", "Flagged"]
PREFIXES = ["", "a", "a%", "a_", "a\\", "%", "_", "\\", "A", "I", "i", "pr", "pré", "名", "😀", "z"]


# The reference: the field table as app.services.field_index built it before the database
# grouped it (every latest field loaded, the conflict rule on them all).


def reference_rows(session) -> list[tuple[FieldEntry, str, str, int]]:
    latest = latest_numbers()
    statement = (
        select(FieldEntry, Domain.slug, EventType.name, SchemaVersion.version)
        .join(SchemaVersion, SchemaVersion.id == FieldEntry.version_id)
        .join(
            latest,
            and_(
                latest.c.event_type_id == SchemaVersion.event_type_id,
                latest.c.version == SchemaVersion.version,
            ),
        )
        .join(EventType, EventType.id == SchemaVersion.event_type_id)
        .join(Domain, Domain.id == EventType.domain_id)
        .order_by(FieldEntry.name, Domain.slug, EventType.name, FieldEntry.pointer)
    )
    return [tuple(row) for row in session.execute(statement)]


def reference_uses(rows) -> list[FieldUse]:
    return [
        FieldUse(
            f"{domain}.{event}",
            version,
            IndexedField(
                e.pointer, e.name, e.json_type, e.types, e.format, e.description, e.required
            ),
        )
        for e, domain, event, version in rows
    ]


def reference_conflicts(uses: list[FieldUse]) -> list[FieldConflict]:
    """The rule as its documentation says it, pair by pair: two uses of a name in different
    event types that declare different value types (else, different formats)."""
    values = {"string", "integer", "number", "boolean"}
    found = []
    for name in sorted({u.field.name for u in uses}):
        typed = [u for u in uses if u.field.name == name and u.field.json_type in values]
        pairs = [(a, b) for a in typed for b in typed if a.event != b.event]
        if any(a.field.json_type != b.field.json_type for a, b in pairs):
            found.append(FieldConflict(ConflictKind.TYPE, name, tuple(typed)))
            continue
        formatted = [(a, b) for a, b in pairs if a.field.format and b.field.format]
        if any(a.field.format != b.field.format for a, b in formatted):
            said = tuple(u for u in typed if u.field.format)
            found.append(FieldConflict(ConflictKind.FORMAT, name, said))
    return found


def reference_table(session) -> tuple[list[dict[str, Any]], list[FieldConflict]]:
    uses = reference_uses(reference_rows(session))
    found = reference_conflicts(uses)
    kinds = defaultdict(list)
    for conflict in found:
        kinds[conflict.name].append(str(conflict.kind))
    by_name = defaultdict(list)
    for use in uses:
        by_name[use.field.name].append(use)
    summaries = [
        {
            "name": name,
            "events": len({u.event for u in by_name[name]}),
            "types": sorted({u.field.json_type for u in by_name[name]}),
            "conflicts": kinds.get(name, []),
        }
        for name in sorted(by_name)
    ]
    return summaries, found


# The generated catalogue.


def field(rng: random.Random, name: str) -> dict[str, Any]:
    kind = FIXED.get(name) or rng.choice(KINDS)
    node: dict[str, Any] = {}
    if kind is not None:
        node["type"] = [kind, "null"] if rng.random() < 0.15 else kind
    if kind == "string" and (fmt := rng.choice(FORMATS)) is not None:
        node["format"] = fmt
    node["description"] = rng.choice(["", "a field", "ünïcode"])
    return node


def schema(rng: random.Random) -> dict[str, Any]:
    properties = {name: field(rng, name) for name in rng.sample(NAMES, rng.randint(1, 7))}
    if rng.random() < 0.3:  # one name twice in one event, at two pointers
        inner = {name: field(rng, name) for name in rng.sample(NAMES, 2)}
        properties["meta"] = {"type": "object", "properties": inner}
    return {"type": "object", "properties": properties}


def generate(session, count: int, seed: int = 13) -> list[tuple[str, str]]:
    """``count`` event types over three domains, a third with a second version, some of
    those with it deleted again (the first the latest live one); returns their addresses."""
    rng = random.Random(seed)
    with atomic(session):
        catalog.create_team(session, SYSTEM, "gen", "Generated")
        for slug in ("alpha", "beta", "gamma"):
            catalog.create_domain(session, SYSTEM, slug, slug.title(), "gen")
            catalog.create_bus(session, SYSTEM, f"{slug}-bus", slug, "eventbridge")
    made = []
    for index in range(count):
        domain = ("alpha", "beta", "gamma")[index % 3]
        within = index // 3
        name = ENTITIES[within % len(ENTITIES)] + ACTIONS[(within // len(ENTITIES)) % len(ACTIONS)]
        name += "Again" * (within // (len(ENTITIES) * len(ACTIONS)))
        with atomic(session):
            catalog.create_event_type(
                session, SYSTEM, domain, name, bus=f"{domain}-bus", compatibility="NONE"
            )
            versions.register_version(session, SYSTEM, domain, name, schema(rng))
            if index % 3 == 0:
                versions.register_version(session, SYSTEM, domain, name, schema(rng))
                if index % 9 == 0:
                    versions.delete_version(session, SYSTEM, domain, name, 2, False)
        made.append((domain, name))
    return made


# The checks.


def every_page(session, limit: int, prefix: str, conflicting: bool) -> list[list[Any]]:
    pages, after = [], None
    while True:
        page = field_index.list_fields(session, after, limit, prefix or None, conflicting)
        pages.append([page.items, page.after])
        if page.after is None:
            return pages
        after = page.after


def expected_pages(summaries, limit: int, prefix: str, conflicting: bool) -> list[list[Any]]:
    kept = [s for s in summaries if s["name"].startswith(prefix)]
    kept = [s for s in kept if s["conflicts"]] if conflicting else kept
    pages = []
    for start in range(0, max(len(kept), 1), limit):
        chunk = kept[start : start + limit]
        more = len(kept) > start + limit
        pages.append([chunk, [chunk[-1]["name"]] if more else None])
    return pages


def assert_same_answers(session, limits: list[int], prefixes: list[str]) -> None:
    summaries, found = reference_table(session)
    assert summaries, "a catalogue with fields"
    for limit in limits:
        for prefix in prefixes:
            for conflicting in (False, True):
                expected = expected_pages(summaries, limit, prefix, conflicting)
                assert every_page(session, limit, prefix, conflicting) == expected, (
                    limit,
                    prefix,
                    conflicting,
                )
    assert field_index.catalogue_conflicts(session) == found
    by_name = {c.name: c for c in found}
    for summary in summaries:
        detail = field_index.field_detail(session, summary["name"], limit=10_000).body
        assert detail["types"] == summary["types"]
        assert len({use["event"] for use in detail["events"]}) == summary["events"]
        assert detail["event_count"] == summary["events"]
        conflict = by_name.get(summary["name"])
        assert detail["conflicts"] == ([conflict.to_dict()] if conflict else [])
    for event_type in session.scalars(select(EventType)):
        ref = f"{event_type.domain.slug}.{event_type.name}"
        mine = [c for c in found if ref in c.events]
        assert field_index.conflicts_of_event(session, event_type.id) == mine, ref
        assert field_index.event_findings(session, event_type) == [c.finding(ref) for c in mine]


def test_the_answers_equal_the_in_python_table_on_the_demo_catalogue(session):
    load_catalog(session, DEMO_CATALOG, SYSTEM)
    assert_same_answers(session, [1, 3, 25, 1000], ["", "order", "Order", "e", "c", "%", "_"])


def test_the_answers_equal_the_in_python_table_on_a_generated_catalogue(session):
    generate(session, 240)
    summaries, found = reference_table(session)
    kinds = {c.kind for c in found}
    assert kinds == {ConflictKind.TYPE, ConflictKind.FORMAT}, "both kinds of conflict generated"
    assert not [c for c in found if c.name == "count"]
    assert len(summaries) == len(NAMES) + 1  # and "meta"
    assert_same_answers(session, [1, 2, 7, 100], PREFIXES)


def test_a_prefix_is_case_sensitive_and_has_no_wildcards(session):
    generate(session, 60)

    def names(prefix: str) -> list[str]:
        return [s["name"] for s in field_index.list_fields(session, None, 100, prefix).items]

    assert names("a%") == ["a%b"] and names("a_") == ["a_b"] and names("a\\") == ["a\\b"]
    assert names("%") == [] and names("_") == ["_x"]
    assert names("Z") == ["Zeta"] and names("z") == ["zeta"] and names("I") == ["Id"]
    assert names("名") == ["名", "名前"] and names("pré") == ["préfixe", "prénom"]
    assert names("\x00") == [] and names("\U0010ffff") == []


def test_a_cursor_past_the_end_or_of_another_list_is_refused_or_empty(session):
    generate(session, 30)
    assert field_index.list_fields(session, ["\U0010ffff"], 5).items == []
    last = reference_table(session)[0][-1]["name"]
    assert field_index.list_fields(session, [last], 5) == field_index.list_fields(
        session, ["\U0010ffff"], 5
    )
    for forged in ([1], ["a", "b"], "a", [None]):
        with pytest.raises(InvalidCursor):
            field_index.list_fields(session, forged, 5)


def test_names_whose_conflicts_change_cover_every_conflict_a_new_version_changes(session):
    made = generate(session, 120)
    rng = random.Random(7)

    def conflict_map() -> dict[str, tuple[Any, ...]]:
        found = reference_table(session)[1]
        return {c.name: (c.kind, c.message(), tuple(c.events)) for c in found}

    changed_somewhere = 0
    for domain, name in rng.sample(made, 25):
        event_type = catalog.get_event_type(session, domain, name)
        before_version = versions.get_version(session, domain, name, "latest")
        before = field_index.version_fields(session, before_version.id)
        conflicts_before = conflict_map()
        with atomic(session):
            registration = versions.register_version(session, SYSTEM, domain, name, schema(rng))
        after = field_index.version_fields(session, registration.version.id)
        conflicts_after = conflict_map()
        oracle = {
            n
            for n in conflicts_before.keys() | conflicts_after.keys()
            if conflicts_before.get(n) != conflicts_after.get(n)
        }
        found = field_index.names_whose_conflicts_change(session, event_type.id, before, after)
        assert oracle <= found <= changed_names(before, after), (domain, name)
        carriers = {e.event_type_id for e, *_ in reference_rows(session) if e.name in found}
        assert field_index.event_types_carrying(session, found) == sorted(carriers)
        changed_somewhere += bool(oracle)
    assert changed_somewhere >= 5, "the sample changes some conflicts"
