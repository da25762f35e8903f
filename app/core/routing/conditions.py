"""Whether one leaf value satisfies one condition, for known values and for stand-ins.

String operators (prefix, suffix, equals-ignore-case, wildcard, cidr) hold only for strings and
numeric only for JSON numbers, as both routers document; anything-but holds for any present
value it does not exclude (a number is not excluded by a list of strings: event-ruler compares
numbers and strings apart).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from app.core.schema.regex import PatternError, search

from .model import Condition, Op
from .values import Unknown, is_number, same_value
from .wildcard import wildcard_matches

_COMPARE = {
    "=": lambda a, b: a == b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
}


def holds(condition: Condition, value: Any) -> bool:
    """Whether a known leaf value satisfies a condition other than exists."""
    op = condition.op
    if op is Op.EXACT:
        return same_value(condition.value, value)
    if op is Op.NUMERIC:
        return is_number(value) and all(_COMPARE[o](value, n) for o, n in condition.value)
    if op is Op.ANYTHING_BUT:
        return not excluded(condition, value)
    if not isinstance(value, str):
        return False
    return _string_holds(condition, value)


def _string_holds(condition: Condition, value: str) -> bool:
    op, text = condition.op, condition.value
    if condition.ignore_case or op is Op.EQUALS_IGNORE_CASE:
        value, text = value.lower(), text.lower()
    if op is Op.PREFIX:
        return value.startswith(text)
    if op is Op.SUFFIX:
        return value.endswith(text)
    if op is Op.EQUALS_IGNORE_CASE:
        return value == text
    if op is Op.WILDCARD:
        return wildcard_matches(text, value)
    if op is Op.CIDR:
        return _in_network(value, condition.value)
    raise ValueError(f"no string operator {op}")


def _in_network(value: str, network) -> bool:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return False
    return address.version == network.version and address in network


def excluded(condition: Condition, value: Any) -> bool:
    """Whether anything-but excludes the value."""
    inner, values = condition.inner, condition.value
    if inner is Op.EXACT:
        return any(same_value(each, value) for each in values)
    if not isinstance(value, str):
        return False
    return any(_string_holds(Condition(inner, each, condition.pointer), value) for each in values)


_STRINGS = frozenset({Op.PREFIX, Op.SUFFIX, Op.EQUALS_IGNORE_CASE, Op.WILDCARD, Op.CIDR})


def may_hold(condition: Condition, value: Unknown) -> bool:
    """Whether some value a stand-in stands for satisfies a condition other than exists."""
    if value.values is not None:
        return any(holds(condition, each) for each in value.values)
    op = condition.op
    if op in _STRINGS:
        return value.allows({"string"})
    if op is Op.NUMERIC:
        return value.allows({"number", "integer"})
    if op is Op.ANYTHING_BUT:
        return value.types is None or bool(value.types - {"object"})
    literal = condition.value
    if op is Op.EXACT and isinstance(literal, str) and value.pattern is not None:
        return value.allows({"string"}) and _fits(value.pattern, literal)
    if is_number(literal):
        kinds = {"number", "integer"} if float(literal).is_integer() else {"number"}
        return value.allows(kinds)
    if isinstance(literal, bool):
        return value.allows({"boolean"})
    return value.allows({"null"} if literal is None else {"string"})


def _fits(pattern: str, text: str) -> bool:
    """Whether a schema's ``pattern`` allows the text (a pattern the engine cannot run allows
    anything: the schema was stored, so only a larger limit can have let it in)."""
    try:
        return search(pattern, text)
    except PatternError:
        return True
