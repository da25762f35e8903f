"""Helpers that turn the core vocabularies into database check constraints."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import CheckConstraint


def one_of(
    column: str, values: Iterable[str], name: str, nullable: bool = False
) -> CheckConstraint:
    """A check constraint that keeps a column inside a fixed vocabulary."""
    listed = ", ".join(f"'{value}'" for value in values)
    condition = f"{column} IN ({listed})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=name)
