"""Routing rules: EventBridge event patterns and SNS subscription filter policies, checked
against their router's grammar and matched against events as the router would.

Pure rules: no web framework, no ORM. ``match_rule`` is EventBridge's TestEventPattern (and its
SNS counterpart); ``compile_rule`` is the check a rule passes when it is stored.
"""

from __future__ import annotations

from typing import Any

from app.core.errors import InvalidInput

from .attributes import decode_attributes
from .grammar import InvalidPattern, compile_rule
from .matcher import match
from .model import Grammar, MatchResult, Mismatch, Node, Scope
from .values import MISSING, SymArray, SymObject, Unknown

__all__ = [
    "MISSING",
    "Grammar",
    "InvalidPattern",
    "MatchResult",
    "Mismatch",
    "Node",
    "Scope",
    "SymArray",
    "SymObject",
    "Unknown",
    "compile_rule",
    "match",
    "match_rule",
    "parse_grammar",
    "parse_scope",
]


def parse_grammar(router: str) -> Grammar:
    """A router's name as its grammar ("eventbridge" or "sns"). Raises InvalidInput."""
    try:
        return Grammar(router)
    except ValueError:
        raise InvalidInput(
            f"router must be eventbridge or sns (got {router!r})",
            [{"message": "unknown router", "pointer": "/router"}],
        ) from None


def parse_scope(grammar: Grammar, scope: str | None) -> Scope | None:
    """An SNS filter policy's scope (default MessageAttributes); None for EventBridge.
    Raises InvalidInput for an unknown scope, or a scope given with EventBridge."""
    if grammar is Grammar.EVENTBRIDGE:
        if scope is not None:
            raise InvalidInput("scope belongs to SNS filter policies; EventBridge has none")
        return None
    try:
        return Scope(scope or Scope.MESSAGE_ATTRIBUTES)
    except ValueError:
        raise InvalidInput(
            f"scope must be MessageAttributes or MessageBody (got {scope!r})",
            [{"message": "unknown scope", "pointer": "/scope"}],
        ) from None


def match_rule(rule: Any, event: Any, grammar: Grammar, scope: Scope | None = None) -> MatchResult:
    """Whether a rule matches one event; with an SNS MessageAttributes scope the event is the
    message's attributes. Raises InvalidPattern for a rule its router refuses, InvalidInput
    for attributes SNS could not carry."""
    node = compile_rule(rule, grammar, scope)
    if scope is Scope.MESSAGE_ATTRIBUTES:
        event = decode_attributes(event)
    return match(node, event)
