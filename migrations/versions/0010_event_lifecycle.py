"""Event types have a lifecycle: draft, active, deprecated (since a day, with a reason and a
successor) or retired (app.core.lifecycle).

``event_types.lifecycle`` replaces the ``deprecated`` flag: a deprecated event type becomes
``deprecated``, every other one ``active``; the downgrade keeps deprecated and retired ones
deprecated.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 04:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As written here: a migration does not follow later changes of the code's vocabulary.
STATES = "('draft', 'active', 'deprecated', 'retired')"


def upgrade() -> None:
    # The server default fills the rows that exist; the app always writes the state itself.
    with op.batch_alter_table("event_types") as batch:
        batch.add_column(
            sa.Column("lifecycle", sa.String(16), nullable=False, server_default="active")
        )
        batch.add_column(sa.Column("deprecated_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("lifecycle_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("successor", sa.String(200), nullable=True))
    op.execute(sa.text("UPDATE event_types SET lifecycle = 'deprecated' WHERE deprecated"))
    with op.batch_alter_table("event_types") as batch:
        batch.alter_column("lifecycle", server_default=None)
        batch.drop_column("deprecated")
        batch.create_check_constraint("lifecycle", f"lifecycle IN {STATES}")


def downgrade() -> None:
    with op.batch_alter_table("event_types") as batch:
        batch.add_column(
            sa.Column("deprecated", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute(
        sa.text("UPDATE event_types SET deprecated = (lifecycle IN ('deprecated', 'retired'))")
    )
    with op.batch_alter_table("event_types") as batch:
        batch.alter_column("deprecated", server_default=None)
        batch.drop_constraint("lifecycle", type_="check")
        batch.drop_column("successor")
        batch.drop_column("lifecycle_reason")
        batch.drop_column("deprecated_on")
        batch.drop_column("lifecycle")
