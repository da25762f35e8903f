"""Confluent's API under /ccompat: subjects, modes, compatibility groups, GUIDs, data-contract
extras and schema references.

- ``subjects`` binds a Confluent subject name (``orders-value``…) to an event type.
- ``settings.mode`` and ``event_types.mode`` hold Confluent's modes (READWRITE, READONLY,
  IMPORT); ``compatibility_group`` a metadata property that splits versions into groups.
- ``schemas.guid`` is the stable GUID of each content (existing rows get one each);
  ``contract_metadata`` and ``rule_set`` keep a data contract's extras as sent.
- ``schema_references`` lists the versions a schema's ``$ref``s use; a referenced version
  cannot be removed (RESTRICT).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 13:00:00
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MODES = "('READWRITE', 'READONLY', 'IMPORT')"


def upgrade() -> None:
    op.create_table(
        "subjects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("event_type_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_type_id"],
            ["event_types.id"],
            name=op.f("fk_subjects_event_type_id_event_types"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subjects")),
        sa.UniqueConstraint("name", name=op.f("uq_subjects_name")),
    )
    op.create_index(op.f("ix_subjects_event_type_id"), "subjects", ["event_type_id"])
    op.create_table(
        "schema_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schema_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["schema_id"],
            ["schemas.id"],
            name=op.f("fk_schema_references_schema_id_schemas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["schema_versions.id"],
            name=op.f("fk_schema_references_version_id_schema_versions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schema_references")),
        sa.UniqueConstraint("schema_id", "name", name=op.f("uq_schema_references_schema_id_name")),
    )
    op.create_index(op.f("ix_schema_references_version_id"), "schema_references", ["version_id"])
    with op.batch_alter_table("settings") as batch:
        batch.add_column(
            sa.Column("mode", sa.String(16), nullable=False, server_default="READWRITE")
        )
        batch.add_column(sa.Column("compatibility_group", sa.String(200), nullable=True))
        batch.create_check_constraint(op.f("ck_settings_mode"), f"mode IN {MODES}")
    with op.batch_alter_table("settings") as batch:
        batch.alter_column("mode", server_default=None)
    with op.batch_alter_table("event_types") as batch:
        batch.add_column(sa.Column("mode", sa.String(16), nullable=True))
        batch.add_column(sa.Column("compatibility_group", sa.String(200), nullable=True))
        batch.create_check_constraint(
            op.f("ck_event_types_mode"), f"mode IS NULL OR mode IN {MODES}"
        )
    _add_guids()
    with op.batch_alter_table("schemas") as batch:
        batch.add_column(sa.Column("contract_metadata", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("rule_set", sa.JSON(), nullable=True))


def _add_guids() -> None:
    # Every existing content gets its own GUID before the column becomes required and unique.
    with op.batch_alter_table("schemas") as batch:
        batch.add_column(sa.Column("guid", sa.String(36), nullable=True))
    connection = op.get_bind()
    schemas = sa.table("schemas", sa.column("id", sa.Integer), sa.column("guid", sa.String))
    ids = connection.execute(sa.select(schemas.c.id)).scalars().all()
    for schema_id in ids:
        connection.execute(
            schemas.update().where(schemas.c.id == schema_id).values(guid=str(uuid.uuid4()))
        )
    with op.batch_alter_table("schemas") as batch:
        batch.alter_column("guid", existing_type=sa.String(36), nullable=False)
        batch.create_unique_constraint(op.f("uq_schemas_guid"), ["guid"])


def downgrade() -> None:
    with op.batch_alter_table("schemas") as batch:
        batch.drop_constraint(op.f("uq_schemas_guid"), type_="unique")
        batch.drop_column("guid")
        batch.drop_column("rule_set")
        batch.drop_column("contract_metadata")
    with op.batch_alter_table("event_types") as batch:
        batch.drop_constraint(op.f("ck_event_types_mode"), type_="check")
        batch.drop_column("compatibility_group")
        batch.drop_column("mode")
    with op.batch_alter_table("settings") as batch:
        batch.drop_constraint(op.f("ck_settings_mode"), type_="check")
        batch.drop_column("compatibility_group")
        batch.drop_column("mode")
    op.drop_index(op.f("ix_schema_references_version_id"), table_name="schema_references")
    op.drop_table("schema_references")
    op.drop_index(op.f("ix_subjects_event_type_id"), table_name="subjects")
    op.drop_table("subjects")
