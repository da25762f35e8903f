"""multipleOf by exact decimal arithmetic on the numbers' JSON text.

A JSON number is decimal text, and the schema author means that text: 4.02 is a multiple of 0.01
although the binary floats nearest 4.02 and 0.01 do not divide. repr() gives the shortest text
that reads back as the same float, which is the text the document most likely spelt, and
Fraction keeps the quotient exact at any magnitude (1e308 / 0.5 needs no float and no overflow).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

from jsonschema import ValidationError

from app.core.canonical import CanonicalJSONError, canonical_json


def is_multiple_of(value: int | float, divisor: int | float) -> bool:
    """Return whether value / divisor is an integer, read as exact decimals.

    Raises TypeError when either is not a JSON number (bool included) and ValueError when the
    divisor is not a finite number above zero. An infinite or NaN value is no multiple.
    """
    exact_divisor = _exact(divisor, "divisor")
    if exact_divisor is None or exact_divisor <= 0:
        raise ValueError(f"multipleOf must be a number greater than 0, not {divisor!r}")
    exact_value = _exact(value, "value")
    if exact_value is None:
        return False
    return (exact_value / exact_divisor).denominator == 1


def multiple_of(
    validator: Any, multiple_of: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    """The multipleOf keyword for python-jsonschema, exact where floats are not."""
    if not validator.is_type(instance, "number"):
        return
    if not is_multiple_of(instance, multiple_of):
        yield ValidationError(f"{_json(instance)} is not a multiple of {_json(multiple_of)}")


def _exact(number: Any, role: str) -> Fraction | None:
    # bool is an int to Python but true/false to JSON, never a number.
    if isinstance(number, bool) or not isinstance(number, int | float):
        raise TypeError(f"the {role} {number!r} is not a JSON number")
    if isinstance(number, int):
        return Fraction(number)
    if not math.isfinite(number):
        return None
    return Fraction(Decimal(repr(number)))


def _json(number: int | float) -> str:
    # The message quotes numbers as the document would spell them: 0.1, 1e-7, 4 (not 4.0).
    try:
        return canonical_json(number)
    except CanonicalJSONError:
        return repr(number)
