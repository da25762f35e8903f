"""Schema versions have a lifecycle, as event types do (migration 0010): draft, active,
deprecated (since a day, with a reason and a successor version) or retired
(app.core.lifecycle). Every existing version becomes ``active``.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 19:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As written here: a migration does not follow later changes of the code's vocabulary.
STATES = "('draft', 'active', 'deprecated', 'retired')"


def upgrade() -> None:
    # The server default fills the rows that exist; the app always writes the state itself.
    with op.batch_alter_table("schema_versions") as batch:
        batch.add_column(
            sa.Column("lifecycle", sa.String(16), nullable=False, server_default="active")
        )
        batch.add_column(sa.Column("deprecated_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("lifecycle_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("successor", sa.Integer(), nullable=True))
    with op.batch_alter_table("schema_versions") as batch:
        batch.alter_column("lifecycle", server_default=None)
        batch.create_check_constraint("lifecycle", f"lifecycle IN {STATES}")


def downgrade() -> None:
    with op.batch_alter_table("schema_versions") as batch:
        batch.drop_constraint("lifecycle", type_="check")
        batch.drop_column("successor")
        batch.drop_column("lifecycle_reason")
        batch.drop_column("deprecated_on")
        batch.drop_column("lifecycle")
