"""What a matcher can meet in an event: JSON values, and stand-ins for values the registry does
not know (an envelope field it does not record, a field a schema allows but no sample shows).

A rule "can match" a stand-in when some value it stands for would match: the matcher asks each
condition whether any such value satisfies it, and records the assumption.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()

JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "null", "object", "array"})


@dataclass(frozen=True)
class Unknown:
    """Some JSON value of ``types`` (None: any type), or one of ``values`` when those are
    known (a schema's enum or const); a string one matches ``pattern`` (ECMA-262) when it is
    set; ``why`` says where it comes from."""

    types: frozenset[str] | None = None
    values: tuple[Any, ...] | None = None
    why: str = ""
    pattern: str | None = None

    def allows(self, kinds: set[str]) -> bool:
        """Whether a value of one of these JSON types may stand here."""
        return self.types is None or bool(self.types & kinds)


class SymObject(dict):
    """An object known member by member: ``optional`` members may be absent, and ``others``
    (when not None) stands for members the object may hold beyond those listed."""

    def __init__(
        self, members: dict[str, Any], optional: frozenset[str] = frozenset(), others=None
    ) -> None:
        super().__init__(members)
        self.optional = optional
        self.others = others


@dataclass(frozen=True)
class SymArray:
    """An array whose elements are each like ``item`` (and which may be empty)."""

    item: Any = field(default_factory=Unknown)


class StringArray(list):
    """An SNS String.Array message attribute: anything-but holds only if no element is excluded
    (SNS's "String value matching": "it matches if none of the array elements are listed")."""


def kind_of(value: Any) -> str:
    """The JSON type of a Python value from json.loads."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def is_number(value: Any) -> bool:
    """A JSON number (never a boolean)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def same_value(literal: Any, value: Any) -> bool:
    """EventBridge's exact match: numbers by value (300 matches 300.0 and 3e2, as event-ruler
    adds a numeric-equals matcher beside the literal), strings by text or, when both are IP
    addresses, by address; booleans and null only themselves."""
    if is_number(literal) or is_number(value):
        return is_number(literal) and is_number(value) and literal == value
    if isinstance(literal, bool) or isinstance(value, bool) or literal is None or value is None:
        return literal is value
    if isinstance(literal, str) and isinstance(value, str):
        return literal == value or _same_address(literal, value)
    return False


def _same_address(first: str, second: str) -> bool:
    # Every textual IPv4 address has a dot and every IPv6 one a colon: names such as
    # "OrderPlaced" are told apart without parsing (the landscape map compares thousands).
    if not all("." in text or ":" in text for text in (first, second)):
        return False
    try:
        return ipaddress.ip_address(first) == ipaddress.ip_address(second)
    except ValueError:
        return False


def leaves(value: Any) -> list[Any]:
    """The leaf values of a field as the routers flatten events: array members (at any depth)
    each count, objects do not (exists matches leaf nodes only), a missing field has none."""
    if value is MISSING or isinstance(value, dict):
        return []
    if isinstance(value, list):
        return [leaf for item in value for leaf in leaves(item)]
    if isinstance(value, SymArray):
        return leaves(value.item)
    if isinstance(value, Unknown) and value.types is not None and not value.types - {"object"}:
        return []
    return [value]
