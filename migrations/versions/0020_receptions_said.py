"""The consumer tables read the stored answers that say something through an index of their own
(issue 13, item 4).

A consumer table (``/consumers``, a domain's, bus's, team's and service's page) shows, for each
listed consumer, the events of its bus it receives and the findings about it. It read every
stored answer of every listed consumer for every event type of its bus: 5,000 rows for a page
of 50 consumers on buses of 100 event types, of which about 50 receive or have a finding. The
partial index ``ix_receptions_said`` holds only those (app.db.models.analyses.says_something,
whose expression the query repeats, so that SQLite's and PostgreSQL's planners match it).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RECEPTIONS = sa.table("receptions", sa.column("receives", sa.Boolean), sa.column("findings"))
# The answer receives, or its findings (JSON text, "[]" when none) are not empty.
_SAYS = sa.or_(
    _RECEPTIONS.c.receives,
    sa.cast(_RECEPTIONS.c.findings, sa.Text) != sa.literal_column("'[]'"),
)


def upgrade() -> None:
    op.create_index(
        "ix_receptions_said",
        "receptions",
        ["consumer_id"],
        sqlite_where=_SAYS,
        postgresql_where=_SAYS,
    )


def downgrade() -> None:
    op.drop_index("ix_receptions_said", table_name="receptions")
