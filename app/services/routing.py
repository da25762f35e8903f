"""Routing rules as a use case: test a rule against an event, as EventBridge's TestEventPattern
does (and its SNS counterpart); nothing is read or stored."""

from __future__ import annotations

from typing import Any

from app.core import limits, routing
from app.core.routing import InvalidPattern


def test_pattern(
    pattern: Any, event: Any, router: str = "eventbridge", scope: str | None = None
) -> dict[str, Any]:
    """Whether ``pattern`` (an EventBridge event pattern, or an SNS filter policy with
    ``router="sns"``) matches ``event`` (with the SNS MessageAttributes scope, SNS's default,
    the message's attributes; with MessageBody, the message body).

    Returns ``{"router", "scope", "matched", "mismatch"}``, the mismatch being
    ``{rule_pointer, event_pointer, reason}`` or None. Raises InvalidPattern (422: the operator
    and its pointer) for a rule the router would refuse, InvalidInput for an unknown router or
    scope or attributes SNS could not carry, LimitExceeded for an event beyond the limits."""
    limits.check_event(event, pointer="/event")
    limits.check_event(pattern, pointer="/pattern")
    grammar = routing.parse_grammar(router)
    chosen = routing.parse_scope(grammar, scope)
    with limits.budget():
        try:
            result = routing.match_rule(pattern, event, grammar, chosen)
        except InvalidPattern as error:  # its pointer is into the rule: say where in the body
            raise error.under("/pattern") from None
    return {
        "router": grammar.value,
        "scope": chosen.value if chosen else None,
        "matched": result.matched,
        "mismatch": result.mismatch.to_dict() if result.mismatch else None,
    }
