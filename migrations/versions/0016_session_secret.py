"""The secret that signs the web UI's session cookies, stored once per database.

Several app processes on several hosts share one database, and each must verify a cookie that
another signed: a per-process random key would sign people out at every other request. The
column is filled here with a fresh random value, so every process reads the same one from the
start; EVENTRY_SECRET_KEY, when set, is used instead (docs/security.md, "Sessions").

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 23:00:00
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("settings") as batch:
        batch.add_column(sa.Column("session_secret", sa.String(64), nullable=True))
    op.execute(
        sa.text("UPDATE settings SET session_secret = :secret").bindparams(
            secret=secrets.token_hex(32)
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("settings") as batch:
        batch.drop_column("session_secret")
