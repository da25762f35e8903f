"""The field index: every field path of every version, for field consistency across the
catalogue (app.core.analysis.consistency).

The table starts empty; the versions registered before it are indexed when the registry
upgrades or starts (app.services.field_index.backfill), since reading a schema's fields takes
the app's own JSON Schema walker, which a migration must not follow.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 19:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "field_index",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("event_type_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("pointer", sa.Text(), nullable=False),
        sa.Column("json_type", sa.String(16), nullable=False),
        sa.Column("types", sa.Text(), nullable=False),
        sa.Column("format", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["schema_versions.id"],
            name=op.f("fk_field_index_version_id_schema_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_type_id"],
            ["event_types.id"],
            name=op.f("fk_field_index_event_type_id_event_types"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_index")),
    )
    # Lookup by name (the fields list, its prefix filter, a field's page) and by version.
    for column in ("name", "version_id", "event_type_id"):
        op.create_index(op.f(f"ix_field_index_{column}"), "field_index", [column])


def downgrade() -> None:
    op.drop_table("field_index")
