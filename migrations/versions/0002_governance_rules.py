"""Governance rules: a JSON list on the registry-wide settings row.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 15:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("settings") as batch:
        batch.add_column(sa.Column("rules", JSON, nullable=False, server_default="[]"))
    # The default only fills the existing row; the model supplies one for new rows.
    with op.batch_alter_table("settings") as batch:
        batch.alter_column("rules", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("settings") as batch:
        batch.drop_column("rules")
