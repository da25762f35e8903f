"""A page of a list: what every paginated use case returns, whatever stores the rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of items, and the sort key after which the next page starts (None at the end).

    ``after`` is a JSON-ready list (the adapters turn it into an opaque cursor and back).
    """

    items: list[T]
    after: list[Any] | None
