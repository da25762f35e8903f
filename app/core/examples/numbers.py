"""Numbers for example events: within ``minimum``/``maximum`` (inclusive or exclusive, in the
draft-04 boolean form or the later numeric one) and a multiple of ``multipleOf``, exactly.

Arithmetic is in fractions, so ``multipleOf: 0.01`` gives 4.02 and not 4.0200000000000005.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from random import Random

from app.core.examples.failure import ExampleFailure, NoExample

# How far past a one-sided bound a value goes: realistic values, near the bound.
SPREAD = 100
# The step of a number that is not an integer and has no multipleOf: cents.
CENT = Fraction(1, 100)


def example_number(schema: dict, integer: bool, rng: Random, pointer: str) -> int | float:
    """A number (an int when ``integer``) the bounds allow. Raises NoExample when they allow
    none (a minimum above the maximum, no multiple of multipleOf between them)."""
    step = _fraction(schema.get("multipleOf")) or (Fraction(1) if integer else CENT)
    if integer and step.denominator != 1:
        step = Fraction(step.numerator)  # the smallest integer multiple of p/q is p
    low, low_open = _bound(schema, "minimum", "exclusiveMinimum", max)
    high, high_open = _bound(schema, "maximum", "exclusiveMaximum", min)
    first = None if low is None else math.ceil(low / step)
    last = None if high is None else math.floor(high / step)
    if first is not None and low_open and first * step == low:
        first += 1
    if last is not None and high_open and last * step == high:
        last -= 1
    if first is not None and last is not None and first > last:
        raise NoExample(
            ExampleFailure.UNSATISFIABLE,
            pointer,
            f"no {'integer' if integer else 'number'}{_of(schema, step)} lies between "
            f"{_show(low)} and {_show(high)}",
        )
    if first is None and last is None:
        first, last = 1, max(1, int(SPREAD / step) or 1)
    elif first is None:
        first = last - SPREAD
    elif last is None:
        last = first + SPREAD
    value = rng.randint(first, last) * step
    return (
        int(value)
        if value.denominator == 1
        else float(Decimal(value.numerator) / value.denominator)
    )


def _bound(schema: dict, plain: str, exclusive: str, tighter) -> tuple[Fraction | None, bool]:
    # Draft-04 writes `exclusiveMinimum: true` beside `minimum`; later drafts a number of its own.
    value, is_open = _fraction(schema.get(plain)), False
    flag = schema.get(exclusive)
    if isinstance(flag, bool):
        return value, flag and value is not None
    other = _fraction(flag)
    if other is not None and (value is None or tighter(other, value) == other):
        return other, True
    return value, is_open


def _fraction(value: object) -> Fraction | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return Fraction(Decimal(repr(value))) if isinstance(value, float) else Fraction(value)


def _of(schema: dict, step: Fraction) -> str:
    return f" that is a multiple of {_show(step)}" if "multipleOf" in schema else ""


def _show(value: Fraction | None) -> str:
    if value is None:
        return "-"
    return str(value.numerator) if value.denominator == 1 else str(float(value))
