"""A field name's event types found by index seeks (issue 13, item 4): ``field_index`` gets an
index on (name, event_type_id), so a field's detail page asks, for each event type in address
order, whether a live version of it carries the name, and stops once the page is full; and
reads the fields of one page's event types without scanning every use of a common name.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 13:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_field_index_name_event_type", "field_index", ["name", "event_type_id"])


def downgrade() -> None:
    op.drop_index("ix_field_index_name_event_type", table_name="field_index")
