"""Number and integer comparison."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from app.core.compatibility.model import Node
from app.core.compatibility.walker import COMPARERS, Context, compare_bound


def compare_number(ctx: Context, old: Node, new: Node, path: str) -> None:
    """Compare limits, multipleOf and integer-ness of two numeric schemas."""
    o, n = old.f, new.f
    if not _mixed_limit(ctx, path, "maximum", o, n, upper=True):
        compare_bound(ctx, path, "maximum", "MAXIMUM", o["maximum"], n["maximum"])
        compare_bound(
            ctx,
            path,
            "exclusiveMaximum",
            "EXCLUSIVE_MAXIMUM",
            o["exclusiveMaximum"],
            n["exclusiveMaximum"],
        )
    if not _mixed_limit(ctx, path, "minimum", o, n, upper=False):
        compare_bound(ctx, path, "minimum", "MINIMUM", o["minimum"], n["minimum"])
        compare_bound(
            ctx,
            path,
            "exclusiveMinimum",
            "EXCLUSIVE_MINIMUM",
            o["exclusiveMinimum"],
            n["exclusiveMinimum"],
        )
    _compare_multiple_of(ctx, path, o["multipleOf"], n["multipleOf"])
    if o["integer"] != n["integer"]:
        old_type, new_type = ("integer", "number") if o["integer"] else ("number", "integer")
        ctx.add("TYPE_EXTENDED" if o["integer"] else "TYPE_NARROWED", path, old_type, new_type)


def _limit(fields: dict, word: str, upper: bool) -> tuple[float, bool] | None:
    """Return the effective (value, exclusive) limit of one side, or None."""
    inclusive = fields[word]
    exclusive = fields["exclusive" + word[0].upper() + word[1:]]
    if inclusive is None and exclusive is None:
        return None
    if inclusive is None:
        return exclusive, True
    if exclusive is None:
        return inclusive, False
    tighter = exclusive <= inclusive if upper else exclusive >= inclusive
    return (exclusive, True) if tighter else (inclusive, False)


def _mixed_limit(ctx: Context, path: str, word: str, o: dict, n: dict, upper: bool) -> bool:
    """Compare limits that switched between inclusive and exclusive; True when handled."""
    old_limit, new_limit = _limit(o, word, upper), _limit(n, word, upper)
    if old_limit is None or new_limit is None or old_limit[1] == new_limit[1]:
        return False
    (old_value, old_excl), new_value = old_limit, new_limit[0]
    if upper:
        looser = new_value > old_value or (new_value == old_value and old_excl)
    else:
        looser = new_value < old_value or (new_value == old_value and old_excl)
    prefix = word.upper()
    moved = (
        ("_INCREASED" if upper else "_DECREASED")
        if looser
        else ("_DECREASED" if upper else "_INCREASED")
    )
    ctx.add(prefix + moved, path + "/" + word, _show(old_limit), _show(new_limit))
    return True


def _show(limit: tuple[float, bool]) -> str:
    return f"{'exclusive ' if limit[1] else ''}{limit[0]}"


def _decimal(value: float) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _compare_multiple_of(ctx: Context, path: str, old: float | None, new: float | None) -> None:
    where = path + "/multipleOf"
    if old is None or new is None:
        if old != new:
            ctx.add("MULTIPLE_OF_ADDED" if old is None else "MULTIPLE_OF_REMOVED", where, old, new)
        return
    o, n = _decimal(old), _decimal(new)
    if o == n:
        return
    try:
        if n % o == 0:
            ctx.add("MULTIPLE_OF_EXPANDED", where, old, new)
        elif o % n == 0:
            ctx.add("MULTIPLE_OF_REDUCED", where, old, new)
        else:
            ctx.add("MULTIPLE_OF_CHANGED", where, old, new)
    except (InvalidOperation, ZeroDivisionError):
        ctx.add("MULTIPLE_OF_CHANGED", where, old, new)


COMPARERS["number"] = compare_number
