"""Field consistency across the catalogue: one field name, one JSON type and one format.

A field is named by the last segment of its JSON pointer (``/customer/id`` is ``id``). Two event
types that both carry ``customerId`` should agree on what it is: a consumer that joins them, or
copies one into the other, breaks when one says ``string`` and the other ``integer`` (JSON
Schema's ``type``), or when one says ``format: uuid`` and the other ``format: uri``.

Only the latest live version of each event type is compared: older versions are history, and
their consumers are migrating away from them. A field with no declared type (``any``) conflicts
with nothing, and ``null`` beside a type (``["string", "null"]``) is nullability, not another
type; a field with no ``format`` conflicts with no format.

Only values are compared, not containers: a name that is an object or an array in one event
type and a value in another is a wrapper (``amount`` as a Money object around an integer
``amount``) or an expandable reference (Stripe's ``customer``, an id or the expanded object),
both deliberate designs, so a field typed ``object`` or ``array`` takes no part.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.core.schema import SchemaDocument

from .fields import flatten_schema
from .model import LintFinding

UNTYPED = "any"
# The JSON types that take part in a type conflict: values, not containers (see above).
VALUE_TYPES = frozenset({"string", "integer", "number", "boolean"})


class ConflictKind(StrEnum):
    """What two event types disagree on about a field of one name."""

    TYPE = "field-type-conflict"
    FORMAT = "field-format-conflict"


@dataclass(frozen=True)
class IndexedField:
    """One field path of a schema, as the field index stores it: ``pointer`` into the event
    (array items as ``/0``), ``name`` its last segment, ``json_type`` its JSON type without
    ``null`` (``any`` when undeclared), ``types`` every declared type (``string | null``)."""

    pointer: str
    name: str
    json_type: str
    types: str
    format: str | None
    description: str
    required: bool


@dataclass(frozen=True)
class FieldUse:
    """An indexed field of one event type's latest version (``event`` is ``domain.Name``)."""

    event: str
    version: int
    field: IndexedField

    def to_dict(self) -> dict[str, Any]:
        """{event, version, pointer, type, types, format, description, required}."""
        found = self.field
        return {
            "event": self.event,
            "version": self.version,
            "pointer": found.pointer,
            "type": found.json_type,
            "types": found.types,
            "format": found.format,
            "description": found.description,
            "required": found.required,
        }


@dataclass(frozen=True)
class FieldConflict:
    """Event types that disagree about the field ``name``: every use of it, grouped by the
    type (or format) each one declares."""

    kind: ConflictKind
    name: str
    uses: tuple[FieldUse, ...]

    @property
    def events(self) -> list[str]:
        return sorted({use.event for use in self.uses})

    def message(self) -> str:
        """One sentence naming the field and, for each type (or format) declared, the events
        that declare it with their first pointer: ``the field 'amount' has different JSON
        types: integer in orders.OrderPlaced (/totals/tax/amount, 6 more); object in …``."""
        what = "JSON types" if self.kind is ConflictKind.TYPE else "formats"
        grouped: dict[str, dict[str, list[str]]] = defaultdict(dict)
        for use in self.uses:
            said = _declared(use, self.kind)
            grouped[said].setdefault(use.event, []).append(use.field.pointer)
        parts = []
        for said in sorted(grouped):
            events = ", ".join(
                f"{event} ({_pointers(pointers)})"
                for event, pointers in sorted(grouped[said].items())
            )
            parts.append(f"{said} in {events}")
        return f"the field {self.name!r} has different {what}: " + "; ".join(parts)

    def finding(self, event: str) -> LintFinding:
        """The conflict as a warning on one of its events, at that event's first pointer."""
        pointer = next(use.field.pointer for use in self.uses if use.event == event)
        hint = (
            f"Give {self.name} one {'JSON type' if self.kind is ConflictKind.TYPE else 'format'} "
            "across the catalogue, or rename the field where it means something else."
        )
        return LintFinding(str(self.kind), "warning", pointer, self.message(), hint)

    def to_dict(self) -> dict[str, Any]:
        """{id, severity, field, events, uses (FieldUse.to_dict each), message}."""
        return {
            "id": str(self.kind),
            "severity": "warning",
            "field": self.name,
            "events": self.events,
            "uses": [use.to_dict() for use in self.uses],
            "message": self.message(),
        }


