"""Consumers checked against the events they receive: a routing rule that can never match, a
rule that matches everything, and fields a consumer reads that the event does not carry.

No registry checks consumers' routing rules against schemas; Eventry does it by walking the
compiled rule (app.core.routing.grammar) over the stand-in for every event the schema allows
(app.core.routing.schema_values) inside the envelope the router delivers
(app.core.routing.delivery), field by field:

- ``rule-field-missing`` (error): the rule wants a field the schema lacks, in an object that
  allows no other members (``additionalProperties``/``unevaluatedProperties`` false);
- ``rule-field-undeclared`` (warning): the field is not declared, and the object is open, so
  the rule matches only events carrying a member the schema does not describe;
- ``rule-value-impossible`` (error): every literal lies outside the field's ``enum``, ``const``
  or ``pattern`` (or, for the declared event, the rule's ``detail-type`` excludes it);
- ``rule-type-mismatch`` (error): the conditions need another JSON type than the field's (a
  numeric filter on a string, a prefix on a number, any value on an object: the routers match
  leaf values only);
- ``rule-matches-everything`` (warning): every event on the bus satisfies the rule, so it
  filters nothing;
- ``consumer-reads-missing-field`` (warning): a field the consumer declares that it reads is
  neither in the schema nor in a valid sample, so it must call the producer back for it.

Rule paths become event paths as the router delivers them: EventBridge's ``detail.x.y`` is the
payload's ``/x/y``, ``detail-type`` is the event type's name and the other envelope fields are
not in the schema; an SNS filter policy reads message attributes (none in the schema but
``detail-type``) or, with the MessageBody scope, the payload itself. Every pointer is RFC 6901,
array items written ``/0`` as in app.core.analysis.fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.core.analysis.consumers import missing_fields
from app.core.analysis.fields import flatten_schema
from app.core.pointers import escape
from app.core.schema import SchemaDocument

from .conditions import holds
from .delivery import delivered
from .matcher import leaf_mismatch, member_of
from .model import Condition, Leaf, Node, Op, Scope
from .schema_values import schema_value
from .values import MISSING, SymArray, SymObject, Unknown, kind_of

_STRING_OPS = frozenset({Op.PREFIX, Op.SUFFIX, Op.EQUALS_IGNORE_CASE, Op.WILDCARD, Op.CIDR})
_NUMBERS = frozenset({"number", "integer"})


class ConsumerFindingKind(StrEnum):
    """What is wrong with a rule, as a finding's id."""

    FIELD_MISSING = "rule-field-missing"
    FIELD_UNDECLARED = "rule-field-undeclared"
    VALUE_IMPOSSIBLE = "rule-value-impossible"
    TYPE_MISMATCH = "rule-type-mismatch"
    MATCHES_EVERYTHING = "rule-matches-everything"
    FIELD_NOT_CARRIED = "consumer-reads-missing-field"


_SEVERITY = {
    ConsumerFindingKind.FIELD_UNDECLARED: "warning",
    ConsumerFindingKind.MATCHES_EVERYTHING: "warning",
    ConsumerFindingKind.FIELD_NOT_CARRIED: "warning",
}

_HINTS = {
    ConsumerFindingKind.FIELD_MISSING: "Match on a field the event carries, or have the producer "
    "add the field to the schema first.",
    ConsumerFindingKind.FIELD_UNDECLARED: "Ask the producer to declare the field in the schema, "
    "so that a change to it is checked against this consumer, or match on a declared field.",
    ConsumerFindingKind.VALUE_IMPOSSIBLE: "Match a value the schema allows (its enum, const or "
    "pattern), or have the producer widen the schema first.",
    ConsumerFindingKind.TYPE_MISMATCH: "Use an operator for the field's JSON type: numeric "
    "comparisons for numbers, prefix, suffix or wildcard for strings.",
    ConsumerFindingKind.MATCHES_EVERYTHING: "Narrow the rule (source, detail-type or a payload "
    "field) so that the consumer receives only the events it handles.",
    ConsumerFindingKind.FIELD_NOT_CARRIED: "Call the producer back for the field (and declare "
    "calls_back), read it from an event that carries it, or ask the producer to add it.",
}


