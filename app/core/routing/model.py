"""The compiled form of a routing rule: conditions on fields, joined by AND and `$or`.

A rule is parsed once (app.core.routing.grammar) into these values; the matcher
(app.core.routing.matcher) walks them against an event. Every node keeps the JSON pointer of
the rule text it came from, so a failed match can name the part of the rule that failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Grammar(StrEnum):
    """Whose matching rules a rule follows."""

    EVENTBRIDGE = "eventbridge"  # an EventBridge event pattern
    SNS = "sns"  # an SNS subscription filter policy


class Scope(StrEnum):
    """What an SNS filter policy reads (the subscription's FilterPolicyScope)."""

    MESSAGE_ATTRIBUTES = "MessageAttributes"  # SNS's default
    MESSAGE_BODY = "MessageBody"


class ConsumerScope(StrEnum):
    """What a consumer's SNS filter policy reads, as a consumer stores it (the subscription's
    FilterPolicyScope in the catalogue's spelling). A consumer on another router has none."""

    MESSAGE_ATTRIBUTES = "message-attributes"
    MESSAGE_BODY = "message-body"

    @property
    def sns(self) -> Scope:
        """The FilterPolicyScope SNS spells for it."""
        body = self is ConsumerScope.MESSAGE_BODY
        return Scope.MESSAGE_BODY if body else Scope.MESSAGE_ATTRIBUTES

    @classmethod
    def of_sns(cls, scope: Scope) -> ConsumerScope:
        """The catalogue's spelling of an SNS FilterPolicyScope."""
        return cls.MESSAGE_BODY if scope is Scope.MESSAGE_BODY else cls.MESSAGE_ATTRIBUTES


CONSUMER_SCOPES: tuple[ConsumerScope, ...] = tuple(ConsumerScope)


def stated_scope(scope: str | None) -> str | None:
    """A consumer's scope as a schemas-as-code tree states it: only a scope other than SNS's
    default (message-attributes) is written, so a tree and a registry that both mean the
    default agree however each spells it."""
    return None if scope in (None, ConsumerScope.MESSAGE_ATTRIBUTES) else scope


class Op(StrEnum):
    """The kinds of leaf condition."""

    EXACT = "exact"  # a string, number, boolean or null literal
    PREFIX = "prefix"
    SUFFIX = "suffix"
    EQUALS_IGNORE_CASE = "equals-ignore-case"
    WILDCARD = "wildcard"
    ANYTHING_BUT = "anything-but"
    NUMERIC = "numeric"
    EXISTS = "exists"
    CIDR = "cidr"


@dataclass(frozen=True)
class Condition:
    """One leaf condition. ``value`` is the literal, the text, a tuple of (operator, number)
    bounds for numeric, the network for cidr, or True/False for exists; ``ignore_case`` is set
    by a nested equals-ignore-case (prefix, suffix, anything-but); for anything-but ``inner``
    says what the excluded values are (EXACT, PREFIX, SUFFIX, EQUALS_IGNORE_CASE, WILDCARD)
    and ``value`` is a tuple of them."""

    op: Op
    value: Any
    pointer: str
    ignore_case: bool = False
    inner: Op | None = None


@dataclass(frozen=True)
class Leaf:
    """A field's conditions: the field matches if any condition holds."""

    conditions: tuple[Condition, ...]
    pointer: str


@dataclass(frozen=True)
class Node:
    """An object of the rule: every member must match (AND), and one branch of each `$or`."""

    members: dict[str, Node | Leaf]
    alternatives: tuple[tuple[Node, ...], ...] = ()
    pointer: str = ""
    alternative_pointers: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Mismatch:
    """Where a rule failed: the pointer into the rule, the one into the event, and why."""

    rule_pointer: str
    event_pointer: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        """{rule_pointer, event_pointer, reason}."""
        return {
            "rule_pointer": self.rule_pointer,
            "event_pointer": self.event_pointer,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class MatchResult:
    """The answer for one event: matched, or the first part of the rule that failed.
    ``assumed`` lists the event pointers whose values the registry does not know and assumed
    to match (an envelope field it does not record, a field the schema leaves open)."""

    mismatch: Mismatch | None
    assumed: tuple[str, ...] = ()

    @property
    def matched(self) -> bool:
        """True when the rule matches."""
        return self.mismatch is None

    def to_dict(self) -> dict[str, Any]:
        """{matched, mismatch: {rule_pointer, event_pointer, reason} | null, assumed}."""
        return {
            "matched": self.matched,
            "mismatch": self.mismatch.to_dict() if self.mismatch else None,
            "assumed": list(self.assumed),
        }