def index_fields(document: SchemaDocument) -> list[IndexedField]:
    """Every field path of a schema, parents before children, references followed through the
    document's resolver (app.core.analysis.fields); pointers address the event as sent (no
    envelope unwrapped)."""
    fields, _kind = flatten_schema(document, unwrap_envelope=False)
    found = []
    for each in fields:
        node = each.node
        declared = node.get("type")
        types = [str(t) for t in declared] if isinstance(declared, list) else []
        types = types or ([declared] if isinstance(declared, str) else [each.kind])
        fmt = node.get("format")
        found.append(
            IndexedField(
                pointer=each.pointer,
                name=each.name,
                json_type=each.kind if each.kind != "never" else UNTYPED,
                types=" | ".join(types),
                format=fmt if isinstance(fmt, str) else None,
                description=str(node.get("description") or ""),
                required=each.required,
            )
        )
    return found


def conflicts(uses: Iterable[FieldUse]) -> list[FieldConflict]:
    """The type and format conflicts among field uses (latest versions), by field name: a
    conflict needs two different event types that declare the field differently."""
    by_name: dict[str, list[FieldUse]] = defaultdict(list)
    for use in uses:
        if use.field.json_type in VALUE_TYPES:
            by_name[use.field.name].append(use)
    found = []
    for name in sorted(by_name):
        named = by_name[name]
        kind = conflict_kind(facts_of(named))
        if kind is ConflictKind.TYPE:
            found.append(FieldConflict(kind, name, tuple(named)))
        elif kind is ConflictKind.FORMAT:
            formatted = [use for use in named if use.field.format]
            found.append(FieldConflict(kind, name, tuple(formatted)))
    return found


@dataclass(frozen=True)
class NameFacts:
    """What decides whether one field name conflicts across the latest versions: the value
    types declared for it (VALUE_TYPES only) and by how many event types, the formats declared
    on those value fields (empty ones left out) and by how many event types."""

    value_types: frozenset[str]
    value_events: int
    formats: frozenset[str]
    format_events: int


def conflict_kind(facts: NameFacts) -> ConflictKind | None:
    """The name's conflict: TYPE when two event types give it different value types, else
    FORMAT when two give its value fields different formats, else None. Two values said by two
    events are enough (linear, not pairs): if one event says both, any other event differs
    from one of them."""
    if len(facts.value_types) > 1 and facts.value_events > 1:
        return ConflictKind.TYPE
    if len(facts.formats) > 1 and facts.format_events > 1:
        return ConflictKind.FORMAT
    return None


def facts_of(uses: Iterable[FieldUse]) -> NameFacts:
    """The NameFacts of one name's uses (of any JSON type: containers and ``any`` left out)."""
    valued = [use for use in uses if use.field.json_type in VALUE_TYPES]
    formatted = [use for use in valued if use.field.format]
    return NameFacts(
        frozenset(use.field.json_type for use in valued),
        len({use.event for use in valued}),
        frozenset(str(use.field.format) for use in formatted),
        len({use.event for use in formatted}),
    )


def with_own(others: NameFacts, own: Iterable[IndexedField]) -> NameFacts:
    """The facts of a name once one event type's fields ``own`` (of that name) join the facts
    of the other event types' latest versions (``others``, which must leave that event out)."""
    valued = [found for found in own if found.json_type in VALUE_TYPES]
    formats = {str(found.format) for found in valued if found.format}
    return NameFacts(
        others.value_types | {found.json_type for found in valued},
        others.value_events + bool(valued),
        others.formats | formats,
        others.format_events + bool(formats),
    )


def changed_names(before: Iterable[IndexedField], after: Iterable[IndexedField]) -> set[str]:
    """The field names whose conflicts a new latest version may change: those whose fields
    differ between the event type's latest version before and after it, by pointer, JSON type,
    declared types or format (what a conflict and its message are made of; a description or a
    required flag is not). A name in only one of the two counts."""

    def said(fields: Iterable[IndexedField]) -> dict[str, set[tuple[Any, ...]]]:
        by_name: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
        for found in fields:
            by_name[found.name].add((found.pointer, found.json_type, found.types, found.format))
        return by_name

    old, new = said(before), said(after)
    return {name for name in old.keys() | new.keys() if old.get(name) != new.get(name)}


def _declared(use: FieldUse, kind: ConflictKind) -> str:
    return use.field.types if kind is ConflictKind.TYPE else f"format {use.field.format}"


def _pointers(pointers: list[str]) -> str:
    more = len(pointers) - 1
    return f"{pointers[0]}, {more} more" if more else pointers[0]
