"""Pages of a big catalogue read what they list by seeks (issue 13, item 4).

``field_index`` gets an index on (name, event_type_id), so a field's detail page asks, for
each event type in address order, whether a live version of it carries the name, and stops
once the page is full; and reads the fields of one page's event types without scanning every
use of a common name.

``event_analyses`` gets ``shape`` (thin, delta or full; null when unknown), stored with the
rest of the analysis, so the event lists and a domain's and bus's pages read each event type's
shape instead of classifying its latest schema and samples on every view. A row stored before
this migration has none: it counts as stale, and is analysed again.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 13:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_field_index_name_event_type", "field_index", ["name", "event_type_id"])
    with op.batch_alter_table("event_analyses") as batch:
        batch.add_column(sa.Column("shape", sa.String(16), nullable=True))
    # The rows stored so far have no shape: analysed again by the refreshers or `eventry analyse`.
    op.execute("UPDATE event_analyses SET stale = true")


def downgrade() -> None:
    with op.batch_alter_table("event_analyses") as batch:
        batch.drop_column("shape")
    op.drop_index("ix_field_index_name_event_type", table_name="field_index")
