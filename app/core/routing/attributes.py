"""SNS message attributes as a filter policy with the MessageAttributes scope reads them.

An attribute is given as SNS delivers it (``{"Type": "String", "Value": "…"}``), as the Publish
API takes it (``{"DataType": "Number", "StringValue": "…"}``), or as a plain JSON value (a
string is a String, a number a Number, an array a String.Array). String.Array values are JSON
arrays in text; Number values are numbers in text. Binary attributes are never compared (SNS
compares String, String.Array and Number attributes only), so they count as absent.
"""

from __future__ import annotations

import json
from typing import Any

from app.core.errors import InvalidInput
from app.core.pointers import escape

from .values import StringArray, is_number


def decode_attributes(attributes: Any, pointer: str = "/event") -> dict[str, Any]:
    """Message attributes by name, as the values the matcher compares. Raises InvalidInput."""
    if not isinstance(attributes, dict):
        raise InvalidInput(
            "with the MessageAttributes scope the event is the message's attributes, a JSON "
            'object such as {"eventType": {"Type": "String", "Value": "OrderPlaced"}}',
            [{"message": "not an object", "pointer": pointer}],
        )
    decoded = {}
    for name, attribute in attributes.items():
        at = f"{pointer}/{escape(name)}"
        kind, value = _typed(attribute)
        if kind != "Binary":
            decoded[name] = _decode(kind, value, at)
    return decoded


def _typed(attribute: Any) -> tuple[str, Any]:
    if isinstance(attribute, dict) and ("Type" in attribute or "DataType" in attribute):
        kind = str(attribute.get("Type", attribute.get("DataType")))
        return kind.split(".")[0] if kind.startswith("Number.") else kind, attribute.get(
            "Value", attribute.get("StringValue")
        )
    if isinstance(attribute, list):
        return "String.Array", attribute
    return ("Number" if is_number(attribute) else "String"), attribute


def _decode(kind: str, value: Any, at: str) -> Any:
    def refuse(why: str) -> InvalidInput:
        return InvalidInput(f"attribute {at}: {why}", [{"message": why, "pointer": at}])

    if kind == "String":
        if not isinstance(value, str):
            raise refuse("a String attribute's value is text")
        return value
    if kind == "Number":
        try:
            number = json.loads(value) if isinstance(value, str) else value
        except ValueError:
            number = None
        if not is_number(number):
            raise refuse(f"a Number attribute's value must be a number (got {value!r})")
        return number
    if kind == "String.Array":
        try:
            items = json.loads(value) if isinstance(value, str) else value
        except ValueError:
            items = None
        if not isinstance(items, list):
            raise refuse("a String.Array attribute's value is a JSON array")
        return StringArray(items)
    raise refuse(f"SNS attribute types are String, String.Array, Number and Binary (got {kind!r})")
