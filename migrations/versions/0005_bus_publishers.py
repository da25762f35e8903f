"""Each bus keeps an allow-list of the teams and domains its owner lets publish on it.

Publishing an event type on another team's bus needs that bus owner's consent. Existing buses
start with an empty list: nothing is consented that was not before, and events already on
another team's bus are reported as findings until their bus owner consents.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# JSON documents: JSONB on PostgreSQL, JSON text elsewhere (as in 0001).
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # The server default fills the rows that exist; the app always writes the list itself, so
    # the default goes again (the models declare none, and autogenerate must agree).
    with op.batch_alter_table("buses") as batch:
        batch.add_column(
            sa.Column("publishers", JSON, nullable=False, server_default=sa.text("'[]'"))
        )
    with op.batch_alter_table("buses") as batch:
        batch.alter_column("publishers", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("buses") as batch:
        batch.drop_column("publishers")