@dataclass(frozen=True)
class ConsumerFinding:
    """One finding about a consumer: ``rule_pointer`` into its rule (None for a field it
    reads), ``field_pointer`` into the
    event's payload (None for an envelope field or a message attribute), ``schema_pointer``
    into the schema's text where the field is (or would be) declared (None when the schema
    says nothing of it)."""

    kind: ConsumerFindingKind
    rule_pointer: str | None
    message: str
    field_pointer: str | None = None
    schema_pointer: str | None = None

    @property
    def severity(self) -> str:
        """``error`` for a rule that can never match, ``warning`` otherwise."""
        return _SEVERITY.get(self.kind, "error")

    @property
    def hint(self) -> str:
        """What the consumer's team can do about it, one sentence."""
        return _HINTS[self.kind]

    def to_dict(self) -> dict[str, Any]:
        """{id, severity, rule_pointer, field_pointer, schema_pointer, message}."""
        return {
            "id": self.kind.value,
            "severity": self.severity,
            "rule_pointer": self.rule_pointer,
            "field_pointer": self.field_pointer,
            "schema_pointer": self.schema_pointer,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, body: dict[str, Any]) -> ConsumerFinding:
        """The finding ``to_dict`` gave (a stored one read back); ValueError for an unknown id."""
        return cls(
            ConsumerFindingKind(body["id"]),
            body["rule_pointer"],
            body["message"],
            body["field_pointer"],
            body["schema_pointer"],
        )


def lint_rule(
    rule: Node,
    router: str,
    name: str,
    document: SchemaDocument | None,
    *,
    declared: bool = False,
    scope: Scope | None = None,
) -> list[ConsumerFinding]:
    """The findings of a compiled rule on a bus of ``router`` against the event type ``name``
    whose latest schema is ``document`` (None: none yet, only the envelope is known).

    ``declared`` says the consumer declares this event: then a rule whose envelope conditions
    exclude it is a finding too; otherwise such a rule is about other events and has none."""
    body = scope is Scope.MESSAGE_BODY
    if not declared and not body and not _selects(rule, name):
        return []  # its detail-type selects other event types: nothing to say about this one
    payload = schema_value(document) if document is not None else Unknown(why="no schema yet")
    event = payload if body else delivered(router, name, payload)
    linter = _Linter(_schema_pointers(document), "" if body else None, router)
    found = linter.node(rule, event, "")
    if matches_everything(rule, router, scope):
        found.append(
            ConsumerFinding(
                ConsumerFindingKind.MATCHES_EVERYTHING,
                "",
                "its rule matches every event on its bus: it filters nothing",
            )
        )
    return found


def gap_findings(
    fields: list[str], event_fields: set[str], calls_back: bool
) -> list[ConsumerFinding]:
    """A finding for each field a consumer reads (payload pointers) that the event does not
    carry (``event_fields``: app.core.analysis.field_pointers of its schema and samples)."""
    missing = missing_fields(fields, event_fields)
    then = (
        "it declares that it calls the producer back"
        if calls_back
        else "it must call the producer back for it, although it declares that it does not"
    )
    return [
        ConsumerFinding(
            ConsumerFindingKind.FIELD_NOT_CARRIED,
            None,
            f"it reads {pointer}, which the event does not carry: {then}",
            pointer,
        )
        for pointer in missing
    ]


def _names(rule: Node, name: str) -> bool:
    """Whether the rule's detail-type selects this event type by name."""
    return "detail-type" in rule.members and _selects(rule, name)


def _selects(rule: Node, name: str) -> bool:
    chosen = rule.members.get("detail-type")
    return not isinstance(chosen, Leaf) or leaf_mismatch(chosen, name, "") is None


def _schema_pointers(document: SchemaDocument | None) -> dict[str, str]:
    if document is None:
        return {}
    fields, _kind = flatten_schema(document, unwrap_envelope=False)
    return {f.pointer: f.schema_pointer for f in fields}


