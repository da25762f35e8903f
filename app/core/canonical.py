"""Canonical JSON and fingerprints: one text and one sha-256 per schema content.

Two schemas that differ only in key order, insignificant whitespace, string escaping or the
spelling of a number (``1`` / ``1.0`` / ``1e0``) get the same canonical text and fingerprint, so
the registry stores their content once and gives it one global schema id (as Confluent does).
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

# Integers beyond 2**53 are kept exact: JSON Schema keywords such as enum may hold large ids, and
# folding them into floats would merge distinct schemas.
_MAX_SAFE_INTEGER = 2**53


class CanonicalJSONError(ValueError):
    """The value cannot be written as canonical JSON (NaN, infinity, or a non-JSON type)."""


def canonical_json(value: Any) -> str:
    """Return the canonical JSON text of a value: sorted keys, no whitespace, normalised numbers."""
    return "".join(_write(value, "#"))


def fingerprint(value: Any) -> str:
    """Return the sha-256 hex digest of the value's canonical JSON, encoded as UTF-8."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def parse_json(text: str | bytes) -> Any:
    """Parse JSON strictly: duplicate keys, NaN/Infinity, overflowing numbers and lone
    surrogates (text no database or file can store) are errors."""
    value = json.loads(
        text,
        object_pairs_hook=_no_duplicates,
        parse_constant=_reject_constant,
        parse_float=_finite_float,
    )
    _reject_surrogates(value)
    return value


def _finite_float(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise CanonicalJSONError(f"{text} is too large for a JSON number Eventry can store")
    return number


def _reject_surrogates(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise CanonicalJSONError(f"{item[:40]!r} holds a lone UTF-16 surrogate") from None
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise CanonicalJSONError(f"duplicate key {key!r} in a JSON object")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise CanonicalJSONError(f"{name} is not valid JSON")


def _write(value: Any, where: str):
    if value is None:
        yield "null"
    elif value is True:
        yield "true"
    elif value is False:
        yield "false"
    elif isinstance(value, str):
        yield _string(value)
    elif isinstance(value, int):
        yield str(value)
    elif isinstance(value, float):
        yield _number(value, where)
    elif isinstance(value, dict):
        yield from _object(value, where)
    elif isinstance(value, list | tuple):
        yield "["
        for index, item in enumerate(value):
            if index:
                yield ","
            yield from _write(item, f"{where}/{index}")
        yield "]"
    else:
        raise CanonicalJSONError(f"{where}: {type(value).__name__} is not a JSON value")


def _object(value: dict, where: str):
    for key in value:
        if not isinstance(key, str):
            raise CanonicalJSONError(f"{where}: object keys must be strings, not {key!r}")
    yield "{"
    # Sorting by UTF-16 code units, as RFC 8785 does, keeps the order stable across languages.
    for index, key in enumerate(sorted(value, key=lambda k: k.encode("utf-16-be"))):
        if index:
            yield ","
        yield _string(key)
        yield ":"
        yield from _write(value[key], f"{where}/{key}")
    yield "}"


def _string(text: str) -> str:
    # ensure_ascii=False keeps non-ASCII characters as themselves, so "\u00e9" and "é" agree.
    return json.dumps(text, ensure_ascii=False)


def _number(number: float, where: str) -> str:
    if math.isnan(number) or math.isinf(number):
        raise CanonicalJSONError(f"{where}: {number} is not a JSON number")
    if number.is_integer() and abs(number) < _MAX_SAFE_INTEGER:
        return str(int(number))
    text = repr(number)
    if "e" in text:
        mantissa, exponent = text.split("e")
        sign = "-" if exponent.startswith("-") else "+"
        text = f"{mantissa}e{sign}{exponent.lstrip('+-').lstrip('0') or '0'}"
    return text
