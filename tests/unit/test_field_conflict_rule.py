"""The field-conflict rule decided from a name's facts (app.core.analysis.consistency): the same
answer whether the facts come from every use in Python or from the database's grouping, and
which names a new latest version can change."""

from app.core.analysis import consistency as rule
from app.core.analysis.consistency import ConflictKind, FieldUse, IndexedField, NameFacts


def found(name: str, kind: str, fmt: str | None = None, pointer: str = "") -> IndexedField:
    return IndexedField(pointer or f"/{name}", name, kind, kind, fmt, "", False)


def use(event: str, kind: str, fmt: str | None = None) -> FieldUse:
    return FieldUse(event, 1, found("id", kind, fmt))


def test_two_types_in_two_events_conflict_one_event_alone_does_not():
    assert rule.conflict_kind(rule.facts_of([use("a.A", "string"), use("b.B", "integer")])) is (
        ConflictKind.TYPE
    )
    assert rule.conflict_kind(rule.facts_of([use("a.A", "string"), use("a.A", "integer")])) is None
    # one event saying both, another saying one of them: they still differ
    both = [use("a.A", "string"), use("a.A", "integer"), use("b.B", "string")]
    assert rule.conflict_kind(rule.facts_of(both)) is ConflictKind.TYPE


def test_containers_untyped_fields_and_missing_formats_take_no_part():
    assert rule.conflict_kind(rule.facts_of([use("a.A", "string"), use("b.B", "object")])) is None
    assert rule.conflict_kind(rule.facts_of([use("a.A", "string"), use("b.B", "any")])) is None
    plain = [use("a.A", "string", "uuid"), use("b.B", "string"), use("c.C", "string", "")]
    assert rule.conflict_kind(rule.facts_of(plain)) is None
    formats = [use("a.A", "string", "uuid"), use("b.B", "string", "uri")]
    assert rule.conflict_kind(rule.facts_of(formats)) is ConflictKind.FORMAT
    assert [c.kind for c in rule.conflicts(formats)] == [ConflictKind.FORMAT]


def test_an_events_own_fields_join_the_facts_of_the_others():
    others = NameFacts(frozenset({"string"}), 1, frozenset({"uuid"}), 1)
    assert rule.conflict_kind(rule.with_own(others, [found("id", "integer")])) is ConflictKind.TYPE
    assert rule.conflict_kind(rule.with_own(others, [found("id", "string", "uri")])) is (
        ConflictKind.FORMAT
    )
    assert rule.conflict_kind(rule.with_own(others, [found("id", "string")])) is None
    assert rule.conflict_kind(rule.with_own(others, [])) is None


def test_changed_names_are_those_whose_pointer_type_or_format_moved():
    before = [found("id", "string"), found("amount", "integer"), found("note", "string")]
    after = [
        found("id", "string"),
        found("amount", "number"),
        found("note", "string", pointer="/meta/note"),
        found("extra", "boolean"),
    ]
    assert rule.changed_names(before, after) == {"amount", "note", "extra"}
    described = [IndexedField("/id", "id", "string", "string", None, "now described", True)]
    assert rule.changed_names([found("id", "string")], described) == set()
    assert rule.changed_names(before, []) == {"id", "amount", "note"}