class _Linter:
    def __init__(self, paths: dict[str, str], payload_at: str | None, router: str) -> None:
        self.paths = paths
        self.payload_at = payload_at  # the event pointer of the payload ("" for a body)
        self.router = router

    def field(self, at: str) -> str | None:
        """The payload pointer of an event pointer (None outside the payload)."""
        if self.payload_at is not None:
            return at
        if self.router != "sns" and (at == "/detail" or at.startswith("/detail/")):
            return at[len("/detail") :]
        return None

    def schema_at(self, field: str) -> str | None:
        """Where the schema declares a payload field (its items, for an array's ``/0``)."""
        if field in self.paths or field == "":
            return self.paths.get(field, "")
        if field.endswith("/0") and field[:-2] in self.paths:
            return self.paths[field[:-2]] + "/items"
        return None

    def node(self, node: Node, value: Any, at: str) -> list[ConsumerFinding]:
        while isinstance(value, SymArray):  # a rule object reads each element alike
            value, at = value.item, f"{at}/0"
        found: list[ConsumerFinding] = []
        for key, child in node.members.items():
            found += self.member(key, child, value, f"{at}/{escape(key)}")
        for branches in node.alternatives:
            each = [self.node(branch, value, at) for branch in branches]
            if all(each):  # no branch can match: every branch's findings
                found += [finding for branch in each for finding in branch]
        return found

    def member(self, key: str, rule: Node | Leaf, value: Any, at: str) -> list[ConsumerFinding]:
        child, _optional = member_of(value, key)
        undeclared = isinstance(value, SymObject) and key not in value and child is not MISSING
        if undeclared and self.field(at) is None:
            return []  # a message attribute or envelope field the catalogue does not record
        if child is MISSING or undeclared:
            if leaf_mismatch(_any_leaf(rule), MISSING, at) is None:
                return []  # exists: false, which an absent field satisfies
            return [self.absent(rule, value, at, undeclared)]
        if isinstance(rule, Node):
            return self.node(rule, child, at)
        while isinstance(child, SymArray):
            child, at = child.item, f"{at}/0"
        miss = leaf_mismatch(rule, child, at)
        return [] if miss is None else [self.impossible(rule, child, at, miss.reason)]

    def absent(self, rule: Node | Leaf, value: Any, at: str, open_: bool) -> ConsumerFinding:
        field = self.field(at)
        parent = self.field(at.rsplit("/", 1)[0])
        where = self.schema_at(parent) if parent is not None else None
        name = field if field is not None else at
        if open_:
            return ConsumerFinding(
                ConsumerFindingKind.FIELD_UNDECLARED,
                rule.pointer,
                f"the schema does not declare {name}: the rule matches only events that carry "
                "a member the schema does not describe",
                field,
                where,
            )
        closed = " and allows no other members" if isinstance(value, SymObject) else ""
        whose = "the schema" if field is not None else f"what {self.router} delivers"
        return ConsumerFinding(
            ConsumerFindingKind.FIELD_MISSING,
            rule.pointer,
            f"{whose} has no field {name}{closed}, so the rule can never match",
            field,
            where,
        )

    def impossible(self, leaf: Leaf, value: Any, at: str, reason: str) -> ConsumerFinding:
        field = self.field(at)
        where = self.schema_at(field) if field is not None else None
        kind = _kind(leaf, value)
        types = _types_of(value) if isinstance(value, Unknown) else None
        if kind is ConsumerFindingKind.TYPE_MISMATCH and types:
            reason = f"it is of type {' or '.join(sorted(types))}, and {reason}"
        message = f"the rule can never match {field or at}: {reason}"
        return ConsumerFinding(kind, leaf.pointer, message, field, where)


def _any_leaf(rule: Node | Leaf) -> Leaf:
    # An absent object satisfies a nested rule only through its exists: false leaves; a rule
    # object without one is taken as a leaf that wants a value.
    if isinstance(rule, Leaf):
        return rule
    leaves = [child for child in rule.members.values() if isinstance(child, Leaf)]
    if leaves and all(leaf_mismatch(leaf, MISSING, "") is None for leaf in leaves):
        return leaves[0]
    return Leaf((Condition(Op.EXISTS, True, rule.pointer),), rule.pointer)


