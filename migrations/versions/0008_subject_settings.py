"""Settings of Confluent subjects that no event type answers to yet.

``subject_settings`` keeps a compatibility level, group and mode set through
``PUT /ccompat/config/{s}`` or ``PUT /ccompat/mode/{s}`` before the subject's first
registration; the registration that binds the subject makes them its event type's own.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-12 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MODES = "('READWRITE', 'READONLY', 'IMPORT')"
# As 0001 wrote them: a migration does not follow later changes of the code's vocabulary.
LEVELS = (
    "('NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', "
    "'FULL_TRANSITIVE')"
)


def upgrade() -> None:
    op.create_table(
        "subject_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("compatibility", sa.String(32), nullable=True),
        sa.Column("compatibility_group", sa.String(200), nullable=True),
        sa.Column("mode", sa.String(16), nullable=True),
        sa.Column("team", sa.String(63), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            f"compatibility IS NULL OR compatibility IN {LEVELS}",
            name=op.f("ck_subject_settings_compatibility_level"),
        ),
        sa.CheckConstraint(
            f"mode IS NULL OR mode IN {MODES}", name=op.f("ck_subject_settings_mode")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_settings")),
        sa.UniqueConstraint("name", name=op.f("uq_subject_settings_name")),
    )


def downgrade() -> None:
    op.drop_table("subject_settings")
