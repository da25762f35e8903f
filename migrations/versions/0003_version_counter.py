"""A version counter on event types, so a purged version number is never reused.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 15:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event_types") as batch:
        batch.add_column(
            sa.Column("last_version", sa.Integer(), nullable=False, server_default="0")
        )
    op.execute(
        "UPDATE event_types SET last_version = COALESCE("
        "(SELECT MAX(version) FROM schema_versions WHERE event_type_id = event_types.id), 0)"
    )
    with op.batch_alter_table("event_types") as batch:
        batch.alter_column("last_version", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("event_types") as batch:
        batch.drop_column("last_version")
