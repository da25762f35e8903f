"""Keyset pagination: stable pages that do not shift when rows are added before the cursor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, tuple_
from sqlalchemy.orm import Session

from app.core.errors import InvalidCursor
from app.core.paging import Page

__all__ = ["InvalidCursor", "Page", "keyset_page"]


def keyset_page(
    session: Session,
    statement: Select,
    keys: Sequence[Any],
    key_of: Any,
    after: Sequence[Any] | None,
    limit: int,
    descending: bool = False,
) -> Page:
    """Return up to `limit` rows of the statement ordered by `keys`, starting after `after`.

    Raises InvalidCursor when `after` does not fit the keys (forged, or from another list).
    """
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
