"""User JSON is stored as json, not jsonb, on PostgreSQL, so "\\u0000" survives.

JSON allows the escape "\\u0000" in any string, and sample payloads, consumers' event patterns
and the fields they read, the governance rules and the audit log's before/after copies hold
what users send. PostgreSQL's jsonb refuses "\\u0000" (a 500 where SQLite stored it); json keeps
the text as sent. Nothing queries inside these columns, so jsonb's indexing is not missed.
SQLite stores JSON as text either way: nothing changes there.

Downgrading converts back to jsonb and fails while a row holds "\\u0000".

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, nullable): every column that stores JSON a user wrote.
_COLUMNS = (
    ("samples", "payload", False),
    ("consumers", "pattern", True),
    ("consumers", "fields", False),
    ("settings", "rules", False),
    ("audit_entries", "before", True),
    ("audit_entries", "after", True),
)


def upgrade() -> None:
    _convert(postgresql.JSONB(), sa.JSON(), "json")


def downgrade() -> None:
    _convert(sa.JSON(), postgresql.JSONB(), "jsonb")


def _convert(old: sa.types.TypeEngine, new: sa.types.TypeEngine, cast: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, nullable in _COLUMNS:
        op.alter_column(
            table,
            column,
            existing_type=old,
            type_=new,
            existing_nullable=nullable,
            postgresql_using=f"{column}::text::{cast}",
        )
