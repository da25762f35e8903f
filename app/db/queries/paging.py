"""Keyset pagination: stable pages that do not shift when rows are added before the cursor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, tuple_
from sqlalchemy.orm import Session

T = TypeVar("T")


class InvalidCursor(ValueError):
    """A cursor that does not fit the list it is used with (forged, or from another list)."""


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows, and the sort key after which the next page starts (None at the end)."""

    items: list[T]
    after: list[Any] | None


def keyset_page(
    session: Session,
    statement: Select,
    keys: Sequence[Any],
    key_of: Any,
    after: Sequence[Any] | None,
    limit: int,
    descending: bool = False,
) -> Page:
    """Return up to `limit` rows of the statement ordered by `keys`, starting after `after`."""
    if after is not None:
        _check_position(after, keys)
        position = tuple_(*keys)
        statement = statement.where(
            position < tuple_(*after) if descending else position > tuple_(*after)
        )
    order = [key.desc() for key in keys] if descending else list(keys)
    rows = list(session.scalars(statement.order_by(*order).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, list(key_of(rows[-1])) if more and rows else None)


def _check_position(after: Any, keys: Sequence[Any]) -> None:
    if not isinstance(after, list) or len(after) != len(keys):
        raise InvalidCursor("the cursor does not belong to this list; start again without it")
    for value, key in zip(after, keys, strict=True):
        expected = key.type.python_type
        if type(value) is not expected:
            raise InvalidCursor("the cursor does not belong to this list; start again without it")