def _kind(leaf: Leaf, value: Any) -> ConsumerFindingKind:
    """Whether no condition fits the field's type, or the type fits and the values do not."""
    if isinstance(value, SymObject | dict):
        return ConsumerFindingKind.TYPE_MISMATCH
    types = _types_of(value) if isinstance(value, Unknown) else {kind_of(value)}
    if types is None or any(_fits_type(c, types) for c in leaf.conditions):
        return ConsumerFindingKind.VALUE_IMPOSSIBLE
    return ConsumerFindingKind.TYPE_MISMATCH


def _types_of(value: Unknown) -> set[str] | None:
    if value.values is not None:
        return {kind_of(each) for each in value.values}
    return (
        None
        if value.types is None
        else set(value.types) | ({"number"} if "integer" in value.types else set())
    )


def _fits_type(condition: Condition, types: set[str]) -> bool:
    if condition.op in _STRING_OPS:
        return "string" in types
    if condition.op is Op.NUMERIC:
        return bool(types & _NUMBERS)
    if condition.op is Op.EXACT:
        literal = kind_of(condition.value)
        return literal in types or (literal == "number" and "integer" in types)
    return bool(types - {"object", "array"})  # exists, anything-but: any leaf value


def matches_everything(rule: Node, router: str, scope: Scope | None = None) -> bool:
    """Whether every event a bus of ``router`` can carry satisfies the rule (any event type,
    any payload, the envelope fields the router always sets)."""
    if scope is Scope.MESSAGE_BODY:
        return _must_node(rule, Unknown(frozenset({"object"})))
    anything = Unknown(frozenset({"object"}), why="any payload")
    return _must_node(rule, delivered(router, _ANY_NAME, anything))


_ANY_NAME = Unknown(frozenset({"string"}), why="any event type on the bus")


def _must_node(node: Node, value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    for key, child in node.members.items():
        sub, optional = member_of(value, key)
        if optional or sub is MISSING or isinstance(child, Node):
            return False
        if not any(_must_hold(c, sub) for c in child.conditions):
            return False
    return all(any(_must_node(b, value) for b in branches) for branches in node.alternatives)


def _must_hold(condition: Condition, value: Any) -> bool:
    """Whether every value the (stand-in) value may be satisfies the condition."""
    if not isinstance(value, Unknown):
        return condition.op is not Op.EXISTS and holds(condition, value)
    if value.values is not None:
        return all(holds(condition, each) for each in value.values)
    types = value.types
    if not types or types & {"object", "array", "null"}:
        return False
    if condition.op is Op.EXISTS:
        return condition.value is True
    if condition.op is Op.ANYTHING_BUT:  # excludes no value of the field's types
        return all(not _fits_type(Condition(Op.EXACT, v, ""), set(types)) for v in condition.value)
    if types <= {"string"} and condition.op in (Op.PREFIX, Op.SUFFIX):
        return condition.value == ""
    return types <= {"string"} and condition.op is Op.WILDCARD and set(condition.value) == {"*"}


def consumer_findings(
    consumer: dict[str, Any],
    router: str,
    name: str,
    document: SchemaDocument | None,
    event_fields: set[str],
    receives: bool,
) -> list[ConsumerFinding]:
    """Everything to say about one consumer and one event of its bus: its rule's findings
    (when it receives or declares the event, or its detail-type names it) and the fields it
    reads that the event lacks
    (when it receives it). ``consumer`` is {rule, declared, fields, calls_back, scope}: ``rule``
    the compiled rule or None, ``declared`` whether it declares this event, ``scope`` an SNS
    filter policy's Scope (absent: the router's default)."""
    declared = bool(consumer.get("declared"))
    found: list[ConsumerFinding] = []
    rule = consumer.get("rule")
    if rule is not None and (receives or declared or _names(rule, name)):
        scope = consumer.get("scope")
        found += lint_rule(rule, router, name, document, declared=declared, scope=scope)
    if receives:
        fields = [str(p) for p in consumer.get("fields") or []]
        found += gap_findings(fields, event_fields, bool(consumer.get("calls_back")))
    return found
