"""A consumer on an SNS bus says what its filter policy reads: the message's attributes (SNS's
default) or its body (the subscription's ``FilterPolicyScope``).

``consumers.scope`` is ``message-attributes`` or ``message-body``; NULL (every consumer that
exists, and every consumer on a bus that is not SNS) means the router's default.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 19:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As written here: a migration does not follow later changes of the code's vocabulary.
SCOPES = "('message-attributes', 'message-body')"


def upgrade() -> None:
    with op.batch_alter_table("consumers") as batch:
        batch.add_column(sa.Column("scope", sa.String(24), nullable=True))
        batch.create_check_constraint("consumer_scope", f"scope IS NULL OR scope IN {SCOPES}")


def downgrade() -> None:
    with op.batch_alter_table("consumers") as batch:
        batch.drop_constraint("consumer_scope", type_="check")
        batch.drop_column("scope")
